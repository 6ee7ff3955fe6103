/**
 * The page's own explanations of an error (never part of the API response): what went wrong,
 * in the terms of what the person just did, and a button that tries the fix.
 */
import type { CallRecord } from '../../engine';
import { b64, formatContext } from './codec';
import type { Session } from '../state/session.svelte';

export type FixId = 'envelope' | 'enable-key' | 'cancel-deletion' | 'restore-ciphertext' | 'use-original-context' | 'edit-context';

export interface Explanation {
  title: string;
  paragraphs: string[];
  fixes: { id: FixId; label: string }[];
}

function sameContext(a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean {
  const ka = Object.keys(a ?? {}).sort();
  const kb = Object.keys(b ?? {}).sort();
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && a![k] === b![k]);
}

function contextDiff(used: Record<string, string> | undefined, sent: Record<string, string> | undefined): string[] {
  const out: string[] = [];
  const u = used ?? {};
  const s = sent ?? {};
  for (const k of Object.keys(u)) {
    if (!(k in s)) {
      const ci = Object.keys(s).find((x) => x.toLowerCase() === k.toLowerCase());
      out.push(ci ? `key "${k}" was sent as "${ci}" (keys are case-sensitive)` : `pair ${k}=${u[k]} is missing`);
    } else if (s[k] !== u[k]) {
      out.push(
        s[k]!.toLowerCase() === u[k]!.toLowerCase()
          ? `${k}: "${s[k]}" differs from "${u[k]}" only in case (values are case-sensitive)`
          : `${k}: sent "${s[k]}", encrypted with "${u[k]}"`,
      );
    }
  }
  for (const k of Object.keys(s)) {
    if (!(k in u) && !Object.keys(u).some((x) => x.toLowerCase() === k.toLowerCase()))
      out.push(`extra pair ${k}=${s[k]} was not used when encrypting`);
  }
  return out;
}

/** The key a failed call was about (from its trace), as the world has it now. */
function keyOf(rec: CallRecord, session: Session) {
  for (const s of rec.trace.steps) {
    if (s.step === 'key-state-checked' || s.step === 'key-resolved') {
      const k = session.world.kms.keys.get(s.keyArn);
      if (k) return { key: k, stateThen: s.step === 'key-state-checked' ? s.keyState : k.state };
    }
  }
  return null;
}

/** Actions whose KeyId may be an alias (the others take a key id or key ARN only). */
const ALIAS_OK = new Set([
  'Encrypt',
  'Decrypt',
  'ReEncrypt',
  'GenerateDataKey',
  'GenerateDataKeyWithoutPlaintext',
  'GenerateDataKeyPair',
  'GenerateDataKeyPairWithoutPlaintext',
  'Sign',
  'Verify',
  'GetPublicKey',
  'GenerateMac',
  'VerifyMac',
  'DescribeKey',
  'ListAliases',
]);

export function explain(rec: CallRecord, session: Session): Explanation | null {
  const err = rec.error;
  if (!err) return null;
  const input = (rec.input ?? {}) as Record<string, unknown>;
  const crypto = rec.trace.steps.find((s) => s.step === 'crypto');
  const hsmDetail = crypto && crypto.step === 'crypto' && crypto.detail ? crypto.detail : null;

  switch (err.name) {
    case 'InvalidCiphertextException': {
      const blob = (input.CiphertextBlob instanceof Uint8Array ? input.CiphertextBlob : null) as Uint8Array | null;
      const key = blob ? b64(blob) : '';
      const tamper = key ? session.tampered.get(key) : undefined;
      const origin = tamper ? session.provenance.get(tamper.original) : key ? session.provenance.get(key) : undefined;
      const sent = (rec.action === 'ReEncrypt' ? input.SourceEncryptionContext : input.EncryptionContext) as
        Record<string, string> | undefined;
      const p: string[] = [
        'KMS could not authenticate this ciphertext, so it refused to decrypt it. AWS gives no reason (the message is empty on purpose: a detailed reason would help an attacker). AES-GCM checks one authentication tag over the ciphertext, the blob’s header and the encryption context, so there are two usual causes:',
        '1. The blob was altered: even one changed bit makes the tag check fail.',
        '2. The encryption context differs. It is bound as additional authenticated data (AAD), and is not stored in the blob: Decrypt must be given exactly the same key=value pairs as Encrypt. Keys and values are case-sensitive; a missing or extra pair counts.',
      ];
      const fixes: Explanation['fixes'] = [];
      if (tamper) {
        p.push(
          `Here: you changed byte ${tamper.offset} (0x${tamper.from.toString(16).padStart(2, '0')} → 0x${tamper.to.toString(16).padStart(2, '0')}), so cause 1.`,
        );
        fixes.push({ id: 'restore-ciphertext', label: 'Decrypt the original ciphertext' });
      }
      if (origin && !sameContext(origin.context, sent)) {
        const diff = contextDiff(origin.context, sent);
        p.push(
          `Here: the encryption context differs from the one used by ${origin.action} (${origin.context ? formatContext(origin.context).replace(/\n/g, ', ') : 'none'}): ${diff.join('; ')}. So cause 2.`,
        );
        fixes.push({ id: 'use-original-context', label: 'Decrypt with the original context' });
      }
      if (!tamper && !origin)
        p.push(
          'kms-lab does not know where this ciphertext came from: it may be from another world, truncated, or not a kms-lab ciphertext at all (real AWS ciphertext cannot be decrypted here).',
        );
      if (hsmDetail) p.push(`The HSM’s note in the trace: ${hsmDetail}`);
      fixes.push({ id: 'edit-context', label: 'Edit the encryption context' });
      return { title: 'Why InvalidCiphertextException?', paragraphs: p, fixes };
    }
    case 'ValidationException': {
      const pt = input.Plaintext;
      if (rec.action === 'Encrypt' && pt instanceof Uint8Array && pt.length > 4096) {
        return {
          title: 'Too big for Encrypt: use envelope encryption',
          paragraphs: [
            'KMS encrypts at most 4 KB directly; use envelope encryption: GenerateDataKey.',
            `Your plaintext is ${pt.length.toLocaleString('en-US')} bytes; Encrypt takes at most 4,096.`,
            'GenerateDataKey returns a fresh data key twice: in plaintext (encrypt your data with it locally, e.g. AES-GCM, then forget it) and encrypted under your KMS key (store it next to the data). To read the data, Decrypt the encrypted data key, then decrypt the data locally. Any size, one KMS call.',
          ],
          fixes: [{ id: 'envelope', label: 'Run GenerateDataKey with this key' }],
        };
      }
      return {
        title: 'ValidationException',
        paragraphs: ['A field failed AWS’s validation: the message names the field and the rule it broke.'],
        fixes: [],
      };
    }
    case 'DisabledException': {
      const k = keyOf(rec, session);
      return {
        title: 'The key is disabled',
        paragraphs: [
          `Key ${k ? k.key.keyId : ''} is in state ${k ? k.stateThen : 'Disabled'}. A disabled key keeps its material but refuses every cryptographic operation (Encrypt, Decrypt, GenerateDataKey, Sign, …). Nothing is lost: EnableKey makes it usable again.`,
          ...(k && k.key.state !== k.stateThen ? [`It is ${k.key.state} now.`] : []),
        ],
        fixes: k && k.key.state === 'Disabled' ? [{ id: 'enable-key', label: 'Enable the key' }] : [],
      };
    }
    case 'KMSInvalidStateException': {
      const k = keyOf(rec, session);
      const when = k?.key.deletionMs
        ? ` It will be deleted on ${new Date(k.key.deletionMs).toISOString().slice(0, 16).replace('T', ' ')} (virtual time).`
        : '';
      return {
        title: 'The key’s state does not allow this',
        paragraphs: [
          `The key ${k ? k.key.keyId : ''} is in state ${k ? k.stateThen : '(unknown)'}, and ${rec.action} is not allowed in that state.${k?.stateThen === 'PendingDeletion' ? when + ' A key pending deletion cannot be used at all; CancelKeyDeletion brings it back as Disabled.' : ''}`,
        ],
        fixes: k && k.key.state === 'PendingDeletion' ? [{ id: 'cancel-deletion', label: 'Cancel the deletion' }] : [],
      };
    }
    case 'NotFoundException': {
      const id = String(input.KeyId ?? input.TargetKeyId ?? '');
      const aliasRefused = id.startsWith('alias/') || id.includes(':alias/');
      return {
        title: 'No such key or alias here',
        paragraphs: [
          ...(aliasRefused && !ALIAS_OK.has(rec.action)
            ? [
                `${rec.action} takes a key id or key ARN only: an alias is not accepted here (crypto operations such as Encrypt do accept aliases). Pick the key on the left to fill in its id.`,
              ]
            : []),
          `KMS keys and aliases belong to one account and one region (this call went to ${rec.region} as ${rec.principal}). Check the region picker, the acting account, and the id. A deleted key is gone for good.`,
        ],
        fixes: [],
      };
    }
    case 'AccessDeniedException': {
      const auth = [...rec.trace.steps].reverse().find((s) => s.step === 'authorized');
      if (!auth || auth.step !== 'authorized') {
        return {
          title: 'Why AccessDeniedException?',
          paragraphs: [
            'KMS answers AccessDeniedException both when the policies do not allow a call and when a ciphertext names a key that does not exist (or that you may not see), so as not to tell an outsider which keys exist.',
          ],
          fixes: [],
        };
      }
      const p = [
        'For a KMS key, AWS combines the key policy (it must allow the caller, or trust the account so that IAM policies count), the caller’s IAM policies and the key’s grants. An explicit Deny anywhere wins; otherwise something must allow. The Authorization panel below lists every statement considered.',
      ];
      if (rec.principal && !rec.principal.endsWith(':root'))
        p.push(
          'To fix it: edit the key policy (Key tab), give the caller an IAM policy (IAM tab), create a grant, or act as another principal.',
        );
      return { title: 'Why AccessDeniedException?', paragraphs: p, fixes: [] };
    }
    case 'MalformedPolicyDocumentException':
      return {
        title: 'The policy was refused',
        paragraphs: [
          rec.error?.message.startsWith('The new key policy will not allow you')
            ? 'The lockout safety check: under the new policy, you (the caller) could not call PutKeyPolicy again, so nobody might ever manage this key. Allow yourself (or your account, with an IAM policy that allows you) kms:PutKeyPolicy, or tick "Bypass policy lockout safety check" if you really mean it.'
            : 'The policy document is not valid: bad JSON, an unknown element, a principal that does not exist, or a wrong value. The message says what; the policy editor marks the line.',
        ],
        fixes: [],
      };
    case 'InvalidGrantTokenException':
      return {
        title: 'Not a grant token',
        paragraphs: [
          'A GrantTokens entry must be a token that CreateGrant returned (and whose grant still exists). Retired and revoked grants no longer honour their tokens.',
        ],
        fixes: [],
      };
    case 'InvalidKeyUsageException':
      return {
        title: 'Wrong kind of key for this operation',
        paragraphs: [
          'Each key has one KeyUsage (ENCRYPT_DECRYPT, SIGN_VERIFY, GENERATE_VERIFY_MAC) fixed at creation. Encrypt/Decrypt/GenerateDataKey need ENCRYPT_DECRYPT; Sign/Verify need SIGN_VERIFY; GenerateMac/VerifyMac need GENERATE_VERIFY_MAC. GenerateDataKey needs a symmetric key.',
        ],
        fixes: [],
      };
    case 'KMSInvalidSignatureException':
      return {
        title: 'The signature is not valid',
        paragraphs: [
          'The signature does not match this message, key and signing algorithm. A changed message, a different algorithm or another key all fail the check.',
        ],
        fixes: [],
      };
    case 'KMSInvalidMacException':
      return {
        title: 'The MAC is not valid',
        paragraphs: ['The MAC does not match this message under this key and algorithm.'],
        fixes: [],
      };
    case 'IncorrectKeyException':
      return {
        title: 'Not the key that made this ciphertext',
        paragraphs: [
          'The KeyId you gave is not the key that encrypted this ciphertext. For symmetric ciphertext you can leave KeyId out: KMS reads it from the blob.',
        ],
        fixes: [],
      };
    case 'AlreadyExistsException':
      return {
        title: 'That name is taken',
        paragraphs: [
          'An alias name is unique per account and region. Pick another name, or UpdateAlias to point the existing alias at another key.',
        ],
        fixes: [],
      };
    case 'UnsupportedOperationException':
      return {
        title: 'Not supported for this key',
        paragraphs: [
          'Automatic and on-demand rotation work on symmetric keys with key material from KMS only (not asymmetric, HMAC or imported keys).',
        ],
        fixes: [],
      };
    default:
      return null;
  }
}
