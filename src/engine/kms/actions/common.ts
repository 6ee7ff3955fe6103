/** What most KMS actions do first: find the key, note it for CloudTrail, check its state. */
import { AwsError } from '../../errors';
import type { RequestContext } from '../../world';
import type { KmsKey } from '../key';
import { checkKeyState } from '../key-state';
import { resolveKey, type KeyRef, type ResolveOptions } from '../resolve';

/** Crypto operations: aliases and other accounts' key ARNs are accepted. */
export const CRYPTO: ResolveOptions = { aliases: true, crossAccount: true };
/** Management operations: key id or key ARN in the caller's account only. */
export const MANAGE: ResolveOptions = { aliases: false, crossAccount: false };

export function useKey(ctx: RequestContext, keyId: string, opts: ResolveOptions): KmsKey {
  const { key, kind } = resolveKey(ctx, ctx.world.kms, keyId, opts);
  return admitKey(ctx, key, kind);
}

/** A found key goes on the CloudTrail record, through authorization, and past the key-state table. */
export function admitKey(ctx: RequestContext, key: KmsKey, via: KeyRef['kind'] | 'ciphertext'): KmsKey {
  ctx.step({ node: 'KMS', step: 'key-resolved', keyArn: key.arn, via });
  ctx.audit.resources = [{ accountId: key.account, type: 'AWS::KMS::Key', ARN: key.arn }];
  authorize(ctx);
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
 * Key policies, IAM policies and grants are stored as AWS stores them; evaluating them is
 * the access-control lab's work (a later issue). Until then every trace says so plainly.
 */
export const POLICY_NOT_ENFORCED = 'Policies are stored but not yet evaluated in kms-lab: this request was allowed without a policy check.';

/** The authorization step every call passes (see POLICY_NOT_ENFORCED). */
export function authorize(ctx: RequestContext): void {
  ctx.step({ node: 'IAM', step: 'authorized', decision: 'Allow', enforced: false, reason: POLICY_NOT_ENFORCED });
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
