/**
 * The AWS Encryption SDK, in the simulator: real, byte-compatible messages (format v1 and v2),
 * all eleven algorithm suites for decryption and every suite for encryption (committing ones by
 * default), framed bodies, ECDSA footers, keyrings and CMMs. Its surface mirrors the AWS
 * Encryption SDK for JavaScript (`encrypt(keyring, plaintext, options) → { result,
 * messageHeader }`, `decrypt(keyring, ciphertext) → { plaintext, messageHeader }`, buildClient).
 */
import { ByteReader } from './reader';
import { type DecryptOptions, type DecryptResult, decryptBuffer, decryptChunks, openMessage } from './decrypt';
import { type EncryptOptions, asAsyncIterable, encryptChunks, generatorToStream, startEncrypt } from './encrypt';
import { concatBytes } from '../crypto';
import { CommitmentPolicy } from './suites';
import { readHeader } from './serialize';
import type { CMM, Keyring, MessageHeader } from './types';

export { AlgorithmSuiteIdentifier, CommitmentPolicy, SUITES, getSuite, hexId } from './suites';
export type { AlgorithmSuite, AlgorithmSuiteId } from './suites';
export { ContentType, MessageFormat, isCmm, isKeyring } from './types';
export type {
  CMM,
  DecryptionMaterials,
  DecryptionRequest,
  EncryptedDataKey,
  EncryptionContext,
  EncryptionMaterials,
  EncryptionRequest,
  Keyring,
  MessageHeader,
} from './types';
export { rawAesKeyring, rawRsaKeyring, kmsKeyring, multiKeyring, deferredKmsDataKey, KMS_PROVIDER_ID } from './keyrings';
export type { RawAesKeyringOptions, RawRsaKeyringOptions, KmsKeyringOptions, MultiKeyringOptions, RsaPadding } from './keyrings';
export {
  DefaultCMM,
  RequiredEncryptionContextCMM,
  requiredEncryptionContextCmm,
  CachingCMM,
  cachingCmm,
  LocalCryptographicMaterialsCache,
  getLocalCryptographicMaterialsCache,
  materialsCmm,
  toCmm,
} from './cmm';
export type { CachingCmmOptions, CachingStats, RequiredEncryptionContextCmmOptions } from './cmm';
export { serializeEncryptionContext, parseEncryptionContext } from './serialize';
export { describeMessage, type MessageField } from './anatomy';
export type { EncryptOptions, DecryptOptions, DecryptResult };

/** Reads just the header of a message (a stream or bytes): what a CMM needs to find the data key. */
export async function readMessageHeader(source: StreamSource | Uint8Array, options: { maxEncryptedDataKeys?: number } = {}) {
  const r = source instanceof Uint8Array ? ByteReader.of(source) : new ByteReader(iteratorOf(asAsyncIterable(source)));
  try {
    const { header, suite, rawHeader } = await readHeader(r, options);
    return { messageHeader: header, suite, headerLength: rawHeader.length };
  } finally {
    await r.cancel();
  }
}

function iteratorOf(source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): AsyncIterator<Uint8Array> | Iterator<Uint8Array> {
  return Symbol.asyncIterator in source ? source[Symbol.asyncIterator]() : (source as Iterable<Uint8Array>)[Symbol.iterator]();
}

export interface EncryptResult {
  result: Uint8Array;
  messageHeader: MessageHeader;
}

export type StreamSource = ReadableStream<Uint8Array> | AsyncIterable<Uint8Array> | Iterable<Uint8Array>;

export interface ClientOptions {
  commitmentPolicy?: CommitmentPolicy;
  /** Refuse messages carrying more encrypted data keys (default: no limit). */
  maxEncryptedDataKeys?: number;
}

export interface EsdkClient {
  encrypt(cmmOrKeyring: CMM | Keyring, plaintext: Uint8Array | string, options?: EncryptOptions): Promise<EncryptResult>;
  decrypt(cmmOrKeyring: CMM | Keyring, ciphertext: Uint8Array, options?: DecryptOptions): Promise<DecryptResult>;
  /** Resolves once the header is written; `result` then yields the message, frame by frame. */
  encryptStream(
    cmmOrKeyring: CMM | Keyring,
    plaintext: StreamSource,
    options?: EncryptOptions,
  ): Promise<{ result: ReadableStream<Uint8Array>; messageHeader: MessageHeader }>;
  /** Resolves once the header is authenticated; `plaintext` then yields authenticated frames. */
  decryptStream(
    cmmOrKeyring: CMM | Keyring,
    ciphertext: StreamSource,
    options?: DecryptOptions,
  ): Promise<{ plaintext: ReadableStream<Uint8Array>; messageHeader: MessageHeader }>;
}

/**
 * As the SDK's buildClient: fixes the commitment policy (default REQUIRE_ENCRYPT_REQUIRE_DECRYPT,
 * as AWS) and the EDK limit for every call of the client it returns.
 */
export function buildClient(options: CommitmentPolicy | ClientOptions = CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT): EsdkClient {
  const o: ClientOptions = typeof options === 'string' ? { commitmentPolicy: options } : options;
  const policy = o.commitmentPolicy ?? CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT;
  if (!Object.values(CommitmentPolicy).includes(policy)) throw new Error(`Unknown commitment policy ${String(policy)}`);
  const limits = (d: DecryptOptions = {}): DecryptOptions => ({ maxEncryptedDataKeys: o.maxEncryptedDataKeys, ...d });
  const bytes = (p: Uint8Array | string) =>
    typeof p === 'string'
      ? new TextEncoder().encode(p)
      : p instanceof Uint8Array && p.constructor !== Uint8Array
        ? new Uint8Array(p.buffer, p.byteOffset, p.byteLength)
        : p;
  return {
    async encrypt(cmmOrKeyring, plaintext, options = {}) {
      const data = bytes(plaintext);
      if (!(data instanceof Uint8Array)) throw new TypeError('encrypt: plaintext must be a Uint8Array or a string');
      const st = await startEncrypt(cmmOrKeyring, { ...options, plaintextLength: data.length }, policy);
      const chunks: Uint8Array[] = [];
      for await (const c of encryptChunks(st, [data])) chunks.push(c);
      return { result: concatBytes(...chunks), messageHeader: st.header };
    },
    decrypt(cmmOrKeyring, ciphertext, options) {
      return decryptBuffer(cmmOrKeyring, ciphertext, limits(options), policy);
    },
    async encryptStream(cmmOrKeyring, plaintext, options = {}) {
      const st = await startEncrypt(cmmOrKeyring, options, policy);
      return { result: generatorToStream(encryptChunks(st, asAsyncIterable(plaintext))), messageHeader: st.header };
    },
    async decryptStream(cmmOrKeyring, ciphertext, options) {
      const r = new ByteReader(iteratorOf(asAsyncIterable(ciphertext)));
      try {
        const st = await openMessage(cmmOrKeyring, r, limits(options), policy);
        return { plaintext: generatorToStream(decryptChunks(st, r)), messageHeader: st.parsed.header };
      } catch (e) {
        await r.cancel();
        throw e;
      }
    },
  };
}

/**
 * The module-level functions use REQUIRE_ENCRYPT_ALLOW_DECRYPT: they write only committing suites
 * (0x0578 by default) but read every message, v1 included, so the lab can open legacy messages.
 * AWS's default (REQUIRE_ENCRYPT_REQUIRE_DECRYPT) is one option away: `{ commitmentPolicy }` or
 * buildClient().
 */
const lab = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT);
export const encrypt = lab.encrypt;
export const decrypt = lab.decrypt;
export const encryptStream = lab.encryptStream;
export const decryptStream = lab.decryptStream;
