/**
 * Numbers that cards and the engine share. A card writes `{{kms.maxPlaintextBytes}}` and the
 * page shows the engine's own constant, so a card and the simulator can never disagree.
 * (`{{resolve:...}}` is CloudFormation syntax, not a placeholder, and is left alone.)
 */
import { MAX_CIPHERTEXT_BYTES, MAX_DATA_KEY_BYTES, MAX_PLAINTEXT_BYTES } from '../engine/kms/actions/symmetric';
import { DEFAULT_PENDING_WINDOW, MAX_PENDING_WINDOW, MIN_PENDING_WINDOW } from '../engine/kms/actions/lifecycle';
import { DEFAULT_ROTATION_DAYS, MAX_ROTATION_DAYS, MIN_ROTATION_DAYS, ON_DEMAND_ROTATION_LIMIT } from '../engine/kms/actions/rotation';
import { MAX_ALIASES_PER_KEY } from '../engine/kms/actions/aliases';
import { MAX_TAGS } from '../engine/kms/actions/tags';
import { GRANT_PROPAGATION_MS, MAX_GRANT_CONSTRAINT_PAIRS, MAX_GRANTS_PER_KEY } from '../engine/kms/grants';
import { MAX_POLICY_BYTES } from '../engine/kms/policy';
import { GrantTokensM } from '../engine/kms/validate';
import { symmetricQuota } from '../engine/quotas';
import { FREE_TIER_REQUESTS, KEY_MONTH_USD, MAX_PAID_ROTATIONS, PER_10K_USD } from '../engine/pricing';

export const ENGINE_NUMBERS: Readonly<Record<string, number>> = {
  'kms.maxPlaintextBytes': MAX_PLAINTEXT_BYTES,
  'kms.maxCiphertextBytes': MAX_CIPHERTEXT_BYTES,
  'kms.maxDataKeyBytes': MAX_DATA_KEY_BYTES,
  'kms.maxPolicyBytes': MAX_POLICY_BYTES,
  'kms.minPendingWindowDays': MIN_PENDING_WINDOW,
  'kms.maxPendingWindowDays': MAX_PENDING_WINDOW,
  'kms.defaultPendingWindowDays': DEFAULT_PENDING_WINDOW,
  'kms.defaultRotationDays': DEFAULT_ROTATION_DAYS,
  'kms.minRotationDays': MIN_ROTATION_DAYS,
  'kms.maxRotationDays': MAX_ROTATION_DAYS,
  'kms.onDemandRotationLimit': ON_DEMAND_ROTATION_LIMIT,
  'kms.maxAliasesPerKey': MAX_ALIASES_PER_KEY,
  'kms.maxTagsPerKey': MAX_TAGS,
  'kms.maxGrantsPerKey': MAX_GRANTS_PER_KEY,
  'kms.maxGrantConstraintPairs': MAX_GRANT_CONSTRAINT_PAIRS,
  'kms.grantPropagationMinutes': GRANT_PROPAGATION_MS / 60_000,
  'kms.maxGrantTokens': (GrantTokensM as { max: number }).max,
  // The request quotas of the throttling lab and the sandbox (current values, and 2023's).
  'quotas.symmetricLarge': symmetricQuota('current', 'us-east-1'),
  'quotas.symmetricMiddle': symmetricQuota('current', 'eu-central-1'),
  'quotas.symmetricOther': symmetricQuota('current', 'sa-east-1'),
  'quotas.symmetricLargeOld': symmetricQuota('2023', 'us-east-1'),
  'quotas.symmetricMiddleOld': symmetricQuota('2023', 'eu-central-1'),
  'quotas.symmetricOtherOld': symmetricQuota('2023', 'sa-east-1'),
  // The prices the lab's bill uses (US Regions).
  'pricing.keyMonthUsd': KEY_MONTH_USD,
  'pricing.paidRotations': MAX_PAID_ROTATIONS,
  'pricing.maxKeyMonthUsd': KEY_MONTH_USD * (1 + MAX_PAID_ROTATIONS),
  'pricing.freeTierRequests': FREE_TIER_REQUESTS,
  'pricing.symmetricPer10kUsd': PER_10K_USD.symmetric,
  'pricing.asymmetricPer10kUsd': PER_10K_USD.asymmetric,
};

/** `{{name.path}}`; CloudFormation's `{{resolve:...}}` has a colon and never matches. */
export const PLACEHOLDER = /\{\{\s*([a-z]+\.[A-Za-z0-9]+)\s*\}\}/g;

/** The placeholder names in a text. */
export function placeholdersIn(s: string): string[] {
  return [...s.matchAll(PLACEHOLDER)].map((m) => m[1]!);
}

/** A text with each placeholder replaced by the engine's number (4,096 style); unknown ones stay as written. */
export function fillPlaceholders(s: string): string {
  return s.replace(PLACEHOLDER, (whole, name: string) => {
    const n = ENGINE_NUMBERS[name];
    return n === undefined ? whole : n.toLocaleString('en-US');
  });
}
