/**
 * The action bar's catalogue: for each KMS action, the fields a person fills in, their
 * defaults, and how typed text becomes the AWS input shape. Required fields left empty are
 * still sent (KMS answers with its own ValidationException); only text that cannot become
 * the right type at all (bad base64, a malformed context line) is refused here.
 */
import { GRANT_OPERATIONS, KEY_SPECS, KEY_USAGES, type KeyMetadata } from '../engine/kms/shapes';
import { parseBase64, parseContext, parseTags, textBytes } from './lib/codec';

export type FieldKind =
  | 'key'
  | 'text'
  | 'utf8'
  | 'blob'
  | 'context'
  | 'tags'
  | 'select'
  | 'int'
  | 'bool'
  | 'policy'
  /** A list of strings, one per line (GrantTokens). */
  | 'lines'
  /** Several of `options`, as checkboxes (stored comma-separated). */
  | 'multi'
  /** A principal ARN, with the world's principals offered. */
  | 'principal';

export interface FieldSpec {
  /** The API member name. */
  name: string;
  kind: FieldKind;
  required?: boolean;
  /** Where the value is kept in the shared form values (defaults to name). */
  store?: string;
  label?: string;
  help?: string;
  placeholder?: string;
  options?: readonly string[] | ((key: KeyMetadata | null) => readonly string[]);
  /** Not an API member: handled by the page (CreateKey's alias). */
  pseudo?: boolean;
  /** The member is nested in this structure (CreateGrant's Constraints). */
  parent?: string;
}

export interface ActionSpec {
  action: string;
  group: string;
  summary: string;
  fields: FieldSpec[];
}

const keyId = (help = 'Key id, key ARN, alias name (alias/…) or alias ARN.'): FieldSpec => ({
  name: 'KeyId',
  kind: 'key',
  required: true,
  help,
});
const ctx = (
  name = 'EncryptionContext',
  help = 'key=value, one per line. Bound as AAD: Decrypt needs exactly the same pairs.',
): FieldSpec => ({ name, kind: 'context', help, store: name === 'EncryptionContext' ? undefined : name });

/** Grant tokens: lets a call use a grant before the grant is consistent (shared by every action that takes them). */
const grantTokens = (): FieldSpec => ({
  name: 'GrantTokens',
  kind: 'lines',
  help: 'Optional. A token from CreateGrant, one per line: the grant counts at once, before it is consistent.',
});

/** GenerateDataKey and GenerateDataKeyWithoutPlaintext take the same fields: exactly one of KeySpec or NumberOfBytes. */
const dataKeyFields = (): FieldSpec[] => [
  keyId(),
  { name: 'KeySpec', store: 'DataKeySpec', kind: 'select', options: ['AES_256', 'AES_128', ''] },
  { name: 'NumberOfBytes', kind: 'int', placeholder: '1–1024 (instead of KeySpec)' },
  ctx(),
  grantTokens(),
];

/** The grant operations a key supports (as CreateGrant checks them). */
export function grantOperationsFor(k: KeyMetadata | null): readonly string[] {
  if (!k) return GRANT_OPERATIONS;
  const common = ['CreateGrant', 'RetireGrant', 'DescribeKey'];
  if (k.KeySpec === 'SYMMETRIC_DEFAULT')
    return [
      'Encrypt',
      'Decrypt',
      'ReEncryptFrom',
      'ReEncryptTo',
      'GenerateDataKey',
      'GenerateDataKeyWithoutPlaintext',
      'GenerateDataKeyPair',
      'GenerateDataKeyPairWithoutPlaintext',
      ...common,
    ];
  if (k.KeyUsage === 'ENCRYPT_DECRYPT') return ['Encrypt', 'Decrypt', 'ReEncryptFrom', 'ReEncryptTo', 'GetPublicKey', ...common];
  if (k.KeyUsage === 'SIGN_VERIFY') return ['Sign', 'Verify', 'GetPublicKey', ...common];
  if (k.KeyUsage === 'GENERATE_VERIFY_MAC') return ['GenerateMac', 'VerifyMac', ...common];
  return ['DeriveSharedSecret', 'GetPublicKey', ...common];
}

const encAlgs = (k: KeyMetadata | null) => k?.EncryptionAlgorithms ?? ['SYMMETRIC_DEFAULT', 'RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'];
const sigAlgs = (k: KeyMetadata | null) =>
  k?.SigningAlgorithms ?? ['RSASSA_PSS_SHA_256', 'RSASSA_PKCS1_V1_5_SHA_256', 'ECDSA_SHA_256', 'ECDSA_SHA_384', 'ECDSA_SHA_512'];
const macAlgs = (k: KeyMetadata | null) => k?.MacAlgorithms ?? ['HMAC_SHA_256', 'HMAC_SHA_224', 'HMAC_SHA_384', 'HMAC_SHA_512'];

export const ACTION_SPECS: ActionSpec[] = [
  {
    action: 'CreateKey',
    group: 'Keys',
    summary: 'Creates a KMS key in this account and region (and, if you give one, an alias for it).',
    fields: [
      {
        name: 'KeySpec',
        kind: 'select',
        options: KEY_SPECS,
        help: 'SYMMETRIC_DEFAULT is AES-256-GCM; RSA/ECC are asymmetric; HMAC_* make MACs.',
      },
      {
        name: 'KeyUsage',
        kind: 'select',
        options: KEY_USAGES,
        help: 'ENCRYPT_DECRYPT, SIGN_VERIFY or GENERATE_VERIFY_MAC; must fit the key spec.',
      },
      { name: 'Description', kind: 'text', placeholder: 'what this key protects' },
      {
        name: 'Alias',
        kind: 'text',
        pseudo: true,
        placeholder: 'alias/my-app',
        help: 'Optional. kms-lab then sends CreateAlias for the new key.',
      },
      { name: 'MultiRegion', kind: 'bool' },
    ],
  },
  { action: 'DescribeKey', group: 'Keys', summary: 'Reads a key’s metadata.', fields: [keyId(), grantTokens()] },
  { action: 'ListKeys', group: 'Keys', summary: 'Lists the keys of this account in this region.', fields: [] },
  {
    action: 'UpdateKeyDescription',
    group: 'Keys',
    summary: 'Changes a key’s description.',
    fields: [keyId(), { name: 'Description', kind: 'text', required: true }],
  },
  {
    action: 'Encrypt',
    group: 'Cryptography',
    summary: 'Encrypts up to 4,096 bytes directly under a KMS key.',
    fields: [
      keyId(),
      { name: 'Plaintext', kind: 'utf8', required: true, help: 'Typed as text, sent as its UTF-8 bytes (at most 4,096).' },
      ctx(),
      {
        name: 'EncryptionAlgorithm',
        kind: 'select',
        options: encAlgs,
        help: 'SYMMETRIC_DEFAULT for symmetric keys; RSAES_OAEP_* for RSA keys.',
      },
      grantTokens(),
    ],
  },
  {
    action: 'Decrypt',
    group: 'Cryptography',
    summary: 'Decrypts a ciphertext. For symmetric keys the key is found from the blob itself.',
    fields: [
      { name: 'CiphertextBlob', kind: 'blob', required: true, help: 'Base64. Prefilled from the last ciphertext produced.' },
      ctx('EncryptionContext', 'Must be exactly the context used when encrypting (case-sensitive).'),
      { name: 'KeyId', kind: 'key', store: 'DecryptKeyId', help: 'Optional for symmetric ciphertext; required for RSA.' },
      {
        name: 'EncryptionAlgorithm',
        kind: 'select',
        options: ['', 'SYMMETRIC_DEFAULT', 'RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'],
        help: 'Required for RSA ciphertext.',
      },
      grantTokens(),
    ],
  },
  {
    action: 'ReEncrypt',
    group: 'Cryptography',
    summary: 'Decrypts and re-encrypts under another key (or the same one) without exposing the plaintext.',
    fields: [
      { name: 'CiphertextBlob', kind: 'blob', required: true },
      ctx('SourceEncryptionContext', 'The context the ciphertext was made with.'),
      { name: 'DestinationKeyId', kind: 'key', required: true },
      ctx('DestinationEncryptionContext', 'The context for the new ciphertext.'),
      grantTokens(),
    ],
  },
  {
    action: 'GenerateDataKey',
    group: 'Cryptography',
    summary: 'Envelope encryption: a fresh data key, in plaintext and encrypted under the KMS key.',
    fields: dataKeyFields(),
  },
  {
    action: 'GenerateDataKeyWithoutPlaintext',
    group: 'Cryptography',
    summary: 'A data key encrypted under the KMS key only, for later use.',
    fields: dataKeyFields(),
  },
  {
    action: 'GenerateRandom',
    group: 'Cryptography',
    summary: 'Random bytes from the HSMs.',
    fields: [{ name: 'NumberOfBytes', store: 'RandomBytes', kind: 'int', required: true, placeholder: '1–1024' }],
  },
  {
    action: 'Sign',
    group: 'Signatures and MACs',
    summary: 'Signs a message with an asymmetric SIGN_VERIFY key.',
    fields: [
      keyId(),
      { name: 'Message', kind: 'utf8', required: true },
      { name: 'MessageType', kind: 'select', options: ['RAW', 'DIGEST'] },
      { name: 'SigningAlgorithm', kind: 'select', options: sigAlgs, required: true },
      grantTokens(),
    ],
  },
  {
    action: 'Verify',
    group: 'Signatures and MACs',
    summary: 'Checks a signature inside KMS.',
    fields: [
      keyId(),
      { name: 'Message', kind: 'utf8', required: true },
      { name: 'MessageType', kind: 'select', options: ['RAW', 'DIGEST'] },
      { name: 'Signature', kind: 'blob', required: true, help: 'Base64. Prefilled from the last Sign.' },
      { name: 'SigningAlgorithm', kind: 'select', options: sigAlgs, required: true },
      grantTokens(),
    ],
  },
  {
    action: 'GetPublicKey',
    group: 'Signatures and MACs',
    summary: 'Downloads the public key of an asymmetric key (DER SubjectPublicKeyInfo).',
    fields: [keyId(), grantTokens()],
  },
  {
    action: 'GenerateMac',
    group: 'Signatures and MACs',
    summary: 'An HMAC of a message with an HMAC key.',
    fields: [
      keyId(),
      { name: 'Message', kind: 'utf8', required: true },
      { name: 'MacAlgorithm', kind: 'select', options: macAlgs, required: true },
      grantTokens(),
    ],
  },
  {
    action: 'VerifyMac',
    group: 'Signatures and MACs',
    summary: 'Checks an HMAC inside KMS.',
    fields: [
      keyId(),
      { name: 'Message', kind: 'utf8', required: true },
      { name: 'Mac', kind: 'blob', required: true, help: 'Base64. Prefilled from the last GenerateMac.' },
      { name: 'MacAlgorithm', kind: 'select', options: macAlgs, required: true },
      grantTokens(),
    ],
  },
  { action: 'EnableKey', group: 'Lifecycle', summary: 'Makes a disabled key usable again.', fields: [keyId('Key id or key ARN.')] },
  {
    action: 'DisableKey',
    group: 'Lifecycle',
    summary: 'Stops all cryptographic use of a key (reversible).',
    fields: [keyId('Key id or key ARN.')],
  },
  {
    action: 'ScheduleKeyDeletion',
    group: 'Lifecycle',
    summary: 'Deletes a key after a waiting period of 7–30 days (default 30), unless cancelled.',
    fields: [keyId('Key id or key ARN.'), { name: 'PendingWindowInDays', kind: 'int', placeholder: '7–30 (default 30)' }],
  },
  {
    action: 'CancelKeyDeletion',
    group: 'Lifecycle',
    summary: 'Cancels a scheduled deletion; the key comes back Disabled.',
    fields: [keyId('Key id or key ARN.')],
  },
  {
    action: 'EnableKeyRotation',
    group: 'Rotation',
    summary: 'Turns on automatic rotation of a symmetric key’s material.',
    fields: [keyId('Key id or key ARN.'), { name: 'RotationPeriodInDays', kind: 'int', placeholder: '90–2560 (default 365)' }],
  },
  { action: 'DisableKeyRotation', group: 'Rotation', summary: 'Turns off automatic rotation.', fields: [keyId('Key id or key ARN.')] },
  {
    action: 'GetKeyRotationStatus',
    group: 'Rotation',
    summary: 'Whether rotation is on, its period and next date.',
    fields: [keyId('Key id or key ARN.')],
  },
  {
    action: 'RotateKeyOnDemand',
    group: 'Rotation',
    summary: 'Rotates now, whatever the schedule; old material stays for decryption.',
    fields: [keyId('Key id or key ARN.')],
  },
  { action: 'ListKeyRotations', group: 'Rotation', summary: 'The key’s rotations so far.', fields: [keyId('Key id or key ARN.')] },
  {
    action: 'CreateAlias',
    group: 'Aliases and tags',
    summary: 'A friendly name (alias/…) for a key in this account and region.',
    fields: [
      { name: 'AliasName', kind: 'text', required: true, placeholder: 'alias/my-app' },
      { name: 'TargetKeyId', kind: 'key', required: true, help: 'Key id or key ARN (not an alias).' },
    ],
  },
  {
    action: 'UpdateAlias',
    group: 'Aliases and tags',
    summary: 'Points an existing alias at another key.',
    fields: [
      { name: 'AliasName', kind: 'text', required: true },
      { name: 'TargetKeyId', kind: 'key', required: true },
    ],
  },
  {
    action: 'DeleteAlias',
    group: 'Aliases and tags',
    summary: 'Deletes an alias (not the key).',
    fields: [{ name: 'AliasName', kind: 'text', required: true }],
  },
  {
    action: 'ListAliases',
    group: 'Aliases and tags',
    summary: 'Lists aliases (optionally of one key).',
    fields: [{ name: 'KeyId', kind: 'key', store: 'ListAliasesKeyId' }],
  },
  {
    action: 'TagResource',
    group: 'Aliases and tags',
    summary: 'Adds or replaces tags on a key.',
    fields: [keyId(), { name: 'Tags', kind: 'tags', required: true, help: 'key=value, one per line.' }],
  },
  { action: 'ListResourceTags', group: 'Aliases and tags', summary: 'A key’s tags.', fields: [keyId()] },
  {
    action: 'GetKeyPolicy',
    group: 'Policy',
    summary: 'Reads the key policy (there is only "default").',
    fields: [keyId('Key id or key ARN.')],
  },
  {
    action: 'PutKeyPolicy',
    group: 'Policy',
    summary: 'Replaces the key policy, which every later call on the key is checked against.',
    fields: [
      keyId('Key id or key ARN.'),
      { name: 'Policy', kind: 'policy', required: true, help: 'A JSON policy document. Prefilled from the selected key.' },
      {
        name: 'BypassPolicyLockoutSafetyCheck',
        kind: 'bool',
        help: 'Skips the check that you could still change the policy afterwards. Risky: a key nobody can manage stays that way.',
      },
    ],
  },
  { action: 'ListKeyPolicies', group: 'Policy', summary: 'Policy names of a key.', fields: [keyId('Key id or key ARN.')] },
  {
    action: 'CreateGrant',
    group: 'Grants',
    summary: 'Lets a principal use the key for some operations, without changing any policy. Returns a grant token.',
    fields: [
      keyId('Key id or key ARN (not an alias).'),
      { name: 'GranteePrincipal', kind: 'principal', required: true, help: 'Who may use the key: an IAM user or role ARN.' },
      { name: 'Operations', kind: 'multi', required: true, options: grantOperationsFor },
      {
        name: 'EncryptionContextSubset',
        parent: 'Constraints',
        store: 'GrantSubset',
        kind: 'context',
        help: 'Optional constraint: requests must include these pairs (and may have more).',
      },
      {
        name: 'EncryptionContextEquals',
        parent: 'Constraints',
        store: 'GrantEquals',
        kind: 'context',
        help: 'Optional constraint: the request’s context must be exactly these pairs.',
      },
      { name: 'RetiringPrincipal', kind: 'principal', help: 'Optional: who may retire the grant.' },
      {
        name: 'Name',
        store: 'GrantName',
        kind: 'text',
        placeholder: 'app-grant',
        help: 'Optional; the same name and grant again returns the same grant.',
      },
      grantTokens(),
    ],
  },
  {
    action: 'ListGrants',
    group: 'Grants',
    summary: 'The grants on a key.',
    fields: [
      keyId('Key id or key ARN.'),
      { name: 'GrantId', store: 'ListGrantId', kind: 'text', help: 'Optional: only this grant.' },
      { name: 'GranteePrincipal', store: 'ListGrantee', kind: 'principal', help: 'Optional: only grants for this grantee.' },
    ],
  },
  {
    action: 'ListRetirableGrants',
    group: 'Grants',
    summary: 'The grants a principal may retire (in this region).',
    fields: [{ name: 'RetiringPrincipal', store: 'ListRetiring', kind: 'principal', required: true }],
  },
  {
    action: 'RetireGrant',
    group: 'Grants',
    summary: 'Deletes a grant, by its token or by key and grant id: done by its retiring principal or grantee, when finished with it.',
    fields: [
      { name: 'GrantToken', kind: 'text', help: 'The grant token (or leave empty and give KeyId and GrantId).' },
      { name: 'KeyId', kind: 'key', help: 'With GrantId, instead of a token.' },
      { name: 'GrantId', kind: 'text', help: 'Prefilled from the last CreateGrant.' },
    ],
  },
  {
    action: 'RevokeGrant',
    group: 'Grants',
    summary: 'Deletes a grant: done by a key administrator, to take a permission away.',
    fields: [keyId('Key id or key ARN.'), { name: 'GrantId', kind: 'text', required: true, help: 'Prefilled from the last CreateGrant.' }],
  },
];

export const SPEC_BY_ACTION = new Map(ACTION_SPECS.map((s) => [s.action, s]));
export const ACTION_GROUPS = [...new Set(ACTION_SPECS.map((s) => s.group))];

export const storeKey = (f: FieldSpec): string => f.store ?? f.name;

export function optionsOf(f: FieldSpec, key: KeyMetadata | null): readonly string[] {
  if (!f.options) return [];
  return typeof f.options === 'function' ? f.options(key) : f.options;
}

export interface Built {
  input: Record<string, unknown>;
  /** Pseudo fields (CreateKey's alias). */
  extra: Record<string, string>;
  errors: string[];
}

/** Turns the form's text values into the action's input. */
export function buildInput(spec: ActionSpec, values: Record<string, string>): Built {
  const input: Record<string, unknown> = {};
  const extra: Record<string, string> = {};
  const errors: string[] = [];
  for (const f of spec.fields) {
    const raw = values[storeKey(f)] ?? '';
    if (f.pseudo) {
      if (raw.trim()) extra[f.name] = raw.trim();
      continue;
    }
    const out = f.parent ? {} : input;
    buildField(f, raw, out, errors);
    if (f.parent && f.name in out) input[f.parent] = { ...(input[f.parent] as object | undefined), ...out };
  }
  return { input, extra, errors };
}

function buildField(f: FieldSpec, raw: string, input: Record<string, unknown>, errors: string[]): void {
  {
    switch (f.kind) {
      case 'lines': {
        const list = raw
          .split(/[\n,]/)
          .map((x) => x.trim())
          .filter(Boolean);
        if (list.length) input[f.name] = list;
        break;
      }
      case 'multi': {
        const list = raw
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean);
        if (list.length || f.required) input[f.name] = list;
        break;
      }
      case 'bool':
        if (raw === 'true') input[f.name] = true;
        break;
      case 'utf8':
        if (raw !== '' || f.required) input[f.name] = textBytes(raw);
        break;
      case 'blob': {
        if (!raw.trim()) {
          if (f.required) input[f.name] = new Uint8Array(0);
          break;
        }
        const b = parseBase64(raw, f.name);
        if (b.ok) input[f.name] = b.value;
        else errors.push(b.error);
        break;
      }
      case 'context': {
        const c = parseContext(raw, f.name);
        if (!c.ok) errors.push(c.error);
        else if (c.value) input[f.name] = c.value;
        break;
      }
      case 'tags': {
        const t = parseTags(raw);
        if (!t.ok) errors.push(t.error);
        else if (t.value.length || f.required) input[f.name] = t.value;
        break;
      }
      case 'int': {
        const t = raw.trim();
        if (!t) break;
        if (!/^-?\d+$/.test(t)) errors.push(`${f.name} must be a whole number, got "${t}".`);
        else input[f.name] = Number(t);
        break;
      }
      default: {
        const t = f.kind === 'policy' ? raw : raw.trim();
        if (t !== '' || f.required) input[f.name] = t;
      }
    }
  }
}
