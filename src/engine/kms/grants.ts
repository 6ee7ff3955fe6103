/**
 * Grants: what a grant is, and whether one lets a given request through
 * (reference/aws-facts.md §2.8, kms-api.md: GrantListEntry).
 *
 * Eventual consistency: a new grant takes effect for requests without its grant token only
 * after GRANT_PROPAGATION_MS of virtual time. AWS says this usually happens within five
 * minutes; kms-lab uses exactly five minutes so the lesson "use the grant token until the
 * grant is consistent" can be seen. Retiring and revoking take effect at once here (in AWS
 * they are also eventually consistent).
 */
import { GRANT_OPERATIONS, type GrantConstraints, type GrantOperation } from './shapes';

export const GRANT_PROPAGATION_MS = 5 * 60_000;
export const MAX_GRANTS_PER_KEY = 50_000;
export const MAX_GRANT_CONSTRAINT_PAIRS = 8;

export interface Grant {
  grantId: string;
  keyArn: string;
  name?: string;
  granteePrincipal?: string;
  granteeServicePrincipal?: string;
  retiringPrincipal?: string;
  retiringServicePrincipal?: string;
  /** `arn:aws:iam::<account>:root` of the account that created it. */
  issuingAccount: string;
  operations: GrantOperation[];
  constraints?: GrantConstraints;
  creationMs: number;
  /** When requests without the token start to see it. */
  consistentMs: number;
  /** Every token CreateGrant returned for this grant (same Name ⇒ same grant, new token). */
  tokens: string[];
}

/** The grant operation a permission corresponds to (`kms:Encrypt` → `Encrypt`), if any. */
export function grantOperationOf(permission: string): GrantOperation | undefined {
  const op = permission.slice(4) as GrantOperation;
  return GRANTABLE.has(op) ? op : undefined;
}

const GRANTABLE = new Set<string>(GRANT_OPERATIONS);

/** Whether a grant names this caller (a role ARN covers the role's sessions). */
export function isGrantee(g: Grant, callerArn: string, service?: string): boolean {
  return service ? g.granteeServicePrincipal === service : g.granteePrincipal === callerArn;
}

export function isRetiree(g: Grant, callerArn: string): boolean {
  return g.retiringPrincipal === callerArn;
}

/**
 * Undefined when the grant covers the request; otherwise why it does not. Encryption-context
 * constraint keys compare case-insensitively, values case-sensitively (CreateGrant docs).
 */
export function grantFailure(
  g: Grant,
  op: GrantOperation,
  context: Record<string, string> | undefined,
  nowMs: number,
  tokens: readonly string[] | undefined,
): string | undefined {
  if (!g.operations.includes(op)) return `the grant's operations (${g.operations.join(', ')}) do not include ${op}`;
  if (nowMs < g.consistentMs && !(tokens ?? []).some((t) => g.tokens.includes(t))) {
    return `the grant is not consistent yet (about ${Math.ceil((g.consistentMs - nowMs) / 1000)} s left) and the request did not pass its grant token`;
  }
  const c = g.constraints;
  if (c?.EncryptionContextEquals) {
    if (!sameContext(c.EncryptionContextEquals, context ?? {}, true)) {
      return `the request's encryption context is not exactly the grant's EncryptionContextEquals ${JSON.stringify(c.EncryptionContextEquals)}`;
    }
  }
  if (c?.EncryptionContextSubset) {
    if (!sameContext(c.EncryptionContextSubset, context ?? {}, false)) {
      return `the request's encryption context does not include every pair of the grant's EncryptionContextSubset ${JSON.stringify(c.EncryptionContextSubset)}`;
    }
  }
  return undefined;
}

function sameContext(constraint: Record<string, string>, request: Record<string, string>, exact: boolean): boolean {
  const req = new Map(Object.entries(request).map(([k, v]) => [k.toLowerCase(), v]));
  const want = Object.entries(constraint);
  if (exact && want.length !== req.size) return false;
  return want.every(([k, v]) => req.get(k.toLowerCase()) === v);
}

/** GrantListEntry, as ListGrants and ListRetirableGrants return it. */
export function grantListEntry(g: Grant): Record<string, unknown> {
  const e: Record<string, unknown> = {
    KeyId: g.keyArn,
    GrantId: g.grantId,
    CreationDate: new Date(g.creationMs),
    IssuingAccount: g.issuingAccount,
    Operations: [...g.operations],
  };
  if (g.name !== undefined) e.Name = g.name;
  if (g.granteePrincipal) e.GranteePrincipal = g.granteePrincipal;
  if (g.granteeServicePrincipal) e.GranteeServicePrincipal = g.granteeServicePrincipal;
  if (g.retiringPrincipal) e.RetiringPrincipal = g.retiringPrincipal;
  if (g.retiringServicePrincipal) e.RetiringServicePrincipal = g.retiringServicePrincipal;
  if (g.constraints) e.Constraints = structuredClone(g.constraints);
  return e;
}
