/**
 * Decryption (client-apis/decrypt.md): parse the header, get a data key from the CMM, check key
 * commitment, authenticate the header, then each frame in order, then the signature, then that
 * nothing follows. Every failure is an Error that says what failed. No frame's plaintext leaves
 * before its GCM tag verifies; with a signing suite the final frame is held until the signature
 * verifies, and the buffered `decrypt` releases nothing until the whole message checks out.
 */
import { CryptoFailure, aesGcmDecrypt, bytesEqual, concatBytes, createHasher, ecdsaVerifyDigest, type Hasher } from '../crypto';
import { toCmm } from './cmm';
import { deriveKeys } from './kdf';
import { ByteReader } from './reader';
import {
  FINAL_FRAME_MARKER,
  MAX_U32,
  type ParsedHeader,
  bodyAad,
  readHeader,
  readU32,
  readU64,
  serializeEncryptionContext,
} from './serialize';
import { type AlgorithmSuite, CommitmentPolicy, checkDecryptSuite, hexId } from './suites';
import type { CMM, DecryptionMaterials, EncryptionContext, Keyring, MessageHeader } from './types';

export interface DecryptOptions {
  /** Reproduced encryption context: checked against the stored one; supplies authenticated-only pairs. */
  encryptionContext?: EncryptionContext;
  commitmentPolicy?: CommitmentPolicy;
  /** Refuse messages with more EDKs than this before trying any (default: no limit). */
  maxEncryptedDataKeys?: number;
}

/** Largest non-framed body (the AES-GCM limit, 2^36 - 32 bytes). */
const MAX_NON_FRAMED = 2 ** 36 - 32;
const IN_FLIGHT_BYTES = 16 * 2 ** 20;

export interface DecryptState {
  parsed: ParsedHeader;
  suite: AlgorithmSuite;
  key: Uint8Array;
  materials: DecryptionMaterials;
  hasher?: Hasher;
}

export async function openMessage(
  cmmOrKeyring: CMM | Keyring,
  r: ByteReader,
  options: DecryptOptions,
  defaultPolicy: CommitmentPolicy,
): Promise<DecryptState> {
  const { encryptionContext, commitmentPolicy = defaultPolicy, maxEncryptedDataKeys } = options;
  const parsed = await readHeader(r, { maxEncryptedDataKeys });
  const { header, suite } = parsed;
  checkDecryptSuite(commitmentPolicy, suite);
  const materials = await toCmm(cmmOrKeyring).decryptMaterials({
    suite,
    encryptionContext: header.encryptionContext,
    encryptedDataKeys: header.encryptedDataKeys,
    reproducedEncryptionContext: encryptionContext,
  });
  if (materials.suite.id !== suite.id)
    throw new Error(`The CMM returned materials for suite ${hexId(materials.suite.id)}, the message uses ${hexId(suite.id)}`);
  const { key, commitKey } = await deriveKeys(suite, materials.plaintextDataKey!, header.messageId);
  if (commitKey && !bytesEqual(commitKey, header.suiteData!))
    throw new Error(
      'Key commitment failed (Invalid commitment): the commit key derived from the data key differs from the one in the header, so this data key is not the one the message was written with',
    );
  const authOnly: EncryptionContext = {};
  for (const k of materials.requiredEncryptionContextKeys)
    if (k in materials.encryptionContext) authOnly[k] = materials.encryptionContext[k]!;
  try {
    await aesGcmDecrypt(key, header.headerIv, header.headerAuthTag, concatBytes(parsed.headerBody, serializeEncryptionContext(authOnly)));
  } catch (e) {
    if (!(e instanceof CryptoFailure)) throw e;
    throw new Error(
      'Header authentication failed: the header tag does not verify, so the header (context, EDKs, suite, message ID, frame length) was changed, the data key is wrong, or the authenticated-only encryption context differs',
      { cause: e },
    );
  }
  let hasher: Hasher | undefined;
  if (suite.signature) {
    hasher = createHasher(suite.signature.hash);
    hasher.update(parsed.rawHeader);
  }
  return { parsed, suite, key, materials, hasher };
}

function frameError(what: string): (e: unknown) => never {
  return (e) => {
    if (e instanceof CryptoFailure)
      throw new Error(
        `${what} failed authentication: its ciphertext, tag, IV or position was changed (AES-GCM tag mismatch); no plaintext from it was released`,
      );
    throw e;
  };
}

/** Plaintext chunks, in order, each released only after it authenticated. */
export async function* decryptChunks(st: DecryptState, r: ByteReader): AsyncGenerator<Uint8Array> {
  const { parsed, suite, key, hasher } = st;
  const { header } = parsed;
  const messageId = header.messageId;
  const take = async (n: number, what: string) => {
    const b = await r.read(n, what);
    hasher?.update(b);
    return b;
  };
  const held: Uint8Array[] = [];
  if (header.contentType === 1) {
    const iv = await take(12, 'the non-framed IV');
    const length = readU64(await take(8, 'the non-framed content length'));
    if (length > MAX_NON_FRAMED) throw new Error(`Non-framed content length ${length} exceeds the AES-GCM limit of 2^36-32 bytes`);
    const ct = await take(length + 16, 'the non-framed content and tag');
    held.push(await aesGcmDecrypt(key, iv, ct, bodyAad(messageId, 'single', 1, length)).catch(frameError('The non-framed body')));
  } else {
    const frameLength = header.frameLength;
    const window = Math.max(1, Math.min(8, Math.floor(IN_FLIGHT_BYTES / frameLength)));
    const inflight: Promise<Uint8Array>[] = [];
    for (let seq = 1; ; seq++) {
      if (seq > MAX_U32) throw new Error('Too many frames: more than 2^32-1 without a final frame');
      const marker = readU32(await take(4, `frame ${seq}'s sequence number`));
      if (marker === FINAL_FRAME_MARKER) {
        const finalSeq = readU32(await take(4, "the final frame's sequence number"));
        if (finalSeq !== seq)
          throw new Error(`Final frame has sequence number ${finalSeq}, expected ${seq}: frames are missing, repeated or out of order`);
        const iv = await take(12, "the final frame's IV");
        const length = readU32(await take(4, "the final frame's content length"));
        if (length > frameLength)
          throw new Error(`Final frame claims ${length} bytes of content, more than the frame length ${frameLength}`);
        const ct = await take(length + 16, 'the final frame content and tag');
        const p = aesGcmDecrypt(key, iv, ct, bodyAad(messageId, 'final', seq, length)).catch(frameError(`Final frame ${seq}`));
        p.catch(() => {});
        inflight.push(p);
        break;
      }
      if (marker !== seq) throw new Error(`Frame out of order: sequence number ${marker} where ${seq} was expected`);
      const iv = await take(12, `frame ${seq}'s IV`);
      const ct = await take(frameLength + 16, `frame ${seq}'s content and tag`);
      const p = aesGcmDecrypt(key, iv, ct, bodyAad(messageId, 'frame', seq, frameLength)).catch(frameError(`Frame ${seq}`));
      p.catch(() => {});
      inflight.push(p);
      while (inflight.length >= window) yield await inflight.shift()!;
    }
    // The final frame (and any still in flight) waits for the signature check below.
    for (const p of inflight) held.push(await p);
  }
  if (suite.signature && hasher) {
    const digest = hasher.digest();
    const len = await r.u16('the footer signature length');
    const sig = await r.read(len, 'the footer signature');
    const spki = st.materials.verificationKey!;
    if (!ecdsaVerifyDigest(suite.signature.curve, spki, digest, sig))
      throw new Error(
        `Footer signature is invalid: ECDSA ${suite.signature.curve} verification over the header and body failed, so the message was changed after it was signed`,
      );
  }
  if (!(await r.atEnd())) throw new Error(`Trailing bytes: the message ended at offset ${r.position} but more input follows`);
  if (suite.kdf) key.fill(0);
  for (const b of held) yield b;
}

export interface DecryptResult {
  plaintext: Uint8Array;
  messageHeader: MessageHeader;
}

export async function decryptBuffer(
  cmmOrKeyring: CMM | Keyring,
  ciphertext: Uint8Array,
  options: DecryptOptions,
  policy: CommitmentPolicy,
): Promise<DecryptResult> {
  if (!(ciphertext instanceof Uint8Array)) throw new TypeError('decrypt: ciphertext must be a Uint8Array');
  const r = ByteReader.of(ciphertext);
  const st = await openMessage(cmmOrKeyring, r, options, policy);
  const chunks: Uint8Array[] = [];
  for await (const c of decryptChunks(st, r)) chunks.push(c);
  return { plaintext: chunks.length === 1 ? chunks[0]! : concatBytes(...chunks), messageHeader: st.parsed.header };
}
