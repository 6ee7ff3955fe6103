/** Scenario-side helpers around the engine's table of KMS actions and their input members. */
import { KMS_INPUT_MEMBERS, isKmsAction } from '../engine/kms/members';
import { KMS_ACTION_NAMES as KMS_ACTIONS } from '../engine/kms/actions';
import type { KmsActionName } from '../engine/kms/shapes';

export { KMS_ACTIONS, KMS_INPUT_MEMBERS, isKmsAction };

export function inputMembers(action: KmsActionName): readonly string[] {
  return KMS_INPUT_MEMBERS[action];
}

/** Fields whose value is an encryption context: a plain string map, never a byte form. */
export const CONTEXT_FIELDS = new Set(['EncryptionContext', 'SourceEncryptionContext', 'DestinationEncryptionContext']);

/** The closest name in `candidates` (a few edits away, more for long names), for "did you mean". */
export function closest(name: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Math.max(3, Math.ceil(name.length * 0.4)) + 1;
  for (const c of candidates) {
    const d = distance(name.toLowerCase(), c.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best;
}

function distance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!;
      prev[j] = Math.min(up + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length]!;
}
