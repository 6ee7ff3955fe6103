/** EnableKey, DisableKey, ScheduleKeyDeletion, CancelKeyDeletion: the key's lifecycle machine decides. */
import { AwsError } from '../../errors';
import type { RequestContext } from '../../world';
import type { KmsInput, KmsOutput } from '../shapes';
import { KeyIdM, validate } from '../validate';
import { MANAGE, useKey } from './common';

export const MIN_PENDING_WINDOW = 7;
export const MAX_PENDING_WINDOW = 30;
export const DEFAULT_PENDING_WINDOW = 30;

export async function EnableKey(ctx: RequestContext, input: KmsInput<'EnableKey'>): Promise<KmsOutput<'EnableKey'>> {
  validate(input, { KeyId: KeyIdM });
  const key = useKey(ctx, input.KeyId, MANAGE);
  ctx.world.kms.transition(key, { type: 'ENABLE' }, ctx);
  // Disabled keys are not rotated. A rotation that fell due meanwhile happens once, now, and the
  // schedule restarts from today (aws-facts.md §2.3), rather than back-dating the missed ones.
  const r = key.rotation;
  const now = ctx.now.getTime();
  if (r.enabled && r.nextMs !== undefined && r.nextMs <= now) {
    r.nextMs = now;
    ctx.world.kms.rotateDue(key, now);
  }
  return {};
}

export async function DisableKey(ctx: RequestContext, input: KmsInput<'DisableKey'>): Promise<KmsOutput<'DisableKey'>> {
  validate(input, { KeyId: KeyIdM });
  const key = useKey(ctx, input.KeyId, MANAGE);
  ctx.world.kms.transition(key, { type: 'DISABLE' }, ctx);
  return {};
}

export async function ScheduleKeyDeletion(
  ctx: RequestContext,
  input: KmsInput<'ScheduleKeyDeletion'>,
): Promise<KmsOutput<'ScheduleKeyDeletion'>> {
  validate(input, { KeyId: KeyIdM, PendingWindowInDays: { t: 'int', min: 1, max: 365 } });
  const key = useKey(ctx, input.KeyId, MANAGE);
  const days = input.PendingWindowInDays ?? DEFAULT_PENDING_WINDOW;
  if (days < MIN_PENDING_WINDOW || days > MAX_PENDING_WINDOW) {
    // The model allows 1-365; the service enforces 7-30, in these words (seen from AWS in Skyscanner/kms-issuer#8).
    throw new AwsError('ValidationException', `PendingWindowInDays must be between ${MIN_PENDING_WINDOW} and ${MAX_PENDING_WINDOW}`);
  }
  const deletionMs = ctx.now.getTime() + days * 86_400_000;
  if (!ctx.world.kms.transition(key, { type: 'SCHEDULE_DELETION', deletionMs }, ctx)) {
    throw new AwsError('KMSInvalidStateException', `${key.arn} is pending deletion.`);
  }
  key.pendingWindowInDays = days;
  return { KeyId: key.arn, DeletionDate: new Date(deletionMs), KeyState: key.state, PendingWindowInDays: days };
}

export async function CancelKeyDeletion(
  ctx: RequestContext,
  input: KmsInput<'CancelKeyDeletion'>,
): Promise<KmsOutput<'CancelKeyDeletion'>> {
  validate(input, { KeyId: KeyIdM });
  const key = useKey(ctx, input.KeyId, MANAGE);
  ctx.world.kms.transition(key, { type: 'CANCEL_DELETION' }, ctx);
  return { KeyId: key.arn };
}
