/**
 * Runs one object through every encryption mode in a scratch world of its own (so the
 * sandbox's timeline stays readable) and reports, per mode, the KMS calls and CloudTrail
 * records it caused and what HeadObject answers.
 */
import { createWorld, type World } from '../../engine';
import { decrypt, encrypt, kmsKeyring } from '../../engine/esdk';
import { customerHeaders, kmsRequestUsd, newCustomerKey } from './lab';

export interface CompareRow {
  mode: string;
  holder: string;
  where: string;
  kmsCalls: string[];
  trail: number;
  usdPerMillion: number;
  head: Record<string, unknown> | string;
  roundTrip: boolean;
}

const ADMIN = 'arn:aws:iam::111122223333:role/Admin';
const BUCKET = 'compare-bucket';

interface Mode {
  mode: string;
  holder: string;
  where: string;
  headers: (keyArn: string, ssec: Record<string, string>) => Record<string, unknown>;
  cse?: boolean;
}

const MODES: Mode[] = [
  {
    mode: 'SSE-S3',
    holder: 'S3 (its root key wraps a key per object)',
    where: 'in S3',
    headers: () => ({ ServerSideEncryption: 'AES256' }),
  },
  {
    mode: 'SSE-KMS',
    holder: 'KMS (S3 asks for a data key per object)',
    where: 'in S3',
    headers: (k) => ({ ServerSideEncryption: 'aws:kms', SSEKMSKeyId: k, BucketKeyEnabled: false }),
  },
  {
    mode: 'SSE-KMS + Bucket Key',
    holder: 'KMS wraps a bucket-level key S3 keeps a while',
    where: 'in S3',
    headers: (k) => ({ ServerSideEncryption: 'aws:kms', SSEKMSKeyId: k, BucketKeyEnabled: true }),
  },
  {
    mode: 'DSSE-KMS',
    holder: 'KMS (layer 1) and S3 (layer 2)',
    where: 'in S3, twice',
    headers: (k) => ({ ServerSideEncryption: 'aws:kms:dsse', SSEKMSKeyId: k }),
  },
  { mode: 'SSE-C', holder: 'You: sent with every request, S3 keeps an HMAC', where: 'in S3', headers: (_k, c) => c },
  {
    mode: 'Client-side (ESDK)',
    holder: 'You (a KMS keyring); S3 only sees ciphertext',
    where: 'in your app, before upload',
    headers: () => ({}),
    cse: true,
  },
];

async function setup(): Promise<{ world: World; keyArn: string }> {
  const world = await createWorld({ seed: 4242 });
  const kms = world.client('kms', { principal: ADMIN });
  const s3 = world.client('s3', { principal: ADMIN });
  const { KeyMetadata } = await kms.send('CreateKey', { Description: 'compare key' });
  await s3.send('CreateBucket', { Bucket: BUCKET });
  // SSE-C must be unblocked on this bucket for the SSE-C row.
  await s3.send('PutBucketEncryption', {
    Bucket: BUCKET,
    ServerSideEncryptionConfiguration: {
      Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BlockedEncryptionTypes: { EncryptionType: ['NONE'] } }],
    },
  });
  return { world, keyArn: KeyMetadata.Arn };
}

export async function compareModes(body: Uint8Array): Promise<CompareRow[]> {
  const { world, keyArn } = await setup();
  const s3 = world.client('s3', { principal: ADMIN });
  const kms = world.client('kms', { principal: ADMIN });
  const rows: CompareRow[] = [];
  for (const [i, m] of MODES.entries()) {
    const k = newCustomerKey();
    const ssec = m.mode === 'SSE-C' ? customerHeaders(k.key, k.md5) : {};
    const key = `object-${i}`;
    const before = world.cloudtrail.events.length;
    let bytes = body;
    const keyring = kmsKeyring({ client: kms, generatorKeyId: keyArn });
    if (m.cse) bytes = (await encrypt(keyring, body, { encryptionContext: { purpose: 'compare' } })).result;
    await s3.send('PutObject', { Bucket: BUCKET, Key: key, Body: bytes, ...m.headers(keyArn, ssec) } as never);
    let head: CompareRow['head'];
    try {
      const h = (await s3.send('HeadObject', { Bucket: BUCKET, Key: key, ...ssec })) as unknown as Record<string, unknown>;
      head = Object.fromEntries(Object.entries(h).filter(([n]) => n !== 'LastModified' && n !== 'Metadata' && n !== 'ETag'));
    } catch (e) {
      head = (e as Error).name;
    }
    const got = await s3.send('GetObject', { Bucket: BUCKET, Key: key, ...ssec });
    let plain = got.Body;
    if (m.cse) plain = (await decrypt(keyring, got.Body)).plaintext;
    const events = world.cloudtrail.events.slice(before);
    const kmsCalls = events.filter((e) => e.eventSource === 'kms.amazonaws.com').map((e) => e.eventName);
    rows.push({
      mode: m.mode,
      holder: m.holder,
      where: m.where,
      kmsCalls,
      trail: events.length,
      usdPerMillion: kmsRequestUsd(kmsCalls.length * 1_000_000),
      head,
      roundTrip: plain.length === body.length && plain.every((b, j) => b === body[j]),
    });
  }
  return rows;
}

export interface BulkResult {
  bucketKey: boolean;
  objects: number;
  kmsRequests: number;
  usd: number;
  ms: number;
}

/** Uploads `n` small SSE-KMS objects to a fresh bucket, with or without a Bucket Key, and counts KMS requests. */
export async function bulkUpload(n: number, bucketKey: boolean, onProgress: (done: number) => void): Promise<BulkResult> {
  const { world, keyArn } = await setup();
  const s3 = world.client('s3', { principal: ADMIN });
  const bucket = bucketKey ? 'bulk-with-bucket-key' : 'bulk-without-bucket-key';
  await s3.send('CreateBucket', { Bucket: bucket });
  await s3.send('PutBucketEncryption', {
    Bucket: bucket,
    ServerSideEncryptionConfiguration: {
      Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: keyArn }, BucketKeyEnabled: bucketKey }],
    },
  });
  const before = world.cloudtrail.events.filter((e) => e.eventSource === 'kms.amazonaws.com').length;
  const t0 = performance.now();
  const body = new TextEncoder().encode('small object');
  for (let i = 0; i < n; i++) {
    await s3.send('PutObject', { Bucket: bucket, Key: `obj-${String(i).padStart(4, '0')}`, Body: body });
    if (i % 50 === 49 || i === n - 1) {
      onProgress(i + 1);
      await new Promise((r) => setTimeout(r, 0));
    }
  }
  const kmsRequests = world.cloudtrail.events.filter((e) => e.eventSource === 'kms.amazonaws.com').length - before;
  return { bucketKey, objects: n, kmsRequests, usd: kmsRequestUsd(kmsRequests), ms: performance.now() - t0 };
}
