/**
 * S3's encryption modes, for real: which mode a request asks for (and the errors S3 gives for
 * header combinations it refuses), then encrypting and decrypting an object's bytes.
 * Facts and error texts: reference/envelope-and-s3.md §5.
 *
 * - SSE-S3: a fresh data key per object, wrapped by S3's root key. AES-256-GCM.
 * - SSE-KMS: S3 calls KMS GenerateDataKey as the requester, via s3 (kms:ViaService), with the
 *   encryption context {"aws:s3:arn": <object ARN>} plus the caller's pairs; Decrypt on GET.
 *   With a Bucket Key, S3 asks KMS for a bucket-level key once (context: the bucket ARN) and
 *   derives each object's key from it (HKDF-SHA-256 with a per-object salt).
 * - DSSE-KMS: the SSE-KMS layer, then a second, S3-managed layer.
 * - SSE-C: the caller's key; S3 keeps only a salted HMAC of it to check later requests.
 */
import { AwsError, isAwsError } from '../errors';
import type { RequestContext } from '../world';
import { aesGcmDecrypt, aesGcmEncrypt, bytesEqual, CryptoFailure, fromBase64, hkdf, hmac, md5, toBase64 } from '../crypto';
import { BUCKET_KEY_LIFETIME_MS, type Bucket, type ObjectEncryption } from './service';
import type { ServerSideEncryption, SseCustomerRequest, SseRequest, SseResponse } from './shapes';
import type { S3PutFlow } from './flows';

const utf8 = new TextEncoder();

export const s3Error = (code: string, message: string, status = 400) => new AwsError(code, message, status);

export type RequestedMode =
  | { mode: 'default' }
  | { mode: 'SSE-S3' }
  | { mode: 'SSE-KMS' | 'DSSE-KMS'; keyId?: string; context: Record<string, string>; bucketKey?: boolean }
  | { mode: 'SSE-C'; key: Uint8Array; md5: string };

/** What a PutObject/CopyObject asks for, or the error S3 answers for its headers. */
export function requestedMode(ctx: RequestContext, r: SseRequest): RequestedMode {
  const sseC = r.SSECustomerAlgorithm !== undefined || r.SSECustomerKey !== undefined || r.SSECustomerKeyMD5 !== undefined;
  if (sseC) {
    if (r.ServerSideEncryption !== undefined) {
      throw s3Error(
        'InvalidArgument',
        'Server Side Encryption with Customer provided key is incompatible with the encryption method specified',
      );
    }
    return { mode: 'SSE-C', ...customerKey(ctx, r) };
  }
  const sse = r.ServerSideEncryption;
  if (sse === undefined) {
    if (r.SSEKMSKeyId !== undefined || r.SSEKMSEncryptionContext !== undefined) {
      throw s3Error(
        'InvalidArgument',
        'Server Side Encryption with AWS KMS managed key requires HTTP header x-amz-server-side-encryption : aws:kms',
      );
    }
    return { mode: 'default' };
  }
  if (sse !== 'AES256' && sse !== 'aws:kms' && sse !== 'aws:kms:dsse')
    throw s3Error('InvalidArgument', 'The encryption method specified is not supported');
  if (sse === 'AES256') {
    if (r.SSEKMSKeyId !== undefined) {
      throw s3Error(
        'InvalidArgument',
        'Server Side Encryption with AWS KMS managed key requires HTTP header x-amz-server-side-encryption : aws:kms',
      );
    }
    return { mode: 'SSE-S3' };
  }
  if (!ctx.secureTransport) {
    // Recorded from an older S3 response (reference §5.1).
    throw s3Error(
      'InvalidArgument',
      'Requests specifying Server Side Encryption with AWS KMS managed keys must be made over a secure connection.',
    );
  }
  const m: RequestedMode = { mode: sse === 'aws:kms' ? 'SSE-KMS' : 'DSSE-KMS', context: userContext(r.SSEKMSEncryptionContext) };
  if (r.SSEKMSKeyId !== undefined) m.keyId = r.SSEKMSKeyId;
  // DSSE-KMS does not use Bucket Keys; the header is ignored rather than refused (reference §5.1).
  if (r.BucketKeyEnabled !== undefined && sse === 'aws:kms') m.bucketKey = r.BucketKeyEnabled;
  return m;
}

function userContext(b64: string | undefined): Record<string, string> {
  if (b64 === undefined) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(fromBase64(b64)));
  } catch {
    parsed = undefined;
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed) || Object.values(parsed).some((v) => typeof v !== 'string')) {
    // Wording not recorded.
    throw s3Error('InvalidArgument', 'The header x-amz-server-side-encryption-context must be base64-encoded UTF-8 JSON of string pairs.');
  }
  return parsed as Record<string, string>;
}

/** Checks an SSE-C header trio (reference §5.6) and returns the key. */
export function customerKey(ctx: RequestContext, r: SseCustomerRequest): { key: Uint8Array; md5: string } {
  if (!ctx.secureTransport) {
    // AWS does not document the code; S3-compatible services answer this (approximation).
    throw s3Error(
      'InvalidRequest',
      'Requests specifying Server Side Encryption with Customer provided keys must be made over a secure connection.',
    );
  }
  if (r.SSECustomerAlgorithm === undefined) {
    throw s3Error(
      'InvalidArgument',
      'Requests specifying Server Side Encryption with Customer provided keys must provide a valid encryption algorithm.',
    );
  }
  if (r.SSECustomerAlgorithm !== 'AES256') {
    throw s3Error('InvalidEncryptionAlgorithmError', 'The Encryption request you specified is not valid. Supported value: AES256.');
  }
  if (r.SSECustomerKey === undefined) {
    throw s3Error(
      'InvalidArgument',
      'Requests specifying Server Side Encryption with Customer provided keys must provide an appropriate secret key.',
    );
  }
  let key: Uint8Array;
  try {
    key = fromBase64(r.SSECustomerKey);
  } catch {
    key = new Uint8Array(0);
  }
  if (key.length !== 32) throw s3Error('InvalidArgument', 'The secret key was invalid for the specified algorithm.');
  const digest = toBase64(md5(key));
  // The SDK computes the MD5 when the caller leaves it out.
  if (r.SSECustomerKeyMD5 !== undefined && r.SSECustomerKeyMD5 !== digest) {
    throw s3Error('InvalidArgument', 'The calculated MD5 hash of the key did not match the hash that was provided.');
  }
  return { key, md5: digest };
}

/** The mode a write really uses: the request's headers, else the bucket's default. */
export function effectiveMode(bucket: Bucket, asked: RequestedMode): Exclude<RequestedMode, { mode: 'default' }> {
  if (asked.mode === 'SSE-KMS')
    return asked.bucketKey === undefined ? { ...asked, bucketKey: !!bucket.encryption.BucketKeyEnabled } : asked;
  if (asked.mode !== 'default') return asked;
  const d = bucket.encryption.ApplyServerSideEncryptionByDefault;
  if (!d || d.SSEAlgorithm === 'AES256') return { mode: 'SSE-S3' };
  const m: RequestedMode = { mode: d.SSEAlgorithm === 'aws:kms' ? 'SSE-KMS' : 'DSSE-KMS', context: {} };
  if (d.KMSMasterKeyID) m.keyId = d.KMSMasterKeyID;
  if (d.SSEAlgorithm === 'aws:kms') m.bucketKey = !!bucket.encryption.BucketKeyEnabled;
  return m;
}

/** KMS as S3 calls it: as the requester, through S3, in the bucket's Region. */
async function kms<T>(ctx: RequestContext, bucket: Bucket, action: 'GenerateDataKey' | 'Decrypt', input: object): Promise<T> {
  try {
    return (await ctx.world.call('kms', action, input, { region: bucket.region, principal: ctx.callerArn, via: 's3' })) as T;
  } catch (e) {
    if (!isAwsError(e)) throw e;
    // S3 answers a KMS denial with its own 403; other KMS errors come back with a KMS. prefix.
    if (e.name === 'AccessDeniedException') throw s3Error('AccessDenied', 'Access Denied', 403);
    throw s3Error(`KMS.${e.name}`, e.message, 400);
  }
}

export interface Sealed {
  body: Uint8Array;
  iv: Uint8Array;
  enc: ObjectEncryption;
  response: SseResponse;
}

/** Encrypts an object's bytes in the given mode. */
export async function seal(
  ctx: RequestContext,
  bucket: Bucket,
  objectArn: string,
  mode: Exclude<RequestedMode, { mode: 'default' }>,
  plaintext: Uint8Array,
  flow?: S3PutFlow,
): Promise<Sealed> {
  const s3 = ctx.world.s3;
  // IVs, data keys and salts from the world's source (the CSPRNG unless the world is reproducible).
  const random = ctx.world.randomBytes;
  const step = (e: 'KEY_READY' | 'KMS_ERROR' | 'ENCRYPTED') => flow?.send({ type: e });
  const kmsStep = async <T>(p: Promise<T>): Promise<T> => {
    try {
      return await p;
    } catch (e) {
      step('KMS_ERROR');
      throw e;
    }
  };
  const iv = random(12);
  const aad = utf8.encode(objectArn);
  if (mode.mode === 'SSE-S3') {
    const dataKey = random(32);
    const wrapIv = random(12);
    const wrappedKey = await aesGcmEncrypt(s3.rootKey, wrapIv, dataKey, aad);
    step('KEY_READY');
    const body = await aesGcmEncrypt(dataKey, iv, plaintext, aad);
    step('ENCRYPTED');
    return { body, iv, enc: { mode: 'SSE-S3', wrappedKey, wrapIv }, response: { ServerSideEncryption: 'AES256' } };
  }
  if (mode.mode === 'SSE-C') {
    const salt = random(16);
    step('KEY_READY');
    const body = await aesGcmEncrypt(mode.key, iv, plaintext, aad);
    step('ENCRYPTED');
    return {
      body,
      iv,
      enc: { mode: 'SSE-C', keyMd5: mode.md5, salt, keyHmac: await hmac('SHA-256', salt, mode.key) },
      response: { SSECustomerAlgorithm: 'AES256', SSECustomerKeyMD5: mode.md5 },
    };
  }
  const keyId = mode.keyId ?? 'alias/aws/s3';
  let dataKey: Uint8Array;
  let keyArn: string;
  let encryptedDataKey: Uint8Array;
  let bucketKeySalt: Uint8Array | undefined;
  let context: Record<string, string>;
  if (mode.mode === 'SSE-KMS' && mode.bucketKey) {
    // One bucket-level key per bucket, KMS key and requester, for a while: no KMS call now.
    context = { ...mode.context, 'aws:s3:arn': bucket.arn };
    const cacheKey = bucketKeyCacheKey(ctx, bucket, keyId, context);
    let bk = s3.bucketKeys.get(cacheKey);
    if (!bk || bk.expiresMs <= ctx.now.getTime()) {
      const out = await kmsStep(
        kms<{ Plaintext: Uint8Array; CiphertextBlob: Uint8Array; KeyId: string }>(ctx, bucket, 'GenerateDataKey', {
          KeyId: keyId,
          KeySpec: 'AES_256',
          EncryptionContext: context,
        }),
      );
      bk = { plaintext: out.Plaintext, blob: out.CiphertextBlob, keyArn: out.KeyId, expiresMs: ctx.now.getTime() + BUCKET_KEY_LIFETIME_MS };
      s3.bucketKeys.set(cacheKey, bk);
      step('KEY_READY'); // the bucket-level key
    }
    bucketKeySalt = random(16);
    dataKey = await hkdf('SHA-256', bk.plaintext, bucketKeySalt, aad, 32);
    step('KEY_READY');
    keyArn = bk.keyArn;
    encryptedDataKey = bk.blob;
  } else {
    context = { ...mode.context, 'aws:s3:arn': objectArn };
    const out = await kmsStep(
      kms<{ Plaintext: Uint8Array; CiphertextBlob: Uint8Array; KeyId: string }>(ctx, bucket, 'GenerateDataKey', {
        KeyId: keyId,
        KeySpec: 'AES_256',
        EncryptionContext: context,
      }),
    );
    step('KEY_READY');
    dataKey = out.Plaintext;
    keyArn = out.KeyId;
    encryptedDataKey = out.CiphertextBlob;
  }
  let body = await aesGcmEncrypt(dataKey, iv, plaintext, aad);
  dataKey.fill(0);
  step('ENCRYPTED');
  const enc: ObjectEncryption = { mode: mode.mode, keyArn, encryptedDataKey, context };
  if (bucketKeySalt) enc.bucketKeySalt = bucketKeySalt;
  if (mode.mode === 'DSSE-KMS') {
    // The second layer, with a key S3 manages.
    const layerKey = random(32);
    const wrapIv = random(12);
    const layerIv = random(12);
    const wrappedKey = await aesGcmEncrypt(s3.rootKey, wrapIv, layerKey, aad);
    body = await aesGcmEncrypt(layerKey, layerIv, body, aad);
    step('ENCRYPTED');
    enc.s3Layer = { wrappedKey, wrapIv, iv: layerIv };
  }
  const response: SseResponse = {
    ServerSideEncryption: (mode.mode === 'SSE-KMS' ? 'aws:kms' : 'aws:kms:dsse') as ServerSideEncryption,
    SSEKMSKeyId: keyArn,
  };
  if (bucketKeySalt) response.BucketKeyEnabled = true;
  return { body, iv, enc, response };
}

function bucketKeyCacheKey(ctx: RequestContext, bucket: Bucket, keyId: string, context: Record<string, string>): string {
  return `${bucket.name}|${keyId}|${ctx.callerArn}|${JSON.stringify(context)}`;
}

/** Whether S3 holds a fresh bucket-level key for this write (then it makes no KMS call). */
export function holdsBucketKey(ctx: RequestContext, bucket: Bucket, mode: Exclude<RequestedMode, { mode: 'default' }>): boolean {
  if (mode.mode !== 'SSE-KMS' || !mode.bucketKey) return false;
  const context = { ...mode.context, 'aws:s3:arn': bucket.arn };
  const bk = ctx.world.s3.bucketKeys.get(bucketKeyCacheKey(ctx, bucket, mode.keyId ?? 'alias/aws/s3', context));
  return !!bk && bk.expiresMs > ctx.now.getTime();
}

/** What GET/HEAD return about an object's encryption. */
export function sseResponse(enc: ObjectEncryption): SseResponse {
  switch (enc.mode) {
    case 'SSE-S3':
      return { ServerSideEncryption: 'AES256' };
    case 'SSE-C':
      return { SSECustomerAlgorithm: 'AES256', SSECustomerKeyMD5: enc.keyMd5 };
    default: {
      const r: SseResponse = { ServerSideEncryption: enc.mode === 'SSE-KMS' ? 'aws:kms' : 'aws:kms:dsse', SSEKMSKeyId: enc.keyArn };
      if (enc.bucketKeySalt) r.BucketKeyEnabled = true;
      return r;
    }
  }
}

/**
 * Checks the SSE-C headers of a read against the object (reference §5.6): required for an
 * SSE-C object and the same key; refused for any other object.
 */
export async function checkReadHeaders(ctx: RequestContext, enc: ObjectEncryption, r: SseCustomerRequest): Promise<Uint8Array | undefined> {
  const sent = r.SSECustomerAlgorithm !== undefined || r.SSECustomerKey !== undefined || r.SSECustomerKeyMD5 !== undefined;
  if (enc.mode !== 'SSE-C') {
    if (sent) throw s3Error('InvalidRequest', 'The encryption parameters are not applicable to this object.');
    return undefined;
  }
  if (!sent) {
    throw s3Error(
      'InvalidRequest',
      'The object was stored using a form of Server Side Encryption. The correct parameters must be provided to retrieve the object.',
    );
  }
  const { key } = customerKey(ctx, r);
  if (!bytesEqual(await hmac('SHA-256', enc.salt, key), enc.keyHmac)) {
    throw s3Error(
      'AccessDenied',
      'Requests specifying Server Side Encryption with Customer provided keys must provide the correct secret key.',
      403,
    );
  }
  return key;
}

/** Decrypts an object's bytes (calling KMS Decrypt as the requester for the KMS modes). */
export async function open(
  ctx: RequestContext,
  bucket: Bucket,
  objectArn: string,
  o: { body: Uint8Array; iv: Uint8Array; enc: ObjectEncryption },
  customer?: Uint8Array,
): Promise<Uint8Array> {
  const s3 = ctx.world.s3;
  const aad = utf8.encode(objectArn);
  const enc = o.enc;
  try {
    if (enc.mode === 'SSE-S3') {
      const dataKey = await aesGcmDecrypt(s3.rootKey, enc.wrapIv, enc.wrappedKey, aad);
      return await aesGcmDecrypt(dataKey, o.iv, o.body, aad);
    }
    if (enc.mode === 'SSE-C') return await aesGcmDecrypt(customer!, o.iv, o.body, aad);
    let body = o.body;
    if (enc.s3Layer) {
      const layerKey = await aesGcmDecrypt(s3.rootKey, enc.s3Layer.wrapIv, enc.s3Layer.wrappedKey, aad);
      body = await aesGcmDecrypt(layerKey, enc.s3Layer.iv, body, aad);
    }
    let dataKey: Uint8Array;
    if (enc.bucketKeySalt) {
      const cacheKey = `${toBase64(enc.encryptedDataKey)}|${ctx.callerArn}`;
      let opened = s3.openedBucketKeys.get(cacheKey);
      if (!opened || opened.expiresMs <= ctx.now.getTime()) {
        const out = await kms<{ Plaintext: Uint8Array }>(ctx, bucket, 'Decrypt', {
          CiphertextBlob: enc.encryptedDataKey,
          EncryptionContext: enc.context,
        });
        opened = { plaintext: out.Plaintext, expiresMs: ctx.now.getTime() + BUCKET_KEY_LIFETIME_MS };
        s3.openedBucketKeys.set(cacheKey, opened);
      }
      dataKey = await hkdf('SHA-256', opened.plaintext, enc.bucketKeySalt, aad, 32);
    } else {
      dataKey = (
        await kms<{ Plaintext: Uint8Array }>(ctx, bucket, 'Decrypt', {
          CiphertextBlob: enc.encryptedDataKey,
          EncryptionContext: enc.context,
        })
      ).Plaintext;
    }
    const plaintext = await aesGcmDecrypt(dataKey, o.iv, body, aad);
    dataKey.fill(0);
    return plaintext;
  } catch (e) {
    if (e instanceof CryptoFailure) throw new AwsError('InternalError', 'We encountered an internal error. Please try again.', 500);
    throw e;
  }
}
