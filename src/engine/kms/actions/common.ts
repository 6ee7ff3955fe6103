/** What most KMS actions do first: find the key, note it for CloudTrail, check its state. */
import { AwsError } from '../../errors';
import type { RequestContext } from '../../world';
import type { KmsKey } from '../key';
import { checkKeyState } from '../key-state';
import { resolveKey, type KeyRef, type ResolveOptions } from '../resolve';
import { authorizeKms } from '../authorize';

/** Crypto operations: aliases and other accounts' key ARNs are accepted. */
export const CRYPTO: ResolveOptions = { aliases: true, crossAccount: true };
/** Management operations: key id or key ARN in the caller's account only. */
export const MANAGE: ResolveOptions = { aliases: false, crossAccount: false };

/**
 * Finds the key a KeyId names and admits it (see admitKey). `permission` defaults to
 * `kms:<Action>`; ReEncrypt passes kms:ReEncryptFrom / kms:ReEncryptTo.
 */
export function useKey(ctx: RequestContext, keyId: string, opts: ResolveOptions, permission?: string): KmsKey {
  const { key, kind } = resolveKey(ctx, ctx.world.kms, keyId, opts);
  const requestAlias = kind === 'alias-name' ? keyId : kind === 'alias-arn' ? keyId.slice(keyId.indexOf(':alias/') + 1) : undefined;
  return admitKey(ctx, key, kind, permission, requestAlias);
}

/** A found key goes on the CloudTrail record, through authorization, and past the key-state table. */
export function admitKey(
  ctx: RequestContext,
  key: KmsKey,
  via: KeyRef['kind'] | 'ciphertext',
  permission?: string,
  requestAlias?: string,
): KmsKey {
  ctx.step({ node: 'KMS', step: 'key-resolved', keyArn: key.arn, via });
  ctx.audit.resources = [{ accountId: key.account, type: 'AWS::KMS::Key', ARN: key.arn }];
  const opts: Parameters<typeof authorizeKms>[1] = { key };
  if (permission) opts.permission = permission;
  if (requestAlias) opts.requestAlias = requestAlias;
  authorizeKms(ctx, opts);
  let allowed = true;
  try {
    checkKeyState(ctx.action, key);
  } catch (e) {
    allowed = false;
    throw e;
  } finally {
    ctx.step({ node: 'KMS', step: 'key-state-checked', keyArn: key.arn, keyState: key.state, allowed });
  }
  return key;
}

/**
 * Authorization of an action that has no key (kms:CreateKey, kms:ListKeys, …): identity
 * policies decide. `resource` is the alias ARN for the alias half of the alias actions.
 */
export function authorize(ctx: RequestContext, resource?: string): void {
  authorizeKms(ctx, resource ? { resource } : {});
}

export function dryRun(input: { DryRun?: boolean }): void {
  if (input.DryRun) throw new AwsError('DryRunOperationException', 'The request would have succeeded, but the DryRun option is set.');
}

export function requireUsage(ctx: RequestContext, key: KmsKey, usage: KmsKey['keyUsage']): void {
  if (key.keyUsage !== usage) {
    throw new AwsError('InvalidKeyUsageException', `${key.arn} key usage is ${key.keyUsage} which is not valid for ${ctx.action}.`);
  }
}

/** Pagination over a list with Limit/Marker (the marker is an opaque offset). */
export function page<T>(
  items: T[],
  limit: number | undefined,
  marker: string | undefined,
  def: number,
): { items: T[]; NextMarker?: string; Truncated: boolean } {
  let start = 0;
  if (marker !== undefined) {
    const m = /^kmslab-(\d+)$/.exec(marker);
    if (!m) throw new AwsError('InvalidMarkerException', 'Invalid marker');
    start = Number(m[1]);
  }
  const n = limit ?? def;
  const slice = items.slice(start, start + n);
  const truncated = start + n < items.length;
  return truncated ? { items: slice, NextMarker: `kmslab-${start + n}`, Truncated: true } : { items: slice, Truncated: false };
}
