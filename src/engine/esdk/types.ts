/** Shapes named as in the AWS Encryption SDK for JavaScript (@aws-crypto/material-management, serialize). */
import type { RandomSource } from '../crypto';
import type { AlgorithmSuite, AlgorithmSuiteId } from './suites';

export type EncryptionContext = Record<string, string>;

export interface EncryptedDataKey {
  /** Key provider ID (UTF-8): `aws-kms`, or a raw keyring's key namespace. */
  providerId: string;
  /** Key provider info decoded as UTF-8 (lossy when it holds binary, as a raw AES keyring's IV). */
  providerInfo: string;
  /** The wrapped data key. */
  encryptedDataKey: Uint8Array;
  /** Key provider info as stored, byte for byte. */
  rawInfo: Uint8Array;
}

export const ContentType = { NO_FRAMING: 1, FRAMED_DATA: 2 } as const;
export type ContentType = (typeof ContentType)[keyof typeof ContentType];

export const MessageFormat = { V1: 1, V2: 2 } as const;

export interface MessageHeader {
  version: 1 | 2;
  /** v1 only: 0x80, customer authenticated encrypted data. */
  type?: 128;
  suiteId: AlgorithmSuiteId;
  messageId: Uint8Array;
  /** The stored encryption context (authenticated-only required pairs are not in it). */
  encryptionContext: EncryptionContext;
  encryptedDataKeys: EncryptedDataKey[];
  contentType: ContentType;
  /** v1 only: 12. */
  headerIvLength?: 12;
  /** 0 for non-framed messages. */
  frameLength: number;
  /** v2 only: the 32-byte commit key. */
  suiteData?: Uint8Array;
  /** All zero; stored in v1, implicit in v2. */
  headerIv: Uint8Array;
  headerAuthTag: Uint8Array;
}

/** What a keyring receives and fills in on encrypt. */
export interface EncryptionMaterials {
  suite: AlgorithmSuite;
  /** The full context: caller pairs, `aws-crypto-public-key` and required (authenticated-only) pairs. */
  encryptionContext: EncryptionContext;
  plaintextDataKey?: Uint8Array;
  encryptedDataKeys: EncryptedDataKey[];
  /** Signing suites: the ephemeral private key (PKCS#8) that signs the footer. */
  signingKey?: Uint8Array;
  /** Keys whose pairs are authenticated but not stored in the header. */
  requiredEncryptionContextKeys: string[];
  /**
   * kms-lab's addition, not in the SDK's shapes: where a keyring draws a fresh data key and its
   * IVs or padding. Absent means the CSPRNG; a reproducible world's encrypt passes its DRBG.
   */
  random?: RandomSource;
}

export interface DecryptionMaterials {
  suite: AlgorithmSuite;
  encryptionContext: EncryptionContext;
  plaintextDataKey?: Uint8Array;
  /** Signing suites: SPKI of the verification key taken from `aws-crypto-public-key`. */
  verificationKey?: Uint8Array;
  requiredEncryptionContextKeys: string[];
  /** Why each encrypted data key a keyring tried did not unwrap (for a precise error). */
  attempts?: string[];
}

export interface Keyring {
  onEncrypt(materials: EncryptionMaterials): Promise<EncryptionMaterials>;
  onDecrypt(materials: DecryptionMaterials, encryptedDataKeys: EncryptedDataKey[]): Promise<DecryptionMaterials>;
}

export interface EncryptionRequest {
  encryptionContext: EncryptionContext;
  suiteId?: number;
  /** Unknown for a stream of unknown length. */
  plaintextLength?: number;
  commitmentPolicy: import('./suites').CommitmentPolicy;
  /** kms-lab's addition (see EncryptionMaterials.random): the signing key pair's source, passed on to the keyring. */
  random?: RandomSource;
}

export interface DecryptionRequest {
  suite: AlgorithmSuite;
  /** The context stored in the header. */
  encryptionContext: EncryptionContext;
  encryptedDataKeys: EncryptedDataKey[];
  /** What the caller supplied to decrypt (`encryptionContext` option). */
  reproducedEncryptionContext?: EncryptionContext;
}

/** A cryptographic materials manager (framework/cmm-interface.md). */
export interface CMM {
  getEncryptionMaterials(request: EncryptionRequest): Promise<EncryptionMaterials>;
  decryptMaterials(request: DecryptionRequest): Promise<DecryptionMaterials>;
}

export function isCmm(x: unknown): x is CMM {
  return typeof (x as CMM)?.getEncryptionMaterials === 'function' && typeof (x as CMM)?.decryptMaterials === 'function';
}

export function isKeyring(x: unknown): x is Keyring {
  return typeof (x as Keyring)?.onEncrypt === 'function' && typeof (x as Keyring)?.onDecrypt === 'function';
}
