/**
 * S3 actions, one function each, with S3's error codes and HTTP statuses
 * (reference/envelope-and-s3.md §5). Every call is authorized by the caller's identity
 * policies and the bucket policy (S3 trusts its own account, unlike a KMS key); the
 * condition keys include the request's encryption headers, so a bucket policy can require
 * them, and aws:SecureTransport.
 */
import { AwsError } from '../errors';
import type { RequestContext } from '../world';
import { accessDeniedMessage, decide, recordDecision } from '../iam/authorize';
import { parsePolicy, MalformedPolicyError } from '../iam/policy/document';
import { callerIdentity } from '../kms/authorize';
import { md5, toHex } from '../crypto';
import type { Bucket, StoredObject } from './service';
import {
  checkReadHeaders,
  effectiveMode,
  holdsBucketKey,
  open,
  requestedMode,
  s3Error,
  seal,
  sseResponse,
  type RequestedMode,
} from './encryption';
import { flowModeOf, S3PutFlow } from './flows';
import { SSE_VALUES, type EncryptionRule, type S3ActionName, type S3Input, type S3Output, type SseRequest } from './shapes';

const BUCKET_NAME = /^(?!xn--)(?!.*-s3alias$)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

function bucketOf(ctx: RequestContext, name: unknown): Bucket {
  if (typeof name !== 'string' || name === '') throw s3Error('InvalidBucketName', 'The specified bucket is not valid.');
  const b = ctx.world.s3.buckets.get(name);
  if (!b) throw s3Error('NoSuchBucket', 'The specified bucket does not exist', 404);
  if (b.region !== ctx.region) {
    throw s3Error(
      'PermanentRedirect',
      'The bucket you are attempting to access must be addressed using the specified endpoint. Please send all future requests to this endpoint.',
      301,
    );
  }
  return b;
}

const objectArn = (b: Bucket, key: string) => `arn:aws:s3:::${b.name}/${key}`;

/** Authorizes `s3:<permission>` on a bucket or object; S3 answers a denial with 403 "Access Denied". */
function authorizeS3(
  ctx: RequestContext,
  permission: string,
  bucket: Bucket | undefined,
  resource: string,
  headers: SseRequest = {},
): void {
  const caller = callerIdentity(ctx);
  const context = new Map<string, string[]>();
  const put = (k: string, v: string | undefined) => v !== undefined && context.set(k.toLowerCase(), [v]);
  if (caller.type !== 'AWSService') {
    put('aws:PrincipalArn', caller.arn);
    put('aws:PrincipalAccount', caller.account);
  }
  put('aws:SecureTransport', ctx.secureTransport ? 'true' : 'false');
  if (ctx.secureTransport) put('s3:TlsVersion', '1.3');
  put('aws:SourceIp', '203.0.113.10');
  put('s3:x-amz-server-side-encryption', headers.ServerSideEncryption);
  put('s3:x-amz-server-side-encryption-aws-kms-key-id', headers.SSEKMSKeyId);
  put('s3:x-amz-server-side-encryption-customer-algorithm', headers.SSECustomerAlgorithm);
  const action = `s3:${permission}`;
  const d = decide({
    request: { caller, action, resource, context },
    ...(bucket?.policy ? { resourcePolicy: { source: 'bucket policy', statements: bucket.policy.doc.statements } } : {}),
    ...(bucket ? { resourceAccount: bucket.account } : {}),
    identityPolicies: caller.type === 'AWSService' ? [] : ctx.world.iam.identityPolicies(caller.arn),
    resourceTrustsAccount: true,
  });
  const allowed = recordDecision(ctx, d, action, resource);
  if (!allowed) {
    const e = s3Error('AccessDenied', 'Access Denied', 403);
    // S3 says only "Access Denied"; the full reason is in the trace (and here, for the page).
    (e as AwsError & { detail?: string }).detail = accessDeniedMessage(caller.sessionArn ?? caller.arn, action, resource, d);
    throw e;
  }
}

function currentVersion(b: Bucket, key: string, versionId?: string): StoredObject {
  const versions = b.objects.get(key);
  const o = versionId === undefined ? versions?.[versions.length - 1] : versions?.find((v) => v.versionId === versionId);
  if (!o || o.deleteMarker) {
    if (versionId !== undefined && !o) throw s3Error('NoSuchVersion', 'The specified version does not exist.', 404);
    throw s3Error('NoSuchKey', 'The specified key does not exist.', 404);
  }
  return o;
}

/** What GetObject and HeadObject say about an object besides its bytes. */
function objectHeaders(o: StoredObject): S3Output<'HeadObject'> {
  return {
    ContentLength: o.size,
    ...(o.contentType ? { ContentType: o.contentType } : {}),
    ETag: o.etag,
    LastModified: new Date(o.lastModifiedMs),
    ...(o.versionId !== 'null' ? { VersionId: o.versionId } : {}),
    Metadata: { ...o.metadata },
    ...sseResponse(o.enc),
  };
}

/** SSE headers on a GET or HEAD of an object that is not SSE-C: S3 answers 400. */
function refuseSseOnRead(input: { ServerSideEncryption?: string; SSEKMSKeyId?: string }): void {
  if (input.ServerSideEncryption !== undefined || input.SSEKMSKeyId !== undefined) {
    throw s3Error('InvalidArgument', 'The x-amz-server-side-encryption header is not supported for this operation.');
  }
}

/**
 * The start of a write, as the flow machine (s3/flows.ts) sees it: the headers are read,
 * then the request is authorized (seeing only those headers). Every state reached goes into
 * the trace.
 */
function beginWrite(ctx: RequestContext, b: Bucket, headers: SseRequest, authorize: () => void): { asked: RequestedMode; flow: S3PutFlow } {
  const flow = new S3PutFlow({ mode: 'SSE-S3', bucketKeyHeld: false });
  // The mode is known once authorization has passed (the bucket default applies then).
  let modeKnown = false;
  flow.onState = (state, description, mode) =>
    ctx.step({
      node: 'S3',
      step: 'flow',
      machine: 's3PutObject',
      state,
      ...(description ? { description } : {}),
      ...(modeKnown ? { mode } : {}),
    });
  let asked: RequestedMode;
  try {
    asked = requestedMode(ctx, headers);
  } catch (e) {
    flow.send({ type: 'HEADERS_INVALID' });
    throw e;
  }
  flow.send({ type: 'HEADERS_OK' });
  try {
    authorize();
  } catch (e) {
    flow.send({ type: 'DENY' });
    throw e;
  }
  if (asked.mode === 'SSE-C' && (b.encryption.BlockedEncryptionTypes?.EncryptionType ?? []).includes('SSE-C')) {
    flow.send({ type: 'DENY' });
    throw s3Error(
      'AccessDenied',
      'Access Denied because this bucket has blocked upload requests that specify Server Side Encryption with Customer provided keys (SSE-C). Please specify a different server-side encryption type.',
      403,
    );
  }
  const mode = effectiveMode(b, asked);
  flow.setContext({ mode: flowModeOf(mode), bucketKeyHeld: holdsBucketKey(ctx, b, mode) });
  modeKnown = true;
  flow.send({ type: 'ALLOW' });
  return { asked, flow };
}

async function writeObject(
  ctx: RequestContext,
  b: Bucket,
  key: string,
  plaintext: Uint8Array,
  started: { asked: RequestedMode; flow: S3PutFlow },
  extra: { contentType?: string; metadata?: Record<string, string> },
): Promise<StoredObject & { response: ReturnType<typeof sseResponse> }> {
  const { asked, flow } = started;
  const mode = effectiveMode(b, asked);
  const arn = objectArn(b, key);
  const sealed = await seal(ctx, b, arn, mode, plaintext, flow);
  const versioned = b.versioning === 'Enabled';
  const o: StoredObject = {
    key,
    versionId: versioned ? ctx.world.ids.hex(32) : 'null',
    body: sealed.body,
    iv: sealed.iv,
    size: plaintext.length,
    // The ETag is the MD5 of the data only for SSE-S3 (and unencrypted) single-part uploads.
    etag: `"${toHex(md5(mode.mode === 'SSE-S3' ? plaintext : sealed.body))}"`,
    lastModifiedMs: ctx.now.getTime(),
    metadata: { ...(extra.metadata ?? {}) },
    enc: sealed.enc,
  };
  if (extra.contentType !== undefined) o.contentType = extra.contentType;
  const versions = b.objects.get(key) ?? [];
  if (versioned) versions.push(o);
  else versions.splice(0, versions.length, ...versions.filter((v) => v.versionId !== 'null' && v.versionId !== undefined), o);
  b.objects.set(key, versions);
  ctx.audit.resources = [
    { accountId: b.account, type: 'AWS::S3::Object', ARN: arn },
    { accountId: b.account, type: 'AWS::S3::Bucket', ARN: b.arn },
  ];
  ctx.audit.additionalEventData = {
    SSEApplied: asked.mode === 'default' ? `Default_${mode.mode.replace('-', '_')}` : mode.mode.replace('-', '_'),
    ...(mode.mode === 'SSE-KMS' && 'bucketKey' in mode && mode.bucketKey ? { bucketKeyEnabled: true } : {}),
  };
  return { ...o, response: sealed.response };
}

function rulesOf(b: Bucket): EncryptionRule[] {
  const r = structuredClone(b.encryption);
  r.ApplyServerSideEncryptionByDefault ??= { SSEAlgorithm: 'AES256' };
  r.BucketKeyEnabled ??= false;
  return [r];
}

function checkRule(r: EncryptionRule | undefined): EncryptionRule {
  const alg = r?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm;
  if (!r || !alg || !SSE_VALUES.includes(alg)) {
    throw s3Error('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema');
  }
  if (alg === 'AES256' && r.ApplyServerSideEncryptionByDefault!.KMSMasterKeyID !== undefined) {
    throw s3Error('InvalidArgument', 'a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or aws:kms:dsse');
  }
  for (const t of r.BlockedEncryptionTypes?.EncryptionType ?? []) {
    if (t !== 'NONE' && t !== 'SSE-C')
      throw s3Error('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema');
  }
  return structuredClone(r);
}

type Handler<A extends S3ActionName> = (ctx: RequestContext, input: S3Input<A>) => Promise<S3Output<A>>;

export const S3_ACTIONS: { [A in S3ActionName]: Handler<A> } = {
  async CreateBucket(ctx, i) {
    const name = i.Bucket;
    if (typeof name !== 'string' || !BUCKET_NAME.test(name) || /\.\./.test(name) || /^\d+\.\d+\.\d+\.\d+$/.test(name)) {
      throw s3Error('InvalidBucketName', 'The specified bucket is not valid.');
    }
    const location = i.CreateBucketConfiguration?.LocationConstraint;
    const wanted = location ?? 'us-east-1';
    if (wanted !== ctx.region) {
      throw s3Error(
        'IllegalLocationConstraintException',
        `The ${wanted} location constraint is incompatible for the region specific endpoint this request was sent to.`,
      );
    }
    const arn = `arn:aws:s3:::${name}`;
    authorizeS3(ctx, 'CreateBucket', undefined, arn);
    const existing = ctx.world.s3.buckets.get(name);
    if (existing) {
      if (existing.account === ctx.account)
        throw s3Error('BucketAlreadyOwnedByYou', 'Your previous request to create the named bucket succeeded and you already own it.', 409);
      throw s3Error(
        'BucketAlreadyExists',
        'The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.',
        409,
      );
    }
    ctx.world.s3.buckets.set(name, {
      name,
      arn,
      region: ctx.region,
      account: ctx.account,
      createdMs: ctx.now.getTime(),
      // SSE-S3 by default (January 2023); SSE-C blocked by default on new buckets (April 2026).
      encryption: {
        ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' },
        BucketKeyEnabled: false,
        BlockedEncryptionTypes: { EncryptionType: ['SSE-C'] },
      },
      objects: new Map(),
    });
    ctx.audit.resources = [{ accountId: ctx.account, type: 'AWS::S3::Bucket', ARN: arn }];
    return { Location: `/${name}` };
  },

  async DeleteBucket(ctx, i) {
    const b = bucketOf(ctx, i.Bucket);
    authorizeS3(ctx, 'DeleteBucket', b, b.arn);
    if ([...b.objects.values()].some((v) => v.length)) throw s3Error('BucketNotEmpty', 'The bucket you tried to delete is not empty', 409);
    ctx.world.s3.buckets.delete(b.name);
    return {};
  },

  async ListBuckets(ctx) {
    authorizeS3(ctx, 'ListAllMyBuckets', undefined, '*');
    const mine = [...ctx.world.s3.buckets.values()].filter((b) => b.account === ctx.account);
    return { Buckets: mine.map((b) => ({ Name: b.name, CreationDate: new Date(b.createdMs), BucketRegion: b.region })) };
  },

  async PutBucketEncryption(ctx, i) {
    const b = bucketOf(ctx, i.Bucket);
    authorizeS3(ctx, 'PutEncryptionConfiguration', b, b.arn);
    const rules = i.ServerSideEncryptionConfiguration?.Rules;
    if (!Array.isArray(rules) || rules.length !== 1) {
      throw s3Error('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema');
    }
    // S3 does not check the KMS key here: a bad key shows up on the next PutObject.
    b.encryption = checkRule(rules[0]);
    return {};
  },

  async GetBucketEncryption(ctx, i) {
    const b = bucketOf(ctx, i.Bucket);
    authorizeS3(ctx, 'GetEncryptionConfiguration', b, b.arn);
    return { ServerSideEncryptionConfiguration: { Rules: rulesOf(b) } };
  },

  async DeleteBucketEncryption(ctx, i) {
    const b = bucketOf(ctx, i.Bucket);
    authorizeS3(ctx, 'PutEncryptionConfiguration', b, b.arn);
    // Back to the base level, SSE-S3; the SSE-C block setting stays as it was.
    b.encryption = {
      ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' },
      BucketKeyEnabled: false,
      ...(b.encryption.BlockedEncryptionTypes ? { BlockedEncryptionTypes: b.encryption.BlockedEncryptionTypes } : {}),
    };
    return {};
  },

  async PutBucketPolicy(ctx, i) {
    const b = bucketOf(ctx, i.Bucket);
    authorizeS3(ctx, 'PutBucketPolicy', b, b.arn);
    if (typeof i.Policy !== 'string' || i.Policy.length > 20_480)
      throw s3Error('PolicyTooLarge', 'Policy exceeds the maximum allowed document size.');
    try {
      b.policy = { text: i.Policy, doc: parsePolicy(i.Policy, 'bucket', (arn) => ctx.world.iam.entityOf(arn) !== undefined) };
    } catch (e) {
      if (e instanceof MalformedPolicyError) {
        const err = s3Error('MalformedPolicy', e.message);
        if (e.policyLocation) (err as AwsError & { policyLocation?: unknown }).policyLocation = e.policyLocation;
        throw err;
      }
      throw e;
    }
    return {};
  },

  async GetBucketPolicy(ctx, i) {
    const b = bucketOf(ctx, i.Bucket);
    authorizeS3(ctx, 'GetBucketPolicy', b, b.arn);
    if (!b.policy) throw s3Error('NoSuchBucketPolicy', 'The bucket policy does not exist', 404);
    return { Policy: b.policy.text };
  },

  async DeleteBucketPolicy(ctx, i) {
    const b = bucketOf(ctx, i.Bucket);
    authorizeS3(ctx, 'DeleteBucketPolicy', b, b.arn);
    delete b.policy;
    return {};
  },

  async PutBucketVersioning(ctx, i) {
    const b = bucketOf(ctx, i.Bucket);
    authorizeS3(ctx, 'PutBucketVersioning', b, b.arn);
    const status = i.VersioningConfiguration?.Status;
    if (status !== 'Enabled' && status !== 'Suspended') {
      throw s3Error('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema');
    }
    b.versioning = status;
    return {};
  },

  async GetBucketVersioning(ctx, i) {
    const b = bucketOf(ctx, i.Bucket);
    authorizeS3(ctx, 'GetBucketVersioning', b, b.arn);
    return b.versioning ? { Status: b.versioning } : {};
  },

  async PutObject(ctx, i) {
    const b = bucketOf(ctx, i.Bucket);
    if (typeof i.Key !== 'string' || i.Key === '' || i.Key.length > 1024) throw s3Error('KeyTooLongError', 'Your key is too long');
    const body = i.Body ?? new Uint8Array(0);
    if (!(body instanceof Uint8Array)) throw s3Error('InvalidArgument', 'Body must be bytes.');
    // Authorization sees the request's headers only: default encryption is applied after it.
    const started = beginWrite(ctx, b, i, () => authorizeS3(ctx, 'PutObject', b, objectArn(b, i.Key), i));
    const o = await writeObject(ctx, b, i.Key, body, started, {
      ...(i.ContentType ? { contentType: i.ContentType } : {}),
      ...(i.Metadata ? { metadata: i.Metadata } : {}),
    });
    return { ETag: o.etag, ...o.response, ...(b.versioning === 'Enabled' ? { VersionId: o.versionId } : {}) };
  },

  async GetObject(ctx, i) {
    const b = bucketOf(ctx, i.Bucket);
    authorizeS3(ctx, 'GetObject', b, objectArn(b, i.Key));
    const o = currentVersion(b, i.Key, i.VersionId);
    if (o.enc.mode !== 'SSE-C') refuseSseOnRead(i);
    const customer = await checkReadHeaders(ctx, o.enc, i);
    const Body = await open(ctx, b, objectArn(b, i.Key), o, customer);
    ctx.audit.resources = [{ accountId: b.account, type: 'AWS::S3::Object', ARN: objectArn(b, i.Key) }];
    return { Body, ...objectHeaders(o) };
  },

  async HeadObject(ctx, i) {
    // HEAD responses have no body, so the SDK names errors by status only.
    try {
      const b = bucketOf(ctx, i.Bucket);
      authorizeS3(ctx, 'GetObject', b, objectArn(b, i.Key));
      const o = currentVersion(b, i.Key, i.VersionId);
      if (o.enc.mode !== 'SSE-C') refuseSseOnRead(i);
      await checkReadHeaders(ctx, o.enc, i);
      return objectHeaders(o);
    } catch (e) {
      if (!(e instanceof AwsError)) throw e;
      const name =
        e.httpStatusCode === 404
          ? 'NotFound'
          : e.httpStatusCode === 403
            ? 'Forbidden'
            : e.httpStatusCode === 301
              ? 'PermanentRedirect'
              : 'BadRequest';
      throw new AwsError(name, '', e.httpStatusCode);
    }
  },

  async CopyObject(ctx, i) {
    const b = bucketOf(ctx, i.Bucket);
    const m = /^\/?([^/]+)\/(.+)$/.exec(decodeURIComponent(String(i.CopySource ?? '')));
    if (!m) throw s3Error('InvalidArgument', 'Copy Source must mention the source bucket and key: sourcebucket/sourcekey');
    const src = bucketOf(ctx, m[1]);
    const srcKey = m[2]!;
    authorizeS3(ctx, 'GetObject', src, objectArn(src, srcKey));
    const started = beginWrite(ctx, b, i, () => authorizeS3(ctx, 'PutObject', b, objectArn(b, i.Key), i));
    const o = currentVersion(src, srcKey);
    const customer = await checkReadHeaders(ctx, o.enc, {
      ...(i.CopySourceSSECustomerAlgorithm !== undefined ? { SSECustomerAlgorithm: i.CopySourceSSECustomerAlgorithm } : {}),
      ...(i.CopySourceSSECustomerKey !== undefined ? { SSECustomerKey: i.CopySourceSSECustomerKey } : {}),
      ...(i.CopySourceSSECustomerKeyMD5 !== undefined ? { SSECustomerKeyMD5: i.CopySourceSSECustomerKeyMD5 } : {}),
    });
    const plaintext = await open(ctx, src, objectArn(src, srcKey), o, customer);
    // The encryption context is not copied; the copy is encrypted as its own request says.
    const copy = await writeObject(ctx, b, i.Key, plaintext, started, {
      ...(o.contentType ? { contentType: o.contentType } : {}),
      metadata: o.metadata,
    });
    plaintext.fill(0);
    return {
      CopyObjectResult: { ETag: copy.etag, LastModified: new Date(copy.lastModifiedMs) },
      ...copy.response,
      ...(b.versioning === 'Enabled' ? { VersionId: copy.versionId } : {}),
    };
  },

  async DeleteObject(ctx, i) {
    const b = bucketOf(ctx, i.Bucket);
    authorizeS3(ctx, 'DeleteObject', b, objectArn(b, i.Key));
    const versions = b.objects.get(i.Key) ?? [];
    if (i.VersionId !== undefined) {
      b.objects.set(
        i.Key,
        versions.filter((v) => v.versionId !== i.VersionId),
      );
      return { VersionId: i.VersionId };
    }
    if (b.versioning === 'Enabled') {
      const marker: StoredObject = {
        ...versions[versions.length - 1]!,
        versionId: ctx.world.ids.hex(32),
        deleteMarker: true,
        body: new Uint8Array(0),
        size: 0,
      };
      if (versions.length) versions.push(marker);
      return { DeleteMarker: true, VersionId: marker.versionId };
    }
    b.objects.delete(i.Key);
    return {};
  },

  async ListObjectsV2(ctx, i) {
    const b = bucketOf(ctx, i.Bucket);
    authorizeS3(ctx, 'ListBucket', b, b.arn);
    const prefix = i.Prefix ?? '';
    const max = i.MaxKeys ?? 1000;
    const all = [...b.objects.entries()]
      .map(([, v]) => v[v.length - 1])
      .filter((o): o is StoredObject => !!o && !o.deleteMarker && o.key.startsWith(prefix))
      .sort((x, y) => (x.key < y.key ? -1 : 1));
    const page = all.slice(0, max);
    const out: S3Output<'ListObjectsV2'> = {
      Name: b.name,
      Prefix: prefix,
      KeyCount: page.length,
      MaxKeys: max,
      IsTruncated: all.length > max,
    };
    if (page.length)
      out.Contents = page.map((o) => ({
        Key: o.key,
        Size: o.size,
        ETag: o.etag,
        LastModified: new Date(o.lastModifiedMs),
        StorageClass: 'STANDARD',
      }));
    return out;
  },
};

export const S3_ACTION_NAMES = Object.keys(S3_ACTIONS) as S3ActionName[];
