/**
 * Combining statements into a decision, as AWS does, with the trace of what decided it.
 *
 * - An explicit Deny in any policy that applies wins.
 * - A KMS key policy does not trust its account implicitly: IAM policies count only when the
 *   key policy allows the account (`arn:aws:iam::<account>:root`); a key policy statement that
 *   names the caller (or `*`) allows on its own; a grant allows on its own.
 * - Cross-account: the resource policy must allow the caller or its account, AND an identity
 *   policy in the caller's account must allow the action (the "two halves").
 * - Without a resource policy (IAM-only actions such as kms:CreateKey), identity policies decide.
 * - The account root user is not governed by identity policies: in its own account it is
 *   allowed whatever IAM says (it still needs the key policy to trust the account).
 */
import { evaluatePolicy, evaluateStatement, type EvalRequest, type StatementResult } from './policy/evaluate';
import type { IdentityPolicy } from './service';
import type { Statement } from './policy/document';
import type { RequestContext } from '../world';

export interface ConsideredStatement {
  /** `key policy`, `inline policy X of role Y`, `grant 0123…`, … */
  source: string;
  kind: 'resource' | 'identity' | 'grant';
  sid?: string;
  /** 0-based index within its policy. */
  index: number;
  /** 1-based line of the statement in its policy text. */
  line: number;
  effect: 'Allow' | 'Deny';
  matched: boolean;
  why: string;
  principalMatch?: 'direct' | 'account';
  /** The statement that decided the outcome. */
  decisive?: boolean;
}

export type DecisionRule =
  | 'explicit-deny'
  | 'resource-policy-allows-caller'
  | 'resource-policy-allows-account-and-identity-allows'
  | 'grant-allows'
  | 'identity-allows'
  | 'root-of-account'
  | 'no-resource-policy-allow'
  | 'no-identity-policy-allow';

export interface Decision {
  decision: 'Allow' | 'Deny';
  rule: DecisionRule;
  /** One sentence, for the explanation panel. */
  explanation: string;
  /** For a denial: where the deny came from, as AWS's message words it. */
  denial?:
    | 'explicit deny in a resource-based policy'
    | 'explicit deny in an identity-based policy'
    | 'no resource-based policy'
    | 'no identity-based policy';
  considered: ConsideredStatement[];
}

export interface GrantCheck {
  source: string;
  /** Undefined when the grant applies, else why not. */
  failure?: string;
}

export interface DecideInput {
  request: EvalRequest;
  /** Statements of the resource policy (a key policy), when the resource has one. */
  resourcePolicy?: { source: string; statements: Statement[] };
  /** The account that owns the resource (for the cross-account rule). */
  resourceAccount?: string;
  identityPolicies: IdentityPolicy[];
  grants?: GrantCheck[];
  /**
   * Most resource policies (S3 bucket policies) trust their own account: within it, an
   * identity policy's Allow is enough. KMS key policies do not (the default, false).
   */
  resourceTrustsAccount?: boolean;
}

export function decide(input: DecideInput): Decision {
  const { request } = input;
  const caller = request.caller;
  const considered: ConsideredStatement[] = [];
  const note = (source: string, kind: ConsideredStatement['kind'], r: StatementResult): ConsideredStatement => {
    const c: ConsideredStatement = {
      source,
      kind,
      index: r.statement.index,
      line: r.statement.line,
      effect: r.statement.effect,
      matched: r.matched,
      why: r.why,
    };
    if (r.statement.sid) c.sid = r.statement.sid;
    if (r.principalMatch) c.principalMatch = r.principalMatch;
    considered.push(c);
    return c;
  };

  const resource = input.resourcePolicy
    ? input.resourcePolicy.statements.map((s) => note(input.resourcePolicy!.source, 'resource', evaluateStatement(s, request, true)))
    : [];
  // Identity policies belong to the caller's own account; a service principal has none.
  const identity: ConsideredStatement[] = [];
  for (const p of input.identityPolicies) {
    for (const r of evaluatePolicy(p.doc, request, false)) identity.push(note(p.source, 'identity', r));
  }
  const grants: ConsideredStatement[] = (input.grants ?? []).map((g, i) => {
    const c: ConsideredStatement = {
      source: g.source,
      kind: 'grant',
      index: i,
      line: 1,
      effect: 'Allow',
      matched: !g.failure,
      why: g.failure ?? 'the grant covers this caller, operation and encryption context',
    };
    considered.push(c);
    return c;
  });

  const deny = (rule: DecisionRule, denial: Decision['denial'], explanation: string, decisive?: ConsideredStatement): Decision => {
    if (decisive) decisive.decisive = true;
    const d: Decision = { decision: 'Deny', rule, explanation, considered };
    if (denial) d.denial = denial;
    return d;
  };
  const allow = (rule: DecisionRule, explanation: string, decisive?: ConsideredStatement): Decision => {
    if (decisive) decisive.decisive = true;
    return { decision: 'Allow', rule, explanation, considered };
  };

  const resDeny = resource.find((c) => c.matched && c.effect === 'Deny');
  if (resDeny)
    return deny(
      'explicit-deny',
      'explicit deny in a resource-based policy',
      `An explicit Deny in the ${resDeny.source} applies, and an explicit Deny always wins.`,
      resDeny,
    );
  const idDeny = identity.find((c) => c.matched && c.effect === 'Deny');
  if (idDeny)
    return deny(
      'explicit-deny',
      'explicit deny in an identity-based policy',
      `An explicit Deny in the ${idDeny.source} applies, and an explicit Deny always wins.`,
      idDeny,
    );

  const isRoot = caller.type === 'Root';
  const idAllow = identity.find((c) => c.matched && c.effect === 'Allow');
  const identityAllows = isRoot || !!idAllow;

  if (!input.resourcePolicy) {
    if (isRoot) return allow('root-of-account', 'The account root user may call every action on its own account’s resources.');
    if (idAllow) return allow('identity-allows', `The ${idAllow.source} allows it.`, idAllow);
    return deny(
      'no-identity-policy-allow',
      'no identity-based policy',
      'No identity policy of the caller allows this action, so it is implicitly denied.',
    );
  }

  // A service principal has no account of its own: the resource policy alone decides for it.
  const crossAccount = caller.type !== 'AWSService' && input.resourceAccount !== undefined && caller.account !== input.resourceAccount;
  const direct = resource.find((c) => c.matched && c.effect === 'Allow' && c.principalMatch === 'direct');
  const viaAccount = resource.find((c) => c.matched && c.effect === 'Allow' && c.principalMatch === 'account');
  const grant = grants.find((g) => g.matched);

  if (grant) return allow('grant-allows', `The ${grant.source} allows it (grants only ever allow).`, grant);
  if (!crossAccount) {
    if (direct)
      return allow('resource-policy-allows-caller', `The ${direct.source} allows the caller directly, so no IAM policy is needed.`, direct);
    if (input.resourceTrustsAccount) {
      if (isRoot) return allow('root-of-account', 'The account root user may call every action on its own account’s resources.');
      if (idAllow)
        return allow(
          'identity-allows',
          `The ${idAllow.source} allows it, and the ${input.resourcePolicy.source} does not deny it.`,
          idAllow,
        );
      return deny(
        'no-identity-policy-allow',
        'no identity-based policy',
        'Neither an identity policy of the caller nor the resource policy allows this action.',
      );
    }
    if (viaAccount && identityAllows) {
      if (idAllow) idAllow.decisive = true;
      return allow(
        'resource-policy-allows-account-and-identity-allows',
        isRoot
          ? `The ${viaAccount.source} allows the account, and the account root user is allowed by the account.`
          : `The ${viaAccount.source} allows the account, which lets IAM policies decide, and the ${idAllow!.source} allows it.`,
        viaAccount,
      );
    }
    if (viaAccount) {
      return deny(
        'no-identity-policy-allow',
        'no identity-based policy',
        `The ${viaAccount.source} lets IAM policies decide for this account, but no IAM policy of the caller allows ${request.action}.`,
      );
    }
    return deny(
      'no-resource-policy-allow',
      'no resource-based policy',
      `The ${input.resourcePolicy.source} neither allows the caller nor delegates to the account's IAM policies, so IAM policies cannot help.`,
    );
  }
  // Cross-account: both halves.
  const keyHalf = direct ?? viaAccount;
  if (!keyHalf) {
    return deny(
      'no-resource-policy-allow',
      'no resource-based policy',
      `The ${input.resourcePolicy.source} (account ${input.resourceAccount}) does not allow account ${caller.account} or the caller: the owning account's half is missing.`,
    );
  }
  if (!identityAllows) {
    return deny(
      'no-identity-policy-allow',
      'no identity-based policy',
      `The ${keyHalf.source} allows account ${caller.account}, but no IAM policy in account ${caller.account} allows the caller ${request.action}: the caller's account's half is missing.`,
    );
  }
  if (idAllow) idAllow.decisive = true;
  return allow(
    'resource-policy-allows-account-and-identity-allows',
    `Both halves are there: the ${keyHalf.source} allows account ${caller.account}, and ${isRoot ? 'the caller is that account’s root user' : `the ${idAllow!.source} allows the caller`}.`,
    keyHalf,
  );
}

/** AWS's AccessDeniedException text for a decision. */
export function accessDeniedMessage(callerShown: string, action: string, resource: string, d: Decision): string {
  const base = `User: ${callerShown} is not authorized to perform: ${action} on resource: ${resource}`;
  switch (d.denial) {
    case 'explicit deny in a resource-based policy':
    case 'explicit deny in an identity-based policy':
      return `${base} with an ${d.denial}`;
    case 'no resource-based policy':
      return `${base} because no resource-based policy allows the ${action} action`;
    default:
      return `${base} because no identity-based policy allows the ${action} action`;
  }
}

/**
 * Puts a decision into the request's trace (the `authorized` step) and says whether the request
 * may go on: yes when allowed, and always in permissive mode, which explains but never denies.
 */
export function recordDecision(ctx: RequestContext, d: Decision, permission: string, resource: string): boolean {
  const enforced = !ctx.world.permissive;
  const goOn = d.decision === 'Allow' || !enforced;
  ctx.step({
    node: 'IAM',
    step: 'authorized',
    decision: goOn ? 'Allow' : 'Deny',
    enforced,
    evaluated: d.decision,
    reason: enforced
      ? d.explanation
      : `Permissive mode: policies are not enforced. Enforced, the answer would be ${d.decision}: ${d.explanation}`,
    permission,
    resource,
    rule: d.rule,
    considered: d.considered,
  });
  return goOn;
}
