/** EnableKeyRotation, DisableKeyRotation, GetKeyRotationStatus, RotateKeyOnDemand, ListKeyRotations. */
import { AwsError } from '../../errors';
import type { RequestContext } from '../../world';
import type { RandomSource } from '../../crypto';
import type { KmsKey } from '../key';
import type { KmsInput, KmsOutput, RotationsListEntry } from '../shapes';
import { KeyIdM, LimitM, MarkerM, validate } from '../validate';
import { MANAGE, page, useKey } from './common';

export const DEFAULT_ROTATION_DAYS = 365;
/** EnableKeyRotation's RotationPeriodInDays bounds (April 2024). */
export const MIN_ROTATION_DAYS = 90;
export const MAX_ROTATION_DAYS = 2560;
/** 10 when launched in 2024, 25 since the API update of February 2026 (aws-facts.md §2.3). */
export const ON_DEMAND_ROTATION_LIMIT = 25;
const DAY = 86_400_000;

/**
 * Gives a key new current material (from the world's random source); earlier material is kept so
 * old ciphertexts decrypt. Synchronous, because the clock's tick (which runs automatic rotations) is.
 */
export function rotateKey(key: KmsKey, type: RotationsListEntry['RotationType'], atMs: number, id: string, random: RandomSource): void {
  const secret = random(32);
  key.materials.push({ id, kind: 'symmetric', secret, createdMs: atMs });
  key.rotations.push({ KeyId: key.arn, KeyMaterialId: id, RotationDate: new Date(atMs), RotationType: type });
}

/** Automatic rotation: customer managed symmetric keys with AWS_KMS origin only. */
function requireRotatable(key: KmsKey): void {
  if (key.origin === 'EXTERNAL')
    throw new AwsError('UnsupportedOperationException', `${key.arn} origin is EXTERNAL which is not valid for this operation.`);
  // AWS answers asymmetric and HMAC keys with an empty message (recorded for RotateKeyOnDemand).
  if (key.keySpec !== 'SYMMETRIC_DEFAULT') throw new AwsError('UnsupportedOperationException', '');
}

export async function EnableKeyRotation(rc: RequestContext, input: KmsInput<'EnableKeyRotation'>): Promise<KmsOutput<'EnableKeyRotation'>> {
  validate(input, { KeyId: KeyIdM, RotationPeriodInDays: { t: 'int', min: MIN_ROTATION_DAYS, max: MAX_ROTATION_DAYS } });
  const key = useKey(rc, input.KeyId, MANAGE);
  requireRotatable(key);
  const days = input.RotationPeriodInDays ?? DEFAULT_ROTATION_DAYS;
  // The first automatic rotation comes one period after rotation is enabled.
  key.rotation = { ...key.rotation, enabled: true, periodDays: days, nextMs: rc.now.getTime() + days * DAY };
  return {};
}

export async function DisableKeyRotation(
  rc: RequestContext,
  input: KmsInput<'DisableKeyRotation'>,
): Promise<KmsOutput<'DisableKeyRotation'>> {
  validate(input, { KeyId: KeyIdM });
  const key = useKey(rc, input.KeyId, MANAGE);
  requireRotatable(key);
  key.rotation = { ...key.rotation, enabled: false };
  delete key.rotation.nextMs;
  return {};
}

export async function GetKeyRotationStatus(
  rc: RequestContext,
  input: KmsInput<'GetKeyRotationStatus'>,
): Promise<KmsOutput<'GetKeyRotationStatus'>> {
  validate(input, { KeyId: KeyIdM });
  const key = useKey(rc, input.KeyId, MANAGE);
  requireRotatable(key);
  // A key pending deletion reports rotation off; cancelling the deletion restores the status.
  const on = key.rotation.enabled && key.state !== 'PendingDeletion';
  if (!on) return { KeyId: key.arn, KeyRotationEnabled: false };
  return {
    KeyId: key.arn,
    KeyRotationEnabled: true,
    RotationPeriodInDays: key.rotation.periodDays,
    NextRotationDate: new Date(key.rotation.nextMs!),
  };
}

export async function RotateKeyOnDemand(rc: RequestContext, input: KmsInput<'RotateKeyOnDemand'>): Promise<KmsOutput<'RotateKeyOnDemand'>> {
  validate(input, { KeyId: KeyIdM });
  const key = useKey(rc, input.KeyId, MANAGE);
  requireRotatable(key);
  if (key.rotation.onDemandCount >= ON_DEMAND_ROTATION_LIMIT) {
    throw new AwsError(
      'LimitExceededException',
      `The on-demand rotations limit has been reached for the given keyId. No more on-demand rotations can be performed for this key: ${key.arn}`,
    );
  }
  const now = rc.now.getTime();
  if (key.rotation.enabled && key.rotation.nextMs !== undefined && key.rotation.nextMs - now <= 20 * 60_000) {
    // Wording not recorded in our references.
    throw new AwsError(
      'ConflictException',
      `An automatic rotation of ${key.arn} is in progress or due within 20 minutes. Try again later.`,
    );
  }
  // On-demand rotation does not move the automatic schedule.
  rotateKey(key, 'ON_DEMAND', now, rc.world.ids.hex(64), rc.world.randomBytes);
  key.rotation.onDemandCount += 1;
  const id = key.materials[key.materials.length - 1]!.id;
  rc.step({
    node: 'HSM',
    step: 'crypto',
    operation: 'generate new AES-256 key material',
    algorithm: 'SYMMETRIC_DEFAULT',
    bytesIn: 0,
    bytesOut: 0,
    keyMaterialId: id,
    ok: true,
  });
  rc.audit.additionalEventData = { keyMaterialId: id };
  return { KeyId: key.arn };
}

export async function ListKeyRotations(rc: RequestContext, input: KmsInput<'ListKeyRotations'>): Promise<KmsOutput<'ListKeyRotations'>> {
  validate(input, {
    KeyId: KeyIdM,
    IncludeKeyMaterial: { t: 'enum', values: ['ALL_KEY_MATERIAL', 'ROTATIONS_ONLY'] },
    Limit: LimitM(1000),
    Marker: MarkerM,
  });
  const key = useKey(rc, input.KeyId, MANAGE);
  requireRotatable(key);
  const current = key.materials[key.materials.length - 1]?.id;
  const state = (id: string | undefined) => (id === current ? 'CURRENT' : 'NON_CURRENT');
  const entries: RotationsListEntry[] = key.rotations.map((r) => ({ ...r, KeyMaterialState: state(r.KeyMaterialId) }));
  if (input.IncludeKeyMaterial === 'ALL_KEY_MATERIAL' && key.materials[0]) {
    // The original material has no rotation date; AWS lists it first when asked for all material.
    const first = key.materials[0];
    entries.unshift({ KeyId: key.arn, KeyMaterialId: first.id, KeyMaterialState: state(first.id) } as RotationsListEntry);
  }
  const p = page(entries, input.Limit, input.Marker, 100);
  return p.Truncated ? { Rotations: p.items, NextMarker: p.NextMarker, Truncated: true } : { Rotations: p.items, Truncated: false };
}
