/**
 * The S3 lab's pure helpers: the upload modes and the request headers each sends, SSE-C keys
 * and their MD5, bucket policy templates, and KMS request cost.
 */
import { fromBase64, md5, randomBytes, toBase64 } from '../../engine/crypto';
import { PER_10K_USD } from '../../engine/pricing';
import type { S3FlowMode } from '../../engine/s3/flows';

export type UploadMode = 'default' | 'SSE-S3' | 'SSE-KMS' | 'SSE-KMS-BucketKey' | 'DSSE-KMS' | 'SSE-C' | 'CSE';

export const MODE_LABELS: Record<UploadMode, string> = {
  default: 'No header (bucket default applies)',
  'SSE-S3': 'SSE-S3 (AES256, S3-managed keys)',
  'SSE-KMS': 'SSE-KMS (a KMS key)',
  'SSE-KMS-BucketKey': 'SSE-KMS with an S3 Bucket Key',
  'DSSE-KMS': 'DSSE-KMS (two layers)',
  'SSE-C': 'SSE-C (your key, sent with each request)',
  CSE: 'Client-side: Encryption SDK, then PutObject',
};

export interface HeaderOptions {
  kmsKey: string;
  context: Record<string, string> | undefined;
  customerKey: string;
  customerKeyMd5: string;
}

/** The PutObject encryption headers (the SDK's member names) a mode sends. */
export function headersFor(mode: UploadMode, o: HeaderOptions): Record<string, unknown> {
  const kms = (sse: string) => ({
    ServerSideEncryption: sse,
    ...(o.kmsKey ? { SSEKMSKeyId: o.kmsKey } : {}),
    ...(o.context && Object.keys(o.context).length ? { SSEKMSEncryptionContext: encodeContext(o.context) } : {}),
  });
  switch (mode) {
    case 'SSE-S3':
      return { ServerSideEncryption: 'AES256' };
    case 'SSE-KMS':
      return { ...kms('aws:kms'), BucketKeyEnabled: false };
    case 'SSE-KMS-BucketKey':
      return { ...kms('aws:kms'), BucketKeyEnabled: true };
    case 'DSSE-KMS':
      return kms('aws:kms:dsse');
    case 'SSE-C':
      return customerHeaders(o.customerKey, o.customerKeyMd5);
    default:
      return {};
  }
}

export function customerHeaders(key: string, keyMd5: string): Record<string, string> {
  const h: Record<string, string> = {};
  if (key || keyMd5) h.SSECustomerAlgorithm = 'AES256';
  if (key) h.SSECustomerKey = key;
  if (keyMd5) h.SSECustomerKeyMD5 = keyMd5;
  return h;
}

/** x-amz-server-side-encryption-context: base64 of the UTF-8 JSON. */
export function encodeContext(ctx: Record<string, string>): string {
  return toBase64(new TextEncoder().encode(JSON.stringify(ctx)));
}

/** A fresh 256-bit SSE-C key, base64, with the base64 MD5 of its raw bytes. */
export function newCustomerKey(): { key: string; md5: string } {
  const raw = randomBytes(32);
  return { key: toBase64(raw), md5: toBase64(md5(raw)) };
}

export function keyMd5(keyB64: string): string {
  try {
    return toBase64(md5(fromBase64(keyB64.trim())));
  } catch {
    return '';
  }
}

/** The S3 flow machine's mode for an upload mode (client-side uploads are whatever the bucket default is). */
export function flowModeFor(mode: UploadMode, bucketDefault: S3FlowMode): S3FlowMode {
  return mode === 'default' || mode === 'CSE' ? bucketDefault : mode;
}

/** KMS symmetric requests cost (no free tier applied: the lab compares, it does not bill). */
export function kmsRequestUsd(requests: number): number {
  return (requests * PER_10K_USD.symmetric) / 10_000;
}

export function usd(n: number): string {
  return n === 0 ? '$0' : n < 0.01 ? `$${n.toFixed(6)}` : `$${n.toFixed(4)}`;
}

const doc = (statements: unknown[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements }, null, 2);

/** Bucket policy templates for one bucket (reference §5.7). */
export function bucketPolicyTemplates(bucket: string): { id: string; label: string; text: string }[] {
  const arn = `arn:aws:s3:::${bucket}`;
  const put = { Effect: 'Deny', Principal: '*', Action: 's3:PutObject', Resource: `${arn}/*` };
  return [
    {
      id: 'deny-unencrypted',
      label: 'Deny uploads without an encryption header',
      text: doc([{ Sid: 'DenyUnencryptedUploads', ...put, Condition: { Null: { 's3:x-amz-server-side-encryption': 'true' } } }]),
    },
    {
      id: 'deny-non-kms',
      label: 'Deny uploads not using SSE-KMS',
      text: doc([{ Sid: 'DenyNonKmsUploads', ...put, Condition: { StringNotEquals: { 's3:x-amz-server-side-encryption': 'aws:kms' } } }]),
    },
    {
      id: 'deny-non-tls',
      label: 'Deny requests not over TLS (aws:SecureTransport)',
      text: doc([
        {
          Sid: 'DenyInsecureTransport',
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:*',
          Resource: [arn, `${arn}/*`],
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        },
      ]),
    },
    {
      id: 'deny-sse-c',
      label: 'Deny SSE-C uploads',
      text: doc([{ Sid: 'DenySseC', ...put, Condition: { Null: { 's3:x-amz-server-side-encryption-customer-algorithm': 'false' } } }]),
    },
  ];
}
