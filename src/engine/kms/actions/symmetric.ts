/**
 * Encrypt, Decrypt, ReEncrypt, GenerateDataKey, GenerateDataKeyWithoutPlaintext, GenerateRandom.
 * Symmetric encryption is AES-256-GCM under the key's current material with the encryption
 * context bound as AAD (ciphertext.ts); RSA keys use real RSA-OAEP so that a public key taken
 * out of KMS can encrypt data that KMS decrypts.
 */
import { AwsError } from '../../errors';
import type { RequestContext } from '../../world';
import {
  aesGcmDecrypt,
  aesGcmEncrypt,
  concatBytes,
  CryptoFailure,
  rsaMaxOaepPlaintext,
  rsaOaepDecrypt,
  rsaOaepEncrypt,
} from '../../crypto';
import { additionalData, encodeHeader, IV_LEN, parseBlob } from '../ciphertext';
import { currentMaterial, isRsa, type KmsKey, type SymmetricMaterial } from '../key';
import { resolveKey } from '../resolve';
import {
  DATA_KEY_SPECS,
  ENCRYPTION_ALGORITHMS,
  type EncryptionAlgorithmSpec,
  type EncryptionContext,
  type KmsInput,
  type KmsOutput,
} from '../shapes';
import { DryRunM, GrantTokensM, KeyIdM, OptKeyIdM, validate, type Shape } from '../validate';
import { admitKey, authorize, CRYPTO, dryRun, requireUsage, useKey } from './common';

/** Encrypt takes at most 4 KiB of plaintext; a ciphertext blob is at most 6 KiB. */
export const MAX_PLAINTEXT_BYTES = 4096;
export const MAX_CIPHERTEXT_BYTES = 6144;
/** GenerateDataKey NumberOfBytes and GenerateRandom take 1 to 1,024 bytes. */
export const MAX_DATA_KEY_BYTES = 1024;
const PlaintextM = { t: 'blob', min: 1, max: MAX_PLAINTEXT_BYTES, required: true } as const;
const CiphertextM = { t: 'blob', min: 1, max: MAX_CIPHERTEXT_BYTES, required: true } as const;
const AlgorithmM = { t: 'enum', values: ENCRYPTION_ALGORITHMS } as const;

const RSA_BITS: Record<string, number> = { RSA_2048: 2048, RSA_3072: 3072, RSA_4096: 4096 };
const oaepHash = (alg: EncryptionAlgorithmSpec) => (alg === 'RSAES_OAEP_SHA_1' ? 'SHA-1' : 'SHA-256');

function incompatible(alg: string, key: KmsKey): AwsError {
  return new AwsError('InvalidKeyUsageException', `Algorithm ${alg} is incompatible with key spec ${key.keySpec}.`);
}

/** Checks that `alg` fits the key and that an asymmetric key gets no encryption context. */
function checkAlgorithm(key: KmsKey, alg: EncryptionAlgorithmSpec, ctx: EncryptionContext | undefined): void {
  const ok =
    key.keySpec === 'SYMMETRIC_DEFAULT'
      ? alg === 'SYMMETRIC_DEFAULT'
      : isRsa(key.keySpec) && (alg === 'RSAES_OAEP_SHA_1' || alg === 'RSAES_OAEP_SHA_256');
  if (!ok) throw incompatible(alg, key);
  if (key.keySpec !== 'SYMMETRIC_DEFAULT' && ctx && Object.keys(ctx).length) {
    // Asymmetric keys take no encryption context (aws-facts.md §2.10); AWS's wording is not recorded.
    throw new AwsError('ValidationException', 'EncryptionContext is not supported with asymmetric KMS keys.');
  }
}

/** Encrypts under `key` with `alg`; returns the blob and the material used. */
async function seal(
  rc: RequestContext,
  key: KmsKey,
  alg: EncryptionAlgorithmSpec,
  plaintext: Uint8Array,
  ec: EncryptionContext | undefined,
) {
  if (alg === 'SYMMETRIC_DEFAULT') {
    const m = currentMaterial(key) as SymmetricMaterial;
    const header = encodeHeader(key.keyId, m.id);
    const iv = rc.world.randomBytes(IV_LEN);
    const sealed = await aesGcmEncrypt(m.secret, iv, plaintext, additionalData(header, ec));
    const blob = concatBytes(header, iv, sealed);
    rc.step({
      node: 'HSM',
      step: 'crypto',
      operation: 'AES-256-GCM encrypt',
      algorithm: alg,
      bytesIn: plaintext.length,
      bytesOut: blob.length,
      keyMaterialId: m.id,
      aad: Object.keys(ec ?? {}),
      ok: true,
    });
    return { blob, materialId: m.id as string | undefined };
  }
  const bits = RSA_BITS[key.keySpec]!;
  const max = rsaMaxOaepPlaintext(bits, oaepHash(alg));
  if (plaintext.length > max) {
    throw new AwsError('ValidationException', `Algorithm ${alg} and key spec ${key.keySpec} cannot encrypt data larger than ${max} bytes.`);
  }
  const m = currentMaterial(key);
  if (!m || m.kind !== 'asymmetric') throw new AwsError('KMSInvalidStateException', `${key.arn} is pending import.`);
  const blob = await rsaOaepEncrypt(m.publicKeySpki, oaepHash(alg), plaintext, undefined, rc.world.randomBytes);
  rc.step({
    node: 'HSM',
    step: 'crypto',
    operation: `RSA-OAEP encrypt (${oaepHash(alg)})`,
    algorithm: alg,
    bytesIn: plaintext.length,
    bytesOut: blob.length,
    ok: true,
  });
  return { blob, materialId: undefined };
}

const FAILED_AUTH = 'AES-GCM authentication failed: the ciphertext, its header or the encryption context is not what was encrypted.';

/**
 * Finds the key for a ciphertext and decrypts it. Symmetric blobs name their key; an RSA
 * ciphertext is just bytes, so the caller must name the key (KeyId) and the algorithm.
 */
async function open(
  rc: RequestContext,
  blob: Uint8Array,
  keyIdParam: string | undefined,
  alg: EncryptionAlgorithmSpec,
  ec: EncryptionContext | undefined,
  dry: { DryRun?: boolean },
  permission?: string,
): Promise<{ key: KmsKey; plaintext: Uint8Array; materialId?: string }> {
  const named = keyIdParam === undefined ? undefined : resolveKey(rc, rc.world.kms, keyIdParam, CRYPTO).key;
  if (alg !== 'SYMMETRIC_DEFAULT') {
    // Without a KeyId KMS reads the blob as symmetric, and an RSA ciphertext is not one.
    if (!named) throw new AwsError('InvalidCiphertextException', '');
    const key = useKey(rc, named.arn, CRYPTO, permission);
    requireUsage(rc, key, 'ENCRYPT_DECRYPT');
    checkAlgorithm(key, alg, ec);
    dryRun(dry);
    const m = currentMaterial(key);
    if (!m || m.kind !== 'asymmetric') throw new AwsError('KMSInvalidStateException', `${key.arn} is pending import.`);
    try {
      const plaintext = await rsaOaepDecrypt(m.privateKeyPkcs8, oaepHash(alg), blob);
      rc.step({
        node: 'HSM',
        step: 'crypto',
        operation: `RSA-OAEP decrypt (${oaepHash(alg)})`,
        algorithm: alg,
        bytesIn: blob.length,
        bytesOut: plaintext.length,
        ok: true,
      });
      return { key, plaintext };
    } catch (e) {
      if (!(e instanceof CryptoFailure)) throw e;
      rc.step({
        node: 'HSM',
        step: 'crypto',
        operation: `RSA-OAEP decrypt (${oaepHash(alg)})`,
        algorithm: alg,
        bytesIn: blob.length,
        bytesOut: 0,
        ok: false,
        detail: 'OAEP padding check failed: not a ciphertext for this key and algorithm.',
      });
      throw new AwsError('InvalidCiphertextException', '');
    }
  }
  const parsed = parseBlob(blob);
  // A symmetric ciphertext with KeyId naming an asymmetric or HMAC key: the named key did not
  // encrypt it, which AWS reports as IncorrectKeyException (reference/kms-api.md §4.2).
  if (named && named.keySpec !== 'SYMMETRIC_DEFAULT') {
    if (parsed)
      throw new AwsError('IncorrectKeyException', 'The key ID in the request does not identify a CMK that can perform this operation.');
    throw incompatible(alg, named);
  }
  if (!parsed) throw new AwsError('InvalidCiphertextException', '');
  const key = findBlobKey(rc, parsed.keyId);
  if (named && named.arn !== key.arn) {
    throw new AwsError('IncorrectKeyException', 'The key ID in the request does not identify a CMK that can perform this operation.');
  }
  admitKey(rc, key, named ? 'key-arn' : 'ciphertext', permission);
  dryRun(dry);
  const m = key.materials.find((x) => x.id === parsed.keyMaterialId) as SymmetricMaterial | undefined;
  const aad = Object.keys(ec ?? {});
  const hsmDecrypt = (bytesOut: number, outcome: { ok: true } | { ok: false; detail: string }) =>
    rc.step({
      node: 'HSM',
      step: 'crypto',
      operation: 'AES-256-GCM decrypt',
      algorithm: alg,
      bytesIn: blob.length,
      bytesOut,
      ...(m ? { keyMaterialId: m.id, aad } : {}),
      ...outcome,
    });
  if (!m) {
    hsmDecrypt(0, { ok: false, detail: 'The key has no key material with the id written in this ciphertext.' });
    throw new AwsError('InvalidCiphertextException', '');
  }
  try {
    const plaintext = await aesGcmDecrypt(m.secret, parsed.iv, parsed.sealed, additionalData(parsed.header, ec));
    hsmDecrypt(plaintext.length, { ok: true });
    return { key, plaintext, materialId: m.id };
  } catch (e) {
    if (!(e instanceof CryptoFailure)) throw e;
    hsmDecrypt(0, { ok: false, detail: FAILED_AUTH });
    throw new AwsError('InvalidCiphertextException', '');
  }
}

/** The key a symmetric blob names, in the caller's Region (any account: the blob carries the key). */
function findBlobKey(rc: RequestContext, keyId: string): KmsKey {
  const kms = rc.world.kms;
  for (const account of [rc.account, ...rc.world.accounts.filter((a) => a !== rc.account)]) {
    const k = kms.keys.get(kms.keyArn(rc.region, account, keyId));
    if (k) return k;
  }
  // Deleted key, another Region's key, or a forged id: KMS cannot say which.
  throw new AwsError(
    'AccessDeniedException',
    'The ciphertext refers to a customer master key that does not exist, does not exist in this region, or you are not allowed to access.',
  );
}

/** What the trace names as the source of fresh random bytes: a reproducible world says so. */
function randomSourceName(rc: RequestContext): string {
  return rc.world.reproducibleCrypto ? 'seeded DRBG (reproducible world, teaching only)' : 'CSPRNG';
}

function materialAudit(rc: RequestContext, id: string | undefined): void {
  if (id) rc.audit.additionalEventData = { keyMaterialId: id };
}

const contextShape: Shape = { EncryptionContext: { t: 'context' }, GrantTokens: GrantTokensM, DryRun: DryRunM };

// Shapes of the hot-path actions are built once, not on every call.
const encryptShape: Shape = { KeyId: KeyIdM, Plaintext: PlaintextM, EncryptionAlgorithm: AlgorithmM, ...contextShape };
const decryptShape: Shape = { CiphertextBlob: CiphertextM, KeyId: OptKeyIdM, EncryptionAlgorithm: AlgorithmM, ...contextShape };

export async function Encrypt(rc: RequestContext, input: KmsInput<'Encrypt'>): Promise<KmsOutput<'Encrypt'>> {
  validate(input, encryptShape);
  const key = useKey(rc, input.KeyId, CRYPTO);
  requireUsage(rc, key, 'ENCRYPT_DECRYPT');
  const alg = input.EncryptionAlgorithm ?? 'SYMMETRIC_DEFAULT';
  checkAlgorithm(key, alg, input.EncryptionContext);
  dryRun(input);
  const { blob, materialId } = await seal(rc, key, alg, input.Plaintext, input.EncryptionContext);
  materialAudit(rc, materialId);
  return { CiphertextBlob: blob, KeyId: key.arn, EncryptionAlgorithm: alg };
}

export async function Decrypt(rc: RequestContext, input: KmsInput<'Decrypt'>): Promise<KmsOutput<'Decrypt'>> {
  validate(input, decryptShape);
  const alg = input.EncryptionAlgorithm ?? 'SYMMETRIC_DEFAULT';
  const { key, plaintext, materialId } = await open(rc, input.CiphertextBlob, input.KeyId, alg, input.EncryptionContext, input);
  materialAudit(rc, materialId);
  const out: KmsOutput<'Decrypt'> = { KeyId: key.arn, Plaintext: plaintext, EncryptionAlgorithm: alg };
  if (materialId) out.KeyMaterialId = materialId;
  return out;
}

export async function ReEncrypt(rc: RequestContext, input: KmsInput<'ReEncrypt'>): Promise<KmsOutput<'ReEncrypt'>> {
  validate(input, {
    CiphertextBlob: CiphertextM,
    SourceEncryptionContext: { t: 'context' },
    SourceKeyId: OptKeyIdM,
    DestinationKeyId: KeyIdM,
    DestinationEncryptionContext: { t: 'context' },
    SourceEncryptionAlgorithm: AlgorithmM,
    DestinationEncryptionAlgorithm: AlgorithmM,
    GrantTokens: GrantTokensM,
    DryRun: DryRunM,
  });
  const srcAlg = input.SourceEncryptionAlgorithm ?? 'SYMMETRIC_DEFAULT';
  const dstAlg = input.DestinationEncryptionAlgorithm ?? 'SYMMETRIC_DEFAULT';
  // The destination is checked before anything is decrypted, so no plaintext exists for a doomed call.
  const dest = useKey(rc, input.DestinationKeyId, CRYPTO, 'kms:ReEncryptTo');
  requireUsage(rc, dest, 'ENCRYPT_DECRYPT');
  checkAlgorithm(dest, dstAlg, input.DestinationEncryptionContext);
  const src = await open(rc, input.CiphertextBlob, input.SourceKeyId, srcAlg, input.SourceEncryptionContext, input, 'kms:ReEncryptFrom');
  const { blob, materialId } = await seal(rc, dest, dstAlg, src.plaintext, input.DestinationEncryptionContext);
  src.plaintext.fill(0);
  rc.audit.resources = [
    { accountId: src.key.account, type: 'AWS::KMS::Key', ARN: src.key.arn },
    { accountId: dest.account, type: 'AWS::KMS::Key', ARN: dest.arn },
  ];
  const out: KmsOutput<'ReEncrypt'> = {
    CiphertextBlob: blob,
    SourceKeyId: src.key.arn,
    KeyId: dest.arn,
    SourceEncryptionAlgorithm: srcAlg,
    DestinationEncryptionAlgorithm: dstAlg,
  };
  if (src.materialId) out.SourceKeyMaterialId = src.materialId;
  if (materialId) out.DestinationKeyMaterialId = materialId;
  return out;
}

const dataKeyShape: Shape = {
  KeyId: KeyIdM,
  NumberOfBytes: { t: 'int', min: 1, max: MAX_DATA_KEY_BYTES },
  KeySpec: { t: 'enum', values: DATA_KEY_SPECS },
  ...contextShape,
};

/** A data key's plaintext and its copy encrypted under a symmetric KMS key. */
async function dataKey(rc: RequestContext, input: KmsInput<'GenerateDataKey'>) {
  validate(input, dataKeyShape);
  if ((input.NumberOfBytes === undefined) === (input.KeySpec === undefined)) {
    // Exactly one of the two. AWS's words for a request with neither (nsmithuk/local-kms#6); the same is used when both are given.
    throw new AwsError('ValidationException', 'Please specify either number of bytes or key spec.');
  }
  const key = useKey(rc, input.KeyId, CRYPTO);
  requireUsage(rc, key, 'ENCRYPT_DECRYPT');
  if (key.keySpec !== 'SYMMETRIC_DEFAULT')
    throw new AwsError('InvalidKeyUsageException', `${key.arn} key spec ${key.keySpec} is not valid for ${rc.action}.`);
  dryRun(input);
  const n = input.NumberOfBytes ?? (input.KeySpec === 'AES_128' ? 16 : 32);
  const plaintext = rc.world.randomBytes(n);
  rc.step({
    node: 'HSM',
    step: 'crypto',
    operation: `generate ${n}-byte data key`,
    algorithm: randomSourceName(rc),
    bytesIn: 0,
    bytesOut: n,
    ok: true,
  });
  const { blob, materialId } = await seal(rc, key, 'SYMMETRIC_DEFAULT', plaintext, input.EncryptionContext);
  materialAudit(rc, materialId);
  return { key, plaintext, blob, materialId: materialId! };
}

export async function GenerateDataKey(rc: RequestContext, input: KmsInput<'GenerateDataKey'>): Promise<KmsOutput<'GenerateDataKey'>> {
  const d = await dataKey(rc, input);
  return { CiphertextBlob: d.blob, Plaintext: d.plaintext, KeyId: d.key.arn, KeyMaterialId: d.materialId };
}

export async function GenerateDataKeyWithoutPlaintext(
  rc: RequestContext,
  input: KmsInput<'GenerateDataKeyWithoutPlaintext'>,
): Promise<KmsOutput<'GenerateDataKeyWithoutPlaintext'>> {
  const d = await dataKey(rc, input);
  // The plaintext copy never leaves KMS: it is wiped here.
  d.plaintext.fill(0);
  return { CiphertextBlob: d.blob, KeyId: d.key.arn, KeyMaterialId: d.materialId };
}

export async function GenerateRandom(rc: RequestContext, input: KmsInput<'GenerateRandom'>): Promise<KmsOutput<'GenerateRandom'>> {
  validate(input, { NumberOfBytes: { t: 'int', min: 1, max: MAX_DATA_KEY_BYTES }, CustomKeyStoreId: { t: 'string', min: 1, max: 64 } });
  if (input.NumberOfBytes === undefined || input.NumberOfBytes === null)
    throw new AwsError('ValidationException', 'NumberOfBytes is required.');
  if (input.CustomKeyStoreId)
    throw new AwsError('CustomKeyStoreNotFoundException', `Custom key store ${input.CustomKeyStoreId} was not found.`);
  authorize(rc);
  const out = rc.world.randomBytes(input.NumberOfBytes);
  rc.step({
    node: 'HSM',
    step: 'crypto',
    operation: `generate ${out.length} random bytes`,
    algorithm: randomSourceName(rc),
    bytesIn: 0,
    bytesOut: out.length,
    ok: true,
  });
  return { Plaintext: out };
}

/** Used by GenerateDataKeyPair to wrap the private key. */
export { seal as sealUnderKey };
