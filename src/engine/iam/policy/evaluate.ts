/**
 * Does one policy statement apply to one request? The building block of AWS's evaluation
 * logic; how statements from key policies, identity policies and grants combine is decided
 * by each service (kms/authorize.ts), because KMS combines them its own way.
 */
import type { ConditionClause, PolicyDocument, PrincipalSpec, Statement } from './document';

/** The caller as policies see it. */
export interface CallerIdentity {
  /** The IAM ARN (a role's ARN for its sessions), or the service principal name. */
  arn: string;
  account: string;
  type: 'Root' | 'IAMUser' | 'AssumedRole' | 'AWSService';
  /** For an assumed role: the session ARN (`arn:aws:sts::…:assumed-role/Role/session`). */
  sessionArn?: string;
}

/**
 * Condition keys, lower-cased, to their values (single-valued keys hold one value). A Map
 * will do; services answer lazily, computing only the keys a policy asks for.
 */
export interface ConditionContext {
  get(keyLower: string): string[] | undefined;
}

export interface EvalRequest {
  caller: CallerIdentity;
  /** e.g. `kms:Encrypt` */
  action: string;
  /** The resource ARN, or `*` for actions without a resource. */
  resource: string;
  context: ConditionContext;
}

export interface StatementResult {
  statement: Statement;
  matched: boolean;
  /** In a resource policy: whether the caller was named directly, or only through its account. */
  principalMatch?: 'direct' | 'account';
  /** Why it did not match (the first element that failed), or what matched. */
  why: string;
}

export function evaluateStatement(st: Statement, req: EvalRequest, resourcePolicy: boolean): StatementResult {
  let principalMatch: StatementResult['principalMatch'];
  if (resourcePolicy) {
    if (st.principal) {
      principalMatch = matchPrincipal(st.principal, req.caller);
      if (!principalMatch) return { statement: st, matched: false, why: `Principal does not include ${shownCaller(req.caller)}` };
    } else if (st.notPrincipal) {
      if (matchPrincipal(st.notPrincipal, req.caller))
        return { statement: st, matched: false, why: `NotPrincipal excludes ${shownCaller(req.caller)}` };
      principalMatch = 'direct';
    }
  }
  if (st.action) {
    if (!st.action.some((p) => wildcard(p, req.action, true)))
      return { statement: st, matched: false, why: `Action does not include ${req.action}` };
  } else if (st.notAction) {
    if (st.notAction.some((p) => wildcard(p, req.action, true)))
      return { statement: st, matched: false, why: `NotAction excludes ${req.action}` };
  } else return { statement: st, matched: false, why: 'the statement has no Action, so it never applies' };
  if (st.resource) {
    if (!st.resource.some((p) => resourceMatches(p, req.resource, resourcePolicy))) {
      return { statement: st, matched: false, why: `Resource does not include ${req.resource}` };
    }
  } else if (st.notResource) {
    if (st.notResource.some((p) => resourceMatches(p, req.resource, resourcePolicy))) {
      return { statement: st, matched: false, why: `NotResource excludes ${req.resource}` };
    }
  } else return { statement: st, matched: false, why: 'the statement has no Resource, so it never applies' };
  for (const c of st.conditions) {
    const failed = conditionFails(c, req.context);
    if (failed) return { statement: st, matched: false, why: failed };
  }
  const r: StatementResult = { statement: st, matched: true, why: matchedWhy(st, principalMatch) };
  if (principalMatch) r.principalMatch = principalMatch;
  return r;
}

export function evaluatePolicy(doc: PolicyDocument, req: EvalRequest, resourcePolicy: boolean): StatementResult[] {
  return doc.statements.map((s) => evaluateStatement(s, req, resourcePolicy));
}

function matchedWhy(st: Statement, p: StatementResult['principalMatch']): string {
  const cond = st.conditions.length ? ` and all ${st.conditions.length} condition${st.conditions.length > 1 ? 's' : ''} hold` : '';
  const who =
    p === 'account' ? 'the caller’s account is the principal' : p === 'direct' ? 'the caller is a principal' : 'action and resource match';
  return `${who}${cond}`;
}

function shownCaller(c: CallerIdentity): string {
  return c.sessionArn ?? c.arn;
}

function matchPrincipal(spec: PrincipalSpec, caller: CallerIdentity): 'direct' | 'account' | undefined {
  if (spec.any) return 'direct';
  if (caller.type === 'AWSService') return spec.service.includes(caller.arn) ? 'direct' : undefined;
  for (const p of spec.aws) {
    if (p === caller.arn || (caller.sessionArn !== undefined && p === caller.sessionArn)) return 'direct';
    if (p === `arn:aws:iam::${caller.account}:root`) return 'account';
  }
  return undefined;
}

/**
 * In a key policy, `"Resource": "*"` means "this key"; a key ARN (or a pattern) must match
 * the key. An IAM policy's Resource is matched against the key's ARN.
 */
function resourceMatches(pattern: string, resource: string, _resourcePolicy: boolean): boolean {
  return pattern === '*' || wildcard(pattern, resource, false);
}

const patternCache = new Map<string, RegExp>();

/** IAM wildcards: `*` any run of characters, `?` one character. */
export function wildcard(pattern: string, value: string, ignoreCase: boolean): boolean {
  if (pattern === '*') return true;
  if (!pattern.includes('*') && !pattern.includes('?')) {
    return ignoreCase ? pattern.toLowerCase() === value.toLowerCase() : pattern === value;
  }
  const cacheKey = (ignoreCase ? 'i' : 's') + pattern;
  let re = patternCache.get(cacheKey);
  if (!re) {
    const body = pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.');
    re = new RegExp(`^${body}$`, ignoreCase ? 'si' : 's');
    patternCache.set(cacheKey, re);
  }
  return re.test(value);
}

/** The operators whose meaning is "matches none of the values": absent keys satisfy them. */
const NEGATED = new Set([
  'StringNotEquals',
  'StringNotEqualsIgnoreCase',
  'StringNotLike',
  'NumericNotEquals',
  'DateNotEquals',
  'ArnNotEquals',
  'ArnNotLike',
  'NotIpAddress',
]);

/** Undefined when the clause holds, else a sentence saying why it does not. */
export function conditionFails(c: ConditionClause, ctx: ConditionContext): string | undefined {
  const actual = ctx.get(c.keyLower);
  const shown = `${c.operator} ${c.key}`;
  if (c.base === 'Null') {
    const wantAbsent = c.values.some((v) => v.toLowerCase() === 'true');
    const absent = actual === undefined || actual.length === 0;
    return absent === wantAbsent ? undefined : `Null ${c.key}: the key is ${absent ? 'absent' : 'present'}`;
  }
  const negated = NEGATED.has(c.base);
  if (actual === undefined || actual.length === 0) {
    if (c.qualifier === 'ForAllValues') return undefined; // vacuously true
    if (c.ifExists || (negated && c.qualifier !== 'ForAnyValue')) return undefined;
    return `${shown}: the request has no ${c.key}`;
  }
  // A request value satisfies the operator when it matches one of the policy values
  // (or, for a negated operator, matches none of them).
  const satisfies = (v: string) => {
    const any = c.values.some((p) => compare(c.base, v, p));
    return negated ? !any : any;
  };
  const ok = c.qualifier === 'ForAllValues' ? actual.every(satisfies) : actual.some(satisfies);
  if (ok) return undefined;
  const got = actual.length === 1 ? `"${actual[0]}"` : `[${actual.map((a) => `"${a}"`).join(', ')}]`;
  return `${shown}: the request has ${got}, the policy ${negated ? 'excludes' : 'wants'} ${c.values.map((v) => `"${v}"`).join(' or ')}`;
}

function compare(base: string, actual: string, policy: string): boolean {
  switch (base) {
    case 'StringEquals':
    case 'StringNotEquals':
    case 'ArnEquals':
    case 'ArnNotEquals':
    case 'BinaryEquals':
      return actual === policy;
    case 'StringEqualsIgnoreCase':
    case 'StringNotEqualsIgnoreCase':
      return actual.toLowerCase() === policy.toLowerCase();
    case 'StringLike':
    case 'StringNotLike':
    case 'ArnLike':
    case 'ArnNotLike':
      return wildcard(policy, actual, false);
    case 'Bool':
      return actual.toLowerCase() === policy.toLowerCase();
    case 'NumericEquals':
    case 'NumericNotEquals':
      return num(actual) === num(policy);
    case 'NumericLessThan':
      return num(actual) < num(policy);
    case 'NumericLessThanEquals':
      return num(actual) <= num(policy);
    case 'NumericGreaterThan':
      return num(actual) > num(policy);
    case 'NumericGreaterThanEquals':
      return num(actual) >= num(policy);
    case 'DateEquals':
    case 'DateNotEquals':
      return date(actual) === date(policy);
    case 'DateLessThan':
      return date(actual) < date(policy);
    case 'DateLessThanEquals':
      return date(actual) <= date(policy);
    case 'DateGreaterThan':
      return date(actual) > date(policy);
    case 'DateGreaterThanEquals':
      return date(actual) >= date(policy);
    case 'IpAddress':
    case 'NotIpAddress':
      return inCidr(actual, policy);
    default:
      return false;
  }
}

function num(s: string): number {
  const n = Number(s);
  return Number.isNaN(n) ? NaN : n;
}

/** ISO 8601 dates or epoch seconds, as IAM accepts them. */
function date(s: string): number {
  return /^\d+$/.test(s) ? Number(s) * 1000 : Date.parse(s);
}

function inCidr(ip: string, cidr: string): boolean {
  const [net, bitsText] = cidr.split('/');
  const bits = bitsText === undefined ? 32 : Number(bitsText);
  const a = ipv4(ip);
  const b = ipv4(net ?? '');
  if (a === undefined || b === undefined || !(bits >= 0 && bits <= 32)) return false;
  const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
  return (a & mask) >>> 0 === (b & mask) >>> 0;
}

function ipv4(s: string): number | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    const x = Number(p);
    if (!/^\d{1,3}$/.test(p) || x > 255) return undefined;
    n = n * 256 + x;
  }
  return n;
}
