/**
 * S3 API shapes, the part kms-lab simulates, as the AWS SDK for JavaScript v3 presents them:
 * `Body` is a Uint8Array here (the SDK streams it), times are Date. Header-backed members keep
 * the SDK's names (ServerSideEncryption = x-amz-server-side-encryption, SSEKMSKeyId =
 * x-amz-server-side-encryption-aws-kms-key-id, SSECustomerKey = …-customer-key, base64).
 */
export type ServerSideEncryption = 'AES256' | 'aws:kms' | 'aws:kms:dsse';
export const SSE_VALUES: readonly ServerSideEncryption[] = ['AES256', 'aws:kms', 'aws:kms:dsse'];

/** The request headers that choose how an object is encrypted. */
export interface SseRequest {
  ServerSideEncryption?: string;
  SSEKMSKeyId?: string;
  /** base64 of a UTF-8 JSON object of string pairs. */
  SSEKMSEncryptionContext?: string;
  BucketKeyEnabled?: boolean;
  SSECustomerAlgorithm?: string;
  /** base64 of the 32-byte key. */
  SSECustomerKey?: string;
  /** base64 of the MD5 of the raw key. */
  SSECustomerKeyMD5?: string;
}

export interface SseResponse {
  ServerSideEncryption?: ServerSideEncryption;
  SSEKMSKeyId?: string;
  BucketKeyEnabled?: boolean;
  SSECustomerAlgorithm?: string;
  SSECustomerKeyMD5?: string;
}

export interface SseCustomerRequest {
  SSECustomerAlgorithm?: string;
  SSECustomerKey?: string;
  SSECustomerKeyMD5?: string;
}

export interface EncryptionRule {
  ApplyServerSideEncryptionByDefault?: { SSEAlgorithm: ServerSideEncryption; KMSMasterKeyID?: string };
  BucketKeyEnabled?: boolean;
  /** New in 2026: blocks SSE-C uploads (`SSE-C`) or nothing (`NONE`). */
  BlockedEncryptionTypes?: { EncryptionType: ('NONE' | 'SSE-C')[] };
}

type Empty = Record<string, never>;
interface BucketIn {
  Bucket: string;
}
interface ObjectIn extends BucketIn {
  Key: string;
}

export interface S3Actions {
  CreateBucket: { input: BucketIn & { CreateBucketConfiguration?: { LocationConstraint?: string } }; output: { Location: string } };
  DeleteBucket: { input: BucketIn; output: Empty };
  ListBuckets: { input: Record<string, never>; output: { Buckets: { Name: string; CreationDate: Date; BucketRegion: string }[] } };
  PutBucketEncryption: { input: BucketIn & { ServerSideEncryptionConfiguration: { Rules: EncryptionRule[] } }; output: Empty };
  GetBucketEncryption: { input: BucketIn; output: { ServerSideEncryptionConfiguration: { Rules: EncryptionRule[] } } };
  DeleteBucketEncryption: { input: BucketIn; output: Empty };
  PutBucketPolicy: { input: BucketIn & { Policy: string }; output: Empty };
  GetBucketPolicy: { input: BucketIn; output: { Policy: string } };
  DeleteBucketPolicy: { input: BucketIn; output: Empty };
  PutBucketVersioning: { input: BucketIn & { VersioningConfiguration: { Status: 'Enabled' | 'Suspended' } }; output: Empty };
  GetBucketVersioning: { input: BucketIn; output: { Status?: 'Enabled' | 'Suspended' } };
  PutObject: {
    input: ObjectIn & SseRequest & { Body?: Uint8Array; ContentType?: string; Metadata?: Record<string, string> };
    output: SseResponse & { ETag: string; VersionId?: string };
  };
  GetObject: {
    input: ObjectIn & SseCustomerRequest & { VersionId?: string; ServerSideEncryption?: string; SSEKMSKeyId?: string };
    output: SseResponse & {
      Body: Uint8Array;
      ContentLength: number;
      ContentType?: string;
      ETag: string;
      LastModified: Date;
      VersionId?: string;
      Metadata: Record<string, string>;
    };
  };
  HeadObject: {
    input: ObjectIn & SseCustomerRequest & { VersionId?: string; ServerSideEncryption?: string; SSEKMSKeyId?: string };
    output: SseResponse & {
      ContentLength: number;
      ContentType?: string;
      ETag: string;
      LastModified: Date;
      VersionId?: string;
      Metadata: Record<string, string>;
    };
  };
  CopyObject: {
    input: ObjectIn &
      SseRequest & {
        CopySource: string;
        CopySourceSSECustomerAlgorithm?: string;
        CopySourceSSECustomerKey?: string;
        CopySourceSSECustomerKeyMD5?: string;
      };
    output: SseResponse & { CopyObjectResult: { ETag: string; LastModified: Date }; VersionId?: string };
  };
  DeleteObject: { input: ObjectIn & { VersionId?: string }; output: { DeleteMarker?: boolean; VersionId?: string } };
  ListObjectsV2: {
    input: BucketIn & { Prefix?: string; MaxKeys?: number };
    output: {
      Name: string;
      Prefix: string;
      KeyCount: number;
      MaxKeys: number;
      IsTruncated: boolean;
      Contents?: { Key: string; Size: number; ETag: string; LastModified: Date; StorageClass: 'STANDARD' }[];
    };
  };
}

export type S3ActionName = keyof S3Actions;
export type S3Input<A extends S3ActionName> = S3Actions[A]['input'];
export type S3Output<A extends S3ActionName> = S3Actions[A]['output'];
