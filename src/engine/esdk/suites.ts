/**
 * The eleven AWS Encryption SDK algorithm suites (framework/algorithm-suites.md). Every suite is
 * AES-GCM with a 12-byte IV and a 16-byte tag; they differ in key length, key derivation, key
 * commitment and the footer signature.
 */
import type { CurveName, HashName, HmacHash } from '../crypto';

export const AlgorithmSuiteIdentifier = {
  ALG_AES128_GCM_IV12_TAG16: 0x0014,
  ALG_AES192_GCM_IV12_TAG16: 0x0046,
  ALG_AES256_GCM_IV12_TAG16: 0x0078,
  ALG_AES128_GCM_IV12_TAG16_HKDF_SHA256: 0x0114,
  ALG_AES192_GCM_IV12_TAG16_HKDF_SHA256: 0x0146,
  ALG_AES256_GCM_IV12_TAG16_HKDF_SHA256: 0x0178,
  ALG_AES128_GCM_IV12_TAG16_HKDF_SHA256_ECDSA_P256: 0x0214,
  ALG_AES192_GCM_IV12_TAG16_HKDF_SHA384_ECDSA_P384: 0x0346,
  ALG_AES256_GCM_IV12_TAG16_HKDF_SHA384_ECDSA_P384: 0x0378,
  ALG_AES256_GCM_IV12_TAG16_HKDF_SHA512_COMMIT_KEY: 0x0478,
  ALG_AES256_GCM_IV12_TAG16_HKDF_SHA512_COMMIT_KEY_ECDSA_P384: 0x0578,
} as const;
export type AlgorithmSuiteId = (typeof AlgorithmSuiteIdentifier)[keyof typeof AlgorithmSuiteIdentifier];

export interface AlgorithmSuite {
  id: AlgorithmSuiteId;
  name: string;
  /** Message format version this suite is written in. */
  messageFormat: 1 | 2;
  /** Bytes of the data key and of the derived AES key. */
  keyLength: 16 | 24 | 32;
  /** undefined: identity KDF (the data key is the AES key). */
  kdf?: HmacHash;
  commitment: boolean;
  signature?: { curve: CurveName; hash: HashName };
  /** Message ID length in the header (16 bytes in v1, 32 in v2). */
  messageIdLength: 16 | 32;
  /** Algorithm suite data in the v2 header (the 32-byte commit key). */
  suiteDataLength: 0 | 32;
  ivLength: 12;
  tagLength: 16;
}

function suite(
  id: AlgorithmSuiteId,
  keyLength: 16 | 24 | 32,
  kdf: HmacHash | undefined,
  sig?: 'P-256' | 'P-384',
  commit = false,
): AlgorithmSuite {
  const name = (Object.keys(AlgorithmSuiteIdentifier) as (keyof typeof AlgorithmSuiteIdentifier)[]).find(
    (k) => AlgorithmSuiteIdentifier[k] === id,
  )!;
  return {
    id,
    name,
    messageFormat: commit ? 2 : 1,
    keyLength,
    kdf,
    commitment: commit,
    signature: sig ? { curve: sig, hash: sig === 'P-256' ? 'SHA-256' : 'SHA-384' } : undefined,
    messageIdLength: commit ? 32 : 16,
    suiteDataLength: commit ? 32 : 0,
    ivLength: 12,
    tagLength: 16,
  };
}

export const SUITES: ReadonlyMap<number, AlgorithmSuite> = new Map(
  [
    suite(0x0014, 16, undefined),
    suite(0x0046, 24, undefined),
    suite(0x0078, 32, undefined),
    suite(0x0114, 16, 'SHA-256'),
    suite(0x0146, 24, 'SHA-256'),
    suite(0x0178, 32, 'SHA-256'),
    suite(0x0214, 16, 'SHA-256', 'P-256'),
    suite(0x0346, 24, 'SHA-384', 'P-384'),
    suite(0x0378, 32, 'SHA-384', 'P-384'),
    suite(0x0478, 32, 'SHA-512', undefined, true),
    suite(0x0578, 32, 'SHA-512', 'P-384', true),
  ].map((s) => [s.id, s]),
);

export function hexId(id: number): string {
  return '0x' + id.toString(16).padStart(4, '0');
}

export function getSuite(id: number): AlgorithmSuite {
  const s = SUITES.get(id);
  if (!s) throw new Error(`Unsupported algorithm suite ${hexId(id)}: not one of the eleven AWS Encryption SDK suites`);
  return s;
}

export const CommitmentPolicy = {
  FORBID_ENCRYPT_ALLOW_DECRYPT: 'FORBID_ENCRYPT_ALLOW_DECRYPT',
  REQUIRE_ENCRYPT_ALLOW_DECRYPT: 'REQUIRE_ENCRYPT_ALLOW_DECRYPT',
  REQUIRE_ENCRYPT_REQUIRE_DECRYPT: 'REQUIRE_ENCRYPT_REQUIRE_DECRYPT',
} as const;
export type CommitmentPolicy = (typeof CommitmentPolicy)[keyof typeof CommitmentPolicy];

/**
 * Default suite for encryption under each policy. FORBID_ENCRYPT: the JS SDK uses 0x0378 (the
 * MPL spec names 0x0078); we follow the JS SDK, whose surface this module mirrors.
 */
export function defaultSuite(policy: CommitmentPolicy): AlgorithmSuite {
  return getSuite(policy === 'FORBID_ENCRYPT_ALLOW_DECRYPT' ? 0x0378 : 0x0578);
}

export function checkEncryptSuite(policy: CommitmentPolicy, suite: AlgorithmSuite): void {
  if (policy === 'FORBID_ENCRYPT_ALLOW_DECRYPT' && suite.commitment)
    throw new Error(
      `Configuration conflict: suite ${hexId(suite.id)} commits to its key, which commitment policy ${policy} forbids for encryption`,
    );
  if (policy !== 'FORBID_ENCRYPT_ALLOW_DECRYPT' && !suite.commitment)
    throw new Error(
      `Configuration conflict: suite ${hexId(suite.id)} does not commit to its key, which commitment policy ${policy} forbids for encryption`,
    );
}

export function checkDecryptSuite(policy: CommitmentPolicy, suite: AlgorithmSuite): void {
  if (policy === 'REQUIRE_ENCRYPT_REQUIRE_DECRYPT' && !suite.commitment)
    throw new Error(
      `Configuration conflict: the message uses suite ${hexId(suite.id)}, which does not commit to its key, and commitment policy ${policy} refuses to decrypt it`,
    );
}
