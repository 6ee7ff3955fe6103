/**
 * The S3 service of the world: buckets, object versions stored really encrypted, the S3 root
 * key behind SSE-S3, the bucket-level keys of S3 Bucket Keys, CloudTrail records and the save
 * format. Actions are in s3/actions.ts, one function each; encryption modes in s3/encryption.ts.
 */
import type { AwsError } from '../errors';
import type { RequestContext, World } from '../world';
import { cloudTrailTime, userIdentityOf, type CloudTrailEvent } from '../cloudtrail';
import { fromBase64, toBase64 } from '../crypto';
import type { PolicyDocument } from '../iam/policy/document';
import type { EncryptionRule } from './shapes';
import { S3_ACTIONS } from './actions';

/** How one object version is encrypted at rest, and what S3 keeps to decrypt it. */
export type ObjectEncryption =
  | { mode: 'SSE-S3'; wrappedKey: Uint8Array; wrapIv: Uint8Array }
  | {
      mode: 'SSE-KMS' | 'DSSE-KMS';
      keyArn: string;
      /** The KMS ciphertext of the data key (or, with a Bucket Key, of the bucket-level key). */
      encryptedDataKey: Uint8Array;
      /** The encryption context S3 sent to KMS (aws:s3:arn plus the caller's pairs). */
      context: Record<string, string>;
      /** Bucket Key: the per-object key is derived from the bucket-level key with this salt. */
      bucketKeySalt?: Uint8Array;
      /** DSSE-KMS: the second, S3-managed layer. */
      s3Layer?: { wrappedKey: Uint8Array; wrapIv: Uint8Array; iv: Uint8Array };
    }
  | { mode: 'SSE-C'; keyMd5: string; salt: Uint8Array; keyHmac: Uint8Array };

export interface StoredObject {
  key: string;
  versionId: string;
  deleteMarker?: boolean;
  /** AES-256-GCM ciphertext and tag of the object's bytes. */
  body: Uint8Array;
  iv: Uint8Array;
  size: number;
  etag: string;
  lastModifiedMs: number;
  contentType?: string;
  metadata: Record<string, string>;
  enc: ObjectEncryption;
}

export interface Bucket {
  name: string;
  arn: string;
  region: string;
  account: string;
  createdMs: number;
  /** Default encryption: SSE-S3 unless configured (every bucket since January 2023). */
  encryption: EncryptionRule;
  policy?: { text: string; doc: PolicyDocument };
  versioning?: 'Enabled' | 'Suspended';
  /** Versions per key, oldest first. */
  objects: Map<string, StoredObject[]>;
}

/** A bucket-level key S3 holds for a while (S3 Bucket Keys). */
interface BucketKey {
  plaintext: Uint8Array;
  blob: Uint8Array;
  keyArn: string;
  expiresMs: number;
}

/**
 * How long S3 keeps a bucket-level key. AWS says only "time-limited"; kms-lab uses one hour
 * of virtual time (uncertain).
 */
export const BUCKET_KEY_LIFETIME_MS = 60 * 60_000;

type Handler = (ctx: RequestContext, input: unknown) => Promise<unknown>;

export class S3Service {
  readonly buckets = new Map<string, Bucket>();
  /** The S3 root key that wraps SSE-S3 data keys (and DSSE's second layer); from the world's random source. */
  rootKey: Uint8Array;
  /** Bucket-level keys by bucket|KMS key|requester, for new objects. */
  readonly bucketKeys = new Map<string, BucketKey>();
  /** Decrypted bucket-level keys by their KMS ciphertext|requester, for reads. */
  readonly openedBucketKeys = new Map<string, { plaintext: Uint8Array; expiresMs: number }>();

  constructor(readonly world: World) {
    this.rootKey = world.randomBytes(32);
  }

  handler(action: string): Handler | undefined {
    return Object.hasOwn(S3_ACTIONS, action) ? (S3_ACTIONS[action as keyof typeof S3_ACTIONS] as unknown as Handler) : undefined;
  }

  cloudTrailEvent(ctx: RequestContext, action: string, input: unknown, error: AwsError | undefined): CloudTrailEvent {
    const i = (input ?? {}) as Record<string, unknown>;
    const params: Record<string, unknown> = {};
    if (typeof i.Bucket === 'string') params.bucketName = i.Bucket;
    if (typeof i.Key === 'string') params.key = i.Key;
    if (typeof i.ServerSideEncryption === 'string') params['x-amz-server-side-encryption'] = i.ServerSideEncryption;
    if (typeof i.SSEKMSKeyId === 'string') params['x-amz-server-side-encryption-aws-kms-key-id'] = i.SSEKMSKeyId;
    if (typeof i.SSECustomerAlgorithm === 'string') params['x-amz-server-side-encryption-customer-algorithm'] = i.SSECustomerAlgorithm;
    const objectLevel = typeof i.Key === 'string';
    const e: CloudTrailEvent = {
      eventVersion: '1.11',
      userIdentity: userIdentityOf(ctx.principal, ctx.now),
      eventTime: cloudTrailTime(ctx.now),
      eventSource: 's3.amazonaws.com',
      eventName: action,
      awsRegion: ctx.region,
      sourceIPAddress: '203.0.113.10',
      userAgent: 'kms-lab',
      requestParameters: Object.keys(params).length ? params : null,
      responseElements: null,
      requestID: ctx.requestId,
      eventID: this.world.ids.uuid(),
      readOnly: /^(Get|Head|List)/.test(action),
      eventType: 'AwsApiCall',
      // Object-level calls are data events: a trail records them only when asked to.
      managementEvent: !objectLevel,
      recipientAccountId: ctx.account,
      eventCategory: objectLevel ? 'Data' : 'Management',
    };
    if (ctx.audit.additionalEventData) e.additionalEventData = ctx.audit.additionalEventData;
    if (ctx.audit.resources.length) e.resources = ctx.audit.resources;
    if (error) {
      e.errorCode = error.name;
      e.errorMessage = error.message;
    }
    return e;
  }

  snapshot(): S3Snapshot {
    const enc = (x: ObjectEncryption): Record<string, unknown> =>
      Object.fromEntries(
        Object.entries(x).map(([k, v]) => [k, v instanceof Uint8Array ? { b64: toBase64(v) } : k === 's3Layer' ? enc(v as never) : v]),
      );
    return {
      rootKey: toBase64(this.rootKey),
      buckets: [...this.buckets.values()].map((b) => ({
        ...b,
        encryption: structuredClone(b.encryption),
        policy: b.policy?.text,
        objects: [...b.objects.entries()].map(([k, versions]) => [
          k,
          versions.map((o) => ({ ...o, body: toBase64(o.body), iv: toBase64(o.iv), enc: enc(o.enc) })),
        ]),
      })),
    };
  }

  restore(s: S3Snapshot, parse: (text: string) => PolicyDocument): void {
    const dec = (x: Record<string, unknown>): ObjectEncryption =>
      Object.fromEntries(
        Object.entries(x).map(([k, v]) => [
          k,
          v && typeof v === 'object' && 'b64' in v
            ? fromBase64((v as { b64: string }).b64)
            : k === 's3Layer'
              ? dec(v as Record<string, unknown>)
              : v,
        ]),
      ) as ObjectEncryption;
    this.rootKey = fromBase64(s.rootKey);
    this.buckets.clear();
    for (const b of s.buckets) {
      const bucket: Bucket = {
        ...b,
        policy: b.policy === undefined ? undefined : { text: b.policy, doc: parse(b.policy) },
        objects: new Map(
          b.objects.map(([k, versions]) => [
            k,
            versions.map((o) => ({ ...o, body: fromBase64(o.body), iv: fromBase64(o.iv), enc: dec(o.enc) })),
          ]),
        ),
      };
      if (bucket.policy === undefined) delete bucket.policy;
      this.buckets.set(b.name, bucket);
    }
  }
}

export interface S3Snapshot {
  rootKey: string;
  buckets: (Omit<Bucket, 'policy' | 'objects'> & {
    policy?: string;
    objects: [string, (Omit<StoredObject, 'body' | 'iv' | 'enc'> & { body: string; iv: string; enc: Record<string, unknown> })[]][];
  })[];
}
