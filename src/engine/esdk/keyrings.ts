/**
 * Keyrings (framework/keyring-interface.md): raw AES, raw RSA, AWS KMS (against the simulated
 * KMS) and multi. A keyring generates or wraps the data key on encrypt and unwraps one of the
 * message's encrypted data keys (EDKs) on decrypt. On decrypt a keyring never throws for an EDK
 * it cannot open: it records why in `materials.attempts` and leaves the key unset.
 */
import {
  aesGcmDecrypt,
  aesGcmEncrypt,
  concatBytes,
  pemDecode,
  randomBytes,
  rsaOaepDecrypt,
  rsaOaepEncrypt,
  rsaPkcs1Decrypt,
  rsaPkcs1Encrypt,
  rsaPublicFromPrivate,
} from '../crypto';
import type { KmsClient } from '../world';
import { edkFromParts, readU32, serializeEncryptionContext, u32 } from './serialize';
import { getSuite } from './suites';
import type { DecryptionMaterials, EncryptedDataKey, EncryptionMaterials, Keyring } from './types';

const utf8 = new TextEncoder();

function note(m: DecryptionMaterials, why: string): void {
  (m.attempts ??= []).push(why);
}

function errText(e: unknown): string {
  if (e instanceof Error) return e.message ? `${e.name}: ${e.message}` : e.name;
  return String(e);
}

function checkNamespace(ns: string): void {
  if (!ns) throw new Error('A raw keyring needs a non-empty keyNamespace');
  // Raw keyrings must not claim the KMS provider ID (framework/raw-*-keyring.md).
  if (ns.startsWith('aws-kms')) throw new Error(`keyNamespace "${ns}" is reserved for AWS KMS keyrings`);
}

// ---- raw AES ----

export interface RawAesKeyringOptions {
  keyNamespace: string;
  keyName: string;
  /** 16, 24 or 32 bytes. */
  wrappingKey: Uint8Array;
}

/**
 * Wraps the data key with AES-GCM under a key you hold. Provider info: key name || u32 tag bits
 * (128) || u32 IV length (12) || IV; the AAD is the serialized encryption context (full context).
 */
export function rawAesKeyring({ keyNamespace, keyName, wrappingKey }: RawAesKeyringOptions): Keyring {
  checkNamespace(keyNamespace);
  if (![16, 24, 32].includes(wrappingKey.length))
    throw new Error(`Raw AES wrapping key must be 16, 24 or 32 bytes, got ${wrappingKey.length}`);
  // A copy (Uint8Array.from, not slice: Node's Buffer#slice is a view), so a caller that zeroes its
  // array afterwards, as the official SDK does with the one it is given, does not zero ours.
  const key = Uint8Array.from(wrappingKey);
  const name = utf8.encode(keyName);
  return {
    async onEncrypt(m: EncryptionMaterials) {
      const random = m.random ?? randomBytes;
      const dataKey = m.plaintextDataKey ?? random(m.suite.keyLength);
      const iv = random(12);
      const wrapped = await aesGcmEncrypt(key, iv, dataKey, serializeEncryptionContext(m.encryptionContext));
      const info = concatBytes(name, u32(128), u32(12), iv);
      return { ...m, plaintextDataKey: dataKey, encryptedDataKeys: [...m.encryptedDataKeys, edkFromParts(keyNamespace, info, wrapped)] };
    },
    async onDecrypt(m: DecryptionMaterials, edks: EncryptedDataKey[]) {
      if (m.plaintextDataKey) return m;
      const aad = serializeEncryptionContext(m.encryptionContext);
      for (const [i, edk] of edks.entries()) {
        const info = edk.rawInfo;
        if (edk.providerId !== keyNamespace) continue;
        const sameName = info.length === name.length + 20 && name.every((b, j) => info[j] === b);
        if (!sameName || readU32(info, name.length) !== 128 || readU32(info, name.length + 4) !== 12) continue;
        try {
          const dk = await aesGcmDecrypt(key, info.subarray(name.length + 8), edk.encryptedDataKey, aad);
          if (dk.length !== m.suite.keyLength) throw new Error(`unwrapped key is ${dk.length} bytes, the suite needs ${m.suite.keyLength}`);
          return { ...m, plaintextDataKey: dk };
        } catch (e) {
          note(
            m,
            `EDK #${i + 1} (${keyNamespace}/${keyName}): AES-GCM unwrap failed: wrong wrapping key or a different encryption context (${errText(e)})`,
          );
        }
      }
      return m;
    },
  };
}

// ---- raw RSA ----

export type RsaPadding = 'pkcs1' | 'oaep-sha1' | 'oaep-sha256' | 'oaep-sha384' | 'oaep-sha512';
const OAEP_HASH = { 'oaep-sha1': 'SHA-1', 'oaep-sha256': 'SHA-256', 'oaep-sha384': 'SHA-384', 'oaep-sha512': 'SHA-512' } as const;

export interface RawRsaKeyringOptions {
  keyNamespace: string;
  keyName: string;
  /** SPKI PEM (`BEGIN PUBLIC KEY`). Derived from the private key when only that is given. */
  publicKeyPem?: string;
  /** PKCS#8 PEM (`BEGIN PRIVATE KEY`). Without it the keyring can encrypt only. */
  privateKeyPem?: string;
  padding: RsaPadding;
}

/** Wraps the data key with RSA; provider info is the key name; the context is not bound (as the SDK). */
export function rawRsaKeyring({ keyNamespace, keyName, publicKeyPem, privateKeyPem, padding }: RawRsaKeyringOptions): Keyring {
  checkNamespace(keyNamespace);
  if (padding !== 'pkcs1' && !(padding in OAEP_HASH))
    throw new Error(`Unknown RSA padding "${String(padding)}": use pkcs1, oaep-sha1, oaep-sha256, oaep-sha384 or oaep-sha512`);
  if (!publicKeyPem && !privateKeyPem) throw new Error('A raw RSA keyring needs a public key, a private key or both');
  const der = (pem: string, label: string) => {
    const d = pemDecode(pem);
    if (d.label !== label) throw new Error(`Expected a PEM "${label}" block, got "${d.label}"`);
    return d.der;
  };
  const privateKey = privateKeyPem ? der(privateKeyPem, 'PRIVATE KEY') : undefined;
  const publicKey = publicKeyPem ? der(publicKeyPem, 'PUBLIC KEY') : rsaPublicFromPrivate(privateKey!);
  return {
    async onEncrypt(m: EncryptionMaterials) {
      const random = m.random ?? randomBytes;
      const dataKey = m.plaintextDataKey ?? random(m.suite.keyLength);
      const wrapped =
        padding === 'pkcs1'
          ? rsaPkcs1Encrypt(publicKey, dataKey, random)
          : await rsaOaepEncrypt(publicKey, OAEP_HASH[padding], dataKey, undefined, random);
      return {
        ...m,
        plaintextDataKey: dataKey,
        encryptedDataKeys: [...m.encryptedDataKeys, edkFromParts(keyNamespace, utf8.encode(keyName), wrapped)],
      };
    },
    async onDecrypt(m: DecryptionMaterials, edks: EncryptedDataKey[]) {
      if (m.plaintextDataKey) return m;
      if (!privateKey) {
        note(m, `raw RSA keyring ${keyNamespace}/${keyName} has no private key, so it cannot decrypt`);
        return m;
      }
      for (const [i, edk] of edks.entries()) {
        if (edk.providerId !== keyNamespace || edk.providerInfo !== keyName) continue;
        try {
          const dk =
            padding === 'pkcs1'
              ? rsaPkcs1Decrypt(privateKey, edk.encryptedDataKey)
              : await rsaOaepDecrypt(privateKey, OAEP_HASH[padding], edk.encryptedDataKey);
          if (dk.length !== m.suite.keyLength) throw new Error(`unwrapped key is ${dk.length} bytes, the suite needs ${m.suite.keyLength}`);
          return { ...m, plaintextDataKey: dk };
        } catch (e) {
          note(m, `EDK #${i + 1} (${keyNamespace}/${keyName}): RSA ${padding} unwrap failed: wrong private key or padding (${errText(e)})`);
        }
      }
      return m;
    },
  };
}

// ---- AWS KMS ----

export interface KmsKeyringOptions {
  /** One client, or one per Region (chosen from each key ARN's Region). */
  client: KmsClient | ((region: string) => KmsClient);
  /** Key that makes the data key (GenerateDataKey); may be a key ID, key ARN, alias name or alias ARN. */
  generatorKeyId?: string;
  /** Further keys that wrap the same data key (Encrypt). */
  keyIds?: string[];
  grantTokens?: string[];
  /** Decrypt-only: try every `aws-kms` EDK, whatever its key. */
  discovery?: boolean;
  discoveryFilter?: { accountIDs: string[]; partition: string };
}

export const KMS_PROVIDER_ID = 'aws-kms';

function arnRegion(arn: string): string | undefined {
  return /^arn:[^:]+:kms:([^:]+):/.exec(arn)?.[1];
}

/**
 * AWS KMS keyring (framework/aws-kms/aws-kms-keyring.md). Provider ID `aws-kms`, provider info =
 * the key ARN KMS answered with, EDK = KMS's CiphertextBlob (here the simulator's own blob format).
 * On decrypt it opens only EDKs whose ARN is among its configured keys (or any, in discovery mode).
 */
export function kmsKeyring(options: KmsKeyringOptions): Keyring {
  const { generatorKeyId, keyIds = [], grantTokens, discovery = false, discoveryFilter } = options;
  if (discovery && (generatorKeyId || keyIds.length)) throw new Error('A discovery KMS keyring takes no key IDs');
  if (!discovery && !generatorKeyId && keyIds.length === 0)
    throw new Error('A KMS keyring needs a generatorKeyId or keyIds (or discovery: true)');
  const clientFor = (keyId: string): KmsClient => {
    if (typeof options.client !== 'function') return options.client;
    const region = arnRegion(keyId);
    if (!region) throw new Error(`Cannot tell the Region of "${keyId}": give a key ARN when the keyring has a client per Region`);
    return options.client(region);
  };
  const configured = [...(generatorKeyId ? [generatorKeyId] : []), ...keyIds];
  // The SDK compares the EDK's ARN with the configured identifiers exactly. As a convenience a bare
  // key ID also matches an ARN ending in key/<id>; aliases never match (KMS answers with key ARNs).
  const matches = (arn: string) =>
    configured.some((k) => k === arn || (!k.includes(':') && !k.startsWith('alias/') && arn.endsWith(`:key/${k}`)));
  const ctx = (ec: Record<string, string>) => (Object.keys(ec).length ? { EncryptionContext: ec } : {});
  const grants = grantTokens?.length ? { GrantTokens: grantTokens } : {};
  return {
    async onEncrypt(m: EncryptionMaterials) {
      if (discovery) throw new Error('A discovery KMS keyring cannot encrypt');
      let materials = m;
      const edks: EncryptedDataKey[] = [];
      let wrapWith = keyIds;
      if (!materials.plaintextDataKey) {
        if (!generatorKeyId) throw new Error('This KMS keyring has no generatorKeyId, so it cannot create a data key');
        const out = await clientFor(generatorKeyId).send('GenerateDataKey', {
          KeyId: generatorKeyId,
          NumberOfBytes: m.suite.keyLength,
          ...ctx(m.encryptionContext),
          ...grants,
        });
        if (out.Plaintext.length !== m.suite.keyLength)
          throw new Error(`KMS returned a ${out.Plaintext.length}-byte data key; the suite needs ${m.suite.keyLength}`);
        // A copy: encryption zeroes its data key once used, and the response KMS sent (kept in the
        // world's call record, which the page shows) must stay as it was.
        materials = { ...materials, plaintextDataKey: out.Plaintext.slice() };
        edks.push(edkFromParts(KMS_PROVIDER_ID, utf8.encode(out.KeyId), out.CiphertextBlob));
      } else if (generatorKeyId) {
        wrapWith = [generatorKeyId, ...keyIds];
      }
      for (const keyId of wrapWith) {
        const out = await clientFor(keyId).send('Encrypt', {
          KeyId: keyId,
          Plaintext: materials.plaintextDataKey!,
          ...ctx(m.encryptionContext),
          ...grants,
        });
        edks.push(edkFromParts(KMS_PROVIDER_ID, utf8.encode(out.KeyId), out.CiphertextBlob));
      }
      return { ...materials, encryptedDataKeys: [...materials.encryptedDataKeys, ...edks] };
    },
    async onDecrypt(m: DecryptionMaterials, edks: EncryptedDataKey[]) {
      if (m.plaintextDataKey) return m;
      for (const [i, edk] of edks.entries()) {
        if (edk.providerId !== KMS_PROVIDER_ID) continue;
        const arn = edk.providerInfo;
        if (!discovery && !matches(arn)) {
          const aliasHint = configured.some((k) => k.includes('alias/'))
            ? '; on decrypt keys are matched by key ARN, so an alias never matches'
            : '';
          note(m, `EDK #${i + 1} (aws-kms ${arn}): not one of this keyring's keys (${configured.join(', ')}${aliasHint})`);
          continue;
        }
        if (discovery && discoveryFilter) {
          const [, partition, , , account] = arn.split(':');
          if (partition !== discoveryFilter.partition || !discoveryFilter.accountIDs.includes(account ?? '')) {
            note(m, `EDK #${i + 1} (aws-kms ${arn}): outside the discovery filter`);
            continue;
          }
        }
        try {
          const out = await clientFor(arn).send('Decrypt', {
            CiphertextBlob: edk.encryptedDataKey,
            KeyId: arn,
            ...ctx(m.encryptionContext),
            ...grants,
          });
          if (out.KeyId !== arn) throw new Error(`KMS decrypted with ${out.KeyId}, not the EDK's key ${arn}`);
          if (out.Plaintext.length !== m.suite.keyLength)
            throw new Error(`KMS returned a ${out.Plaintext.length}-byte data key; the suite needs ${m.suite.keyLength}`);
          return { ...m, plaintextDataKey: out.Plaintext.slice() };
        } catch (e) {
          note(m, `EDK #${i + 1} (aws-kms ${arn}): KMS Decrypt failed: ${errText(e)}`);
        }
      }
      return m;
    },
  };
}

// ---- multi ----

export interface MultiKeyringOptions {
  generator?: Keyring;
  children?: Keyring[];
}

/**
 * The generator makes the data key, every child wraps it too, so any one of them can decrypt.
 * Accepts `{ generator, children }` (as the SDK) or keyrings in a row (the first generates).
 */
export function multiKeyring(...args: [MultiKeyringOptions] | Keyring[]): Keyring {
  const first = args[0] as Keyring | MultiKeyringOptions | undefined;
  const { generator, children = [] } =
    first && 'onEncrypt' in first ? { generator: first, children: args.slice(1) as Keyring[] } : ((first ?? {}) as MultiKeyringOptions);
  if (!generator && children.length === 0) throw new Error('A multi-keyring needs a generator or at least one child');
  return {
    async onEncrypt(m: EncryptionMaterials) {
      let materials = m;
      if (generator) materials = await generator.onEncrypt(materials);
      if (!materials.plaintextDataKey) throw new Error('A multi-keyring without a generator cannot create a data key');
      for (const child of children) materials = await child.onEncrypt(materials);
      return materials;
    },
    async onDecrypt(m: DecryptionMaterials, edks: EncryptedDataKey[]) {
      for (const k of generator ? [generator, ...children] : children) {
        if (m.plaintextDataKey) return m;
        try {
          const out = await k.onDecrypt(m, edks);
          m = { ...out, attempts: out.attempts ?? m.attempts };
        } catch (e) {
          note(m, `a keyring of the multi-keyring failed: ${errText(e)}`);
        }
      }
      return m;
    },
  };
}

// ---- a data key fetched now, used later ----

export interface DeferredKmsDataKeyOptions {
  client: KmsClient;
  keyId: string;
  /** Fixed now: KMS binds it to the encrypted data key. */
  encryptionContext?: Record<string, string>;
  /** A non-signing suite: a signing suite adds a fresh public key to the context at encryption time,
   *  which KMS could not have bound to a key fetched earlier. Default 0x0478. */
  suiteId?: number;
}

/**
 * GenerateDataKeyWithoutPlaintext as it is meant to be used: fetch an encrypted data key now
 * (nothing secret leaves KMS), keep it, and decrypt it with KMS only when the data is written.
 * Returns the EDK and a keyring that will use it, once, for a message with the same context.
 * The message decrypts with an ordinary KMS keyring.
 */
export async function deferredKmsDataKey({ client, keyId, encryptionContext = {}, suiteId = 0x0478 }: DeferredKmsDataKeyOptions) {
  const suite = getSuite(suiteId);
  if (suite.signature)
    throw new Error(
      `Suite 0x${suiteId.toString(16).padStart(4, '0')} signs: its context gains a public key at encryption time, so a data key cannot be fetched ahead`,
    );
  const ctx = Object.keys(encryptionContext).length ? { EncryptionContext: encryptionContext } : {};
  const out = await client.send('GenerateDataKeyWithoutPlaintext', { KeyId: keyId, NumberOfBytes: suite.keyLength, ...ctx });
  const edk = edkFromParts(KMS_PROVIDER_ID, utf8.encode(out.KeyId), out.CiphertextBlob);
  let used = false;
  const keyring: Keyring = {
    async onEncrypt(m: EncryptionMaterials) {
      if (used) throw new Error('This pre-fetched data key was already used for a message');
      if (m.suite.id !== suite.id) throw new Error(`The data key was fetched for suite 0x${suite.id.toString(16).padStart(4, '0')}`);
      if (serializeEncryptionContext(m.encryptionContext).join() !== serializeEncryptionContext(encryptionContext).join())
        throw new Error('The encryption context differs from the one the data key was fetched with');
      const dk = await client.send('Decrypt', { CiphertextBlob: out.CiphertextBlob, KeyId: out.KeyId, ...ctx });
      used = true;
      return { ...m, plaintextDataKey: dk.Plaintext.slice(), encryptedDataKeys: [...m.encryptedDataKeys, edk] };
    },
    onDecrypt: async (m) => m,
  };
  return { encryptedDataKey: edk, keyring };
}
