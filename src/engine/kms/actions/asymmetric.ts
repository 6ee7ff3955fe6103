/** Sign, Verify, GetPublicKey, GenerateDataKeyPair, GenerateDataKeyPairWithoutPlaintext. */
import { AwsError } from '../../errors';
import type { RequestContext } from '../../world';
import { generateKeyPair, sign, verify, type AsymmetricSpec } from '../../crypto';
import { currentMaterial, encryptionAlgorithmsOf, isAsymmetric, signingAlgorithmsOf, type AsymmetricMaterial, type KmsKey } from '../key';
import {
  DATA_KEY_PAIR_SPECS,
  MESSAGE_TYPES,
  SIGNING_ALGORITHMS,
  type KmsInput,
  type KmsOutput,
  type MessageType,
  type SigningAlgorithmSpec,
} from '../shapes';
import { DryRunM, GrantTokensM, KeyIdM, validate } from '../validate';
import { CRYPTO, dryRun, requireUsage, useKey } from './common';
import { sealUnderKey } from './symmetric';

const DIGEST_BYTES: Record<string, number> = { '256': 32, '384': 48, '512': 64 };
/** ML-DSA's external µ (FIPS 204: 64 bytes). */
const MU_BYTES = 64;

function asymmetricMaterial(key: KmsKey): AsymmetricMaterial {
  const m = currentMaterial(key);
  if (!m || m.kind !== 'asymmetric') throw new AwsError('KMSInvalidStateException', `${key.arn} is pending import.`);
  return m;
}

/** Which MessageType values each algorithm takes (reference/kms-api.md §2.6); others take RAW or DIGEST. */
const MESSAGE_TYPES_FOR: Partial<Record<SigningAlgorithmSpec, readonly MessageType[]>> = {
  ED25519_SHA_512: ['RAW'],
  ED25519_PH_SHA_512: ['DIGEST'],
  ML_DSA_SHAKE_256: ['RAW', 'EXTERNAL_MU'],
};

/** Shared checks of Sign and Verify: usage, algorithm for the key spec, message type, digest or mu length. */
function signingChecks(rc: RequestContext, key: KmsKey, alg: SigningAlgorithmSpec, message: Uint8Array, type: MessageType): void {
  requireUsage(rc, key, 'SIGN_VERIFY');
  if (!(signingAlgorithmsOf(key) ?? []).includes(alg)) {
    throw new AwsError('InvalidKeyUsageException', `Algorithm ${alg} is incompatible with key spec ${key.keySpec}.`);
  }
  if (!(MESSAGE_TYPES_FOR[alg] ?? ['RAW', 'DIGEST']).includes(type)) {
    // Wording not recorded in our references.
    throw new AwsError('ValidationException', `MessageType ${type} is not valid for algorithm ${alg}.`);
  }
  if (type === 'EXTERNAL_MU' && message.length !== MU_BYTES) {
    // Wording not recorded in our references (modelled on the digest-length message).
    throw new AwsError('ValidationException', `External mu is invalid length for algorithm ${alg}.`);
  }
  if (type === 'DIGEST' && message.length !== DIGEST_BYTES[alg.slice(-3)]) {
    throw new AwsError('ValidationException', `Digest is invalid length for algorithm ${alg}.`);
  }
}

const signShape = {
  KeyId: KeyIdM,
  Message: { t: 'blob', min: 1, max: 4096, required: true },
  MessageType: { t: 'enum', values: MESSAGE_TYPES },
  SigningAlgorithm: { t: 'enum', values: SIGNING_ALGORITHMS, required: true },
  GrantTokens: GrantTokensM,
  DryRun: DryRunM,
} as const;

export async function Sign(rc: RequestContext, input: KmsInput<'Sign'>): Promise<KmsOutput<'Sign'>> {
  validate(input, signShape);
  const key = useKey(rc, input.KeyId, CRYPTO);
  const type = input.MessageType ?? 'RAW';
  signingChecks(rc, key, input.SigningAlgorithm, input.Message, type);
  dryRun(input);
  const m = asymmetricMaterial(key);
  const signature = await sign(
    key.keySpec as AsymmetricSpec,
    m.privateKeyPkcs8,
    input.SigningAlgorithm,
    input.Message,
    type,
    rc.world.randomBytes,
  );
  rc.step({
    node: 'HSM',
    step: 'crypto',
    operation: `sign (${type})`,
    algorithm: input.SigningAlgorithm,
    bytesIn: input.Message.length,
    bytesOut: signature.length,
    ok: true,
  });
  return { KeyId: key.arn, Signature: signature, SigningAlgorithm: input.SigningAlgorithm };
}

export async function Verify(rc: RequestContext, input: KmsInput<'Verify'>): Promise<KmsOutput<'Verify'>> {
  validate(input, { ...signShape, Signature: { t: 'blob', min: 1, max: 6144, required: true } });
  const key = useKey(rc, input.KeyId, CRYPTO);
  const type = input.MessageType ?? 'RAW';
  signingChecks(rc, key, input.SigningAlgorithm, input.Message, type);
  dryRun(input);
  const m = asymmetricMaterial(key);
  const ok = await verify(key.keySpec as AsymmetricSpec, m.publicKeySpki, input.SigningAlgorithm, input.Message, type, input.Signature);
  rc.step({
    node: 'HSM',
    step: 'crypto',
    operation: `verify (${type})`,
    algorithm: input.SigningAlgorithm,
    bytesIn: input.Message.length,
    bytesOut: 0,
    ok,
    ...(ok ? {} : { detail: 'The signature does not match this message under this key and algorithm.' }),
  });
  // KMS answers a bad signature with an error, not with SignatureValid: false.
  if (!ok) throw new AwsError('KMSInvalidSignatureException', '');
  return { KeyId: key.arn, SignatureValid: true, SigningAlgorithm: input.SigningAlgorithm };
}

export async function GetPublicKey(rc: RequestContext, input: KmsInput<'GetPublicKey'>): Promise<KmsOutput<'GetPublicKey'>> {
  validate(input, { KeyId: KeyIdM, GrantTokens: GrantTokensM });
  const key = useKey(rc, input.KeyId, CRYPTO);
  if (!isAsymmetric(key.keySpec)) {
    // AWS's wording for a symmetric or HMAC key is not recorded in our references.
    throw new AwsError(
      'UnsupportedOperationException',
      `${key.arn} is not an asymmetric KMS key. GetPublicKey works only with asymmetric keys.`,
    );
  }
  const m = asymmetricMaterial(key);
  const out: KmsOutput<'GetPublicKey'> = {
    KeyId: key.arn,
    PublicKey: m.publicKeySpki.slice(),
    CustomerMasterKeySpec: key.keySpec,
    KeySpec: key.keySpec,
    KeyUsage: key.keyUsage,
  };
  const enc = encryptionAlgorithmsOf(key);
  if (enc) out.EncryptionAlgorithms = enc;
  const sig = signingAlgorithmsOf(key);
  if (sig) out.SigningAlgorithms = sig;
  if (key.keyUsage === 'KEY_AGREEMENT') out.KeyAgreementAlgorithms = ['ECDH'];
  return out;
}

const pairShape = {
  KeyId: KeyIdM,
  KeyPairSpec: { t: 'enum', values: DATA_KEY_PAIR_SPECS, required: true },
  EncryptionContext: { t: 'context' },
  GrantTokens: GrantTokensM,
  DryRun: DryRunM,
} as const;

/** A fresh key pair whose private key (PKCS#8 DER) is encrypted under a symmetric KMS key. */
async function dataKeyPair(rc: RequestContext, input: KmsInput<'GenerateDataKeyPair'>) {
  validate(input, pairShape);
  const key = useKey(rc, input.KeyId, CRYPTO);
  requireUsage(rc, key, 'ENCRYPT_DECRYPT');
  if (key.keySpec !== 'SYMMETRIC_DEFAULT')
    throw new AwsError('InvalidKeyUsageException', `${key.arn} key spec ${key.keySpec} is not valid for ${rc.action}.`);
  if (input.KeyPairSpec === 'SM2') {
    // SM2 exists only in China Regions.
    throw new AwsError('UnsupportedOperationException', `KeyPairSpec ${input.KeyPairSpec} is not supported in this Region.`);
  }
  dryRun(input);
  const pair = await generateKeyPair(input.KeyPairSpec as AsymmetricSpec, rc.world.randomBytes);
  rc.step({
    node: 'HSM',
    step: 'crypto',
    operation: `generate ${input.KeyPairSpec} key pair`,
    algorithm: input.KeyPairSpec,
    bytesIn: 0,
    bytesOut: pair.publicKeySpki.length,
    ok: true,
  });
  const { blob, materialId } = await sealUnderKey(rc, key, 'SYMMETRIC_DEFAULT', pair.privateKeyPkcs8, input.EncryptionContext);
  if (materialId) rc.audit.additionalEventData = { keyMaterialId: materialId };
  return { key, pair, blob, materialId };
}

export async function GenerateDataKeyPair(
  rc: RequestContext,
  input: KmsInput<'GenerateDataKeyPair'>,
): Promise<KmsOutput<'GenerateDataKeyPair'>> {
  const d = await dataKeyPair(rc, input);
  return {
    PrivateKeyCiphertextBlob: d.blob,
    PrivateKeyPlaintext: d.pair.privateKeyPkcs8,
    PublicKey: d.pair.publicKeySpki,
    KeyId: d.key.arn,
    KeyPairSpec: input.KeyPairSpec,
    ...(d.materialId ? { KeyMaterialId: d.materialId } : {}),
  };
}

export async function GenerateDataKeyPairWithoutPlaintext(
  rc: RequestContext,
  input: KmsInput<'GenerateDataKeyPairWithoutPlaintext'>,
): Promise<KmsOutput<'GenerateDataKeyPairWithoutPlaintext'>> {
  const d = await dataKeyPair(rc, input);
  d.pair.privateKeyPkcs8.fill(0);
  return {
    PrivateKeyCiphertextBlob: d.blob,
    PublicKey: d.pair.publicKeySpki,
    KeyId: d.key.arn,
    KeyPairSpec: input.KeyPairSpec,
    ...(d.materialId ? { KeyMaterialId: d.materialId } : {}),
  };
}
