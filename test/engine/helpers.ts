/**
 * Shared helpers for the engine tests: a world, a client, and assertions on AWS errors.
 */
import { expect } from 'vitest';
import { AwsError, createWorld, isAwsError, type KmsClient, type KmsInput, type World } from '../../src/engine';

export const ACCOUNT = '111122223333';
export const OTHER = '444455556666';
export const REGION = 'us-east-1';
export const ADMIN = `arn:aws:iam::${ACCOUNT}:role/Admin`;
export const PARTNER = `arn:aws:iam::${OTHER}:role/Partner`;
export const APP = `arn:aws:iam::${ACCOUNT}:role/AppRole`;
export const DEVELOPER = `arn:aws:iam::${ACCOUNT}:role/Developer`;
export const DAY = 86_400_000;

export const utf8 = (s: string) => new TextEncoder().encode(s);
export const text = (b: Uint8Array) => new TextDecoder().decode(b);
/** A copy backed by a plain ArrayBuffer, as WebCrypto's types want it. */
export const ab = (b: Uint8Array) => new Uint8Array(b);

export async function setup(seed = 1): Promise<{ world: World; kms: KmsClient }> {
  const world = await createWorld({ seed });
  return { world, kms: world.client('kms') };
}

/** Awaits a call that must fail and returns its error after checking it is an AwsError. */
export async function failure(p: Promise<unknown>): Promise<AwsError> {
  let out: unknown;
  try {
    out = await p;
  } catch (e) {
    if (!isAwsError(e)) throw new Error(`expected an AwsError, got ${String(e)}`, { cause: e });
    return e;
  }
  throw new Error(`expected the call to fail, it returned ${JSON.stringify(out, blobReplacer)}`);
}

/** The call must fail with `name` (and, when given, exactly `message`); client errors are HTTP 400. */
export async function expectAwsError(p: Promise<unknown>, name: string, message?: string): Promise<AwsError> {
  const e = await failure(p);
  expect({ name: e.name, message: message === undefined ? '(any)' : e.message }).toEqual({ name, message: message ?? '(any)' });
  if (e.$fault === 'client') expect(e.httpStatusCode).toBe(400);
  return e;
}

export function blobReplacer(_k: string, v: unknown): unknown {
  return v instanceof Uint8Array ? `<${v.length} bytes>` : v;
}

export const sortedKeys = (o: object) => Object.keys(o).sort();

export async function createKey(kms: KmsClient, input: KmsInput<'CreateKey'> = {}) {
  const out = await kms.send('CreateKey', input);
  return out.KeyMetadata;
}

export async function keyState(kms: KmsClient, keyId: string): Promise<string> {
  return (await kms.send('DescribeKey', { KeyId: keyId })).KeyMetadata.KeyState;
}

export const arnOf = (keyId: string, region = REGION, account = ACCOUNT) => `arn:aws:kms:${region}:${account}:key/${keyId}`;

/** Every error name AWS KMS can answer with: modeled exceptions plus the common unmodeled ones. */
export const AWS_ERROR_CODES = new Set([
  'AlreadyExistsException',
  'CloudHsmClusterInUseException',
  'CloudHsmClusterInvalidConfigurationException',
  'CloudHsmClusterNotActiveException',
  'CloudHsmClusterNotFoundException',
  'CloudHsmClusterNotRelatedException',
  'ConflictException',
  'CustomKeyStoreHasCMKsException',
  'CustomKeyStoreInvalidStateException',
  'CustomKeyStoreNameInUseException',
  'CustomKeyStoreNotFoundException',
  'DependencyTimeoutException',
  'DisabledException',
  'DryRunOperationException',
  'ExpiredImportTokenException',
  'IncorrectKeyException',
  'IncorrectKeyMaterialException',
  'IncorrectTrustAnchorException',
  'InvalidAliasNameException',
  'InvalidArnException',
  'InvalidCiphertextException',
  'InvalidGrantIdException',
  'InvalidGrantTokenException',
  'InvalidImportTokenException',
  'InvalidKeyUsageException',
  'InvalidMarkerException',
  'KeyUnavailableException',
  'KMSInternalException',
  'KMSInvalidMacException',
  'KMSInvalidSignatureException',
  'KMSInvalidStateException',
  'LimitExceededException',
  'MalformedPolicyDocumentException',
  'NotFoundException',
  'TagException',
  'UnsupportedOperationException',
  // common errors every AWS JSON service can return
  'ValidationException',
  'AccessDeniedException',
  'ThrottlingException',
  'UnrecognizedClientException',
  'SerializationException',
  'InternalFailure',
  'UnknownOperationException',
  'IncompleteSignature',
  'InvalidParameterCombination',
  'InvalidParameterValue',
  'MissingParameter',
  'RequestExpired',
  'ServiceUnavailable',
]);

/** Error names that mean a defect in the simulator when they answer a known action. */
export const DEFECT_CODES = new Set(['KMSInternalException', 'InternalFailure', 'UnknownOperationException']);

/** Decrypt then compare. */
export async function roundTrip(kms: KmsClient, keyId: string, plaintext: Uint8Array, ctx?: Record<string, string>) {
  const enc = await kms.send('Encrypt', { KeyId: keyId, Plaintext: plaintext, ...(ctx ? { EncryptionContext: ctx } : {}) });
  const dec = await kms.send('Decrypt', { CiphertextBlob: enc.CiphertextBlob, ...(ctx ? { EncryptionContext: ctx } : {}) });
  expect(Array.from(dec.Plaintext)).toEqual(Array.from(plaintext));
  return { enc, dec };
}

/** ListAliases entries without the predefined AWS aliases (alias/aws/...) every account has. */
export function ownAliases<T extends { AliasName: string }>(aliases: T[]): T[] {
  return aliases.filter((a) => !a.AliasName.startsWith('alias/aws/'));
}
