/**
 * IAM policy documents (key policies, identity policies, later bucket policies): parsing and
 * the checks that make AWS answer MalformedPolicyDocumentException. A parsed document is kept
 * next to its text, so a request never parses JSON again.
 *
 * Where AWS's exact reason text is not recorded in our references, the reason is ours and says
 * precisely what is wrong; every error also carries where in the text the problem is
 * (`policyLocation`), which the page uses to mark the line. The AWS error never contains it.
 */
import { AwsError } from '../../errors';

export type Effect = 'Allow' | 'Deny';

/** A Principal or NotPrincipal element, normalised. */
export interface PrincipalSpec {
  /** `"*"` or `{"AWS": "*"}`: everyone. */
  any: boolean;
  aws: string[];
  service: string[];
  federated: string[];
}

export type SetQualifier = 'ForAnyValue' | 'ForAllValues';

export interface ConditionClause {
  /** As written, e.g. `ForAllValues:StringEqualsIfExists`. */
  operator: string;
  /** The operator without qualifier and IfExists, e.g. `StringEquals`. */
  base: string;
  qualifier?: SetQualifier;
  ifExists: boolean;
  /** Condition key as written (keys compare case-insensitively). */
  key: string;
  keyLower: string;
  values: string[];
}

export interface Statement {
  index: number;
  sid?: string;
  effect: Effect;
  principal?: PrincipalSpec;
  notPrincipal?: PrincipalSpec;
  action?: string[];
  notAction?: string[];
  resource?: string[];
  notResource?: string[];
  conditions: ConditionClause[];
  /** 1-based line of the statement in the source text. */
  line: number;
}

export interface PolicyDocument {
  version: string;
  id?: string;
  statements: Statement[];
}

/** Resource policies (key policies, bucket policies) name principals; identity policies must not. */
export type PolicyKind = 'key' | 'bucket' | 'identity';

export interface PolicyLocation {
  line: number;
  column: number;
  /** JSON path, e.g. `Statement[1].Principal`. */
  path: string;
}

export class MalformedPolicyError extends AwsError {
  constructor(
    message: string,
    readonly policyLocation?: PolicyLocation,
    code = 'MalformedPolicyDocumentException',
  ) {
    super(code, message);
  }
}

export const CONDITION_OPERATORS = [
  'StringEquals',
  'StringNotEquals',
  'StringEqualsIgnoreCase',
  'StringNotEqualsIgnoreCase',
  'StringLike',
  'StringNotLike',
  'NumericEquals',
  'NumericNotEquals',
  'NumericLessThan',
  'NumericLessThanEquals',
  'NumericGreaterThan',
  'NumericGreaterThanEquals',
  'DateEquals',
  'DateNotEquals',
  'DateLessThan',
  'DateLessThanEquals',
  'DateGreaterThan',
  'DateGreaterThanEquals',
  'Bool',
  'BinaryEquals',
  'IpAddress',
  'NotIpAddress',
  'ArnEquals',
  'ArnNotEquals',
  'ArnLike',
  'ArnNotLike',
  'Null',
] as const;
const OPERATOR_SET = new Set<string>(CONDITION_OPERATORS);

const STATEMENT_ELEMENTS = new Set([
  'Sid',
  'Effect',
  'Principal',
  'NotPrincipal',
  'Action',
  'NotAction',
  'Resource',
  'NotResource',
  'Condition',
]);

/**
 * Parses and checks a policy. `principalExists` decides whether an IAM user or role ARN in a
 * Principal element names a principal KMS can see (AWS refuses policies naming unknown ones).
 */
export function parsePolicy(text: string, kind: PolicyKind, principalExists?: (arn: string) => boolean): PolicyDocument {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    const msg = (e as Error).message;
    // Engines differ in whether their message gives a position; find it ourselves when not.
    const pos = /position (\d+)/.exec(msg);
    const offset = pos ? Number(pos[1]) : jsonErrorOffset(text);
    const at = offset === undefined ? undefined : lineColumn(text, offset);
    throw new MalformedPolicyError(
      `The policy is not valid JSON${at ? ` (line ${at.line}, column ${at.column})` : ''}: ${msg.replace(/ in JSON at position \d+.*$/, '')}`,
      at && { ...at, path: '' },
    );
  }
  const where = locator(text);
  const fail = (path: string, why: string): never => {
    throw new MalformedPolicyError(why, where(path));
  };
  if (!isObject(raw)) return fail('', 'The policy must be a JSON object.');
  for (const k of Object.keys(raw)) {
    if (k !== 'Version' && k !== 'Id' && k !== 'Statement') fail(k, `The policy has an unknown element "${k}".`);
  }
  const version = raw.Version ?? '2008-10-17';
  if (version !== '2012-10-17' && version !== '2008-10-17') {
    fail('Version', `The policy Version ${JSON.stringify(version)} is not supported (use "2012-10-17").`);
  }
  if (raw.Id !== undefined && typeof raw.Id !== 'string') fail('Id', 'The policy Id must be a string.');
  const st = raw.Statement;
  const list = Array.isArray(st) ? st : isObject(st) ? [st] : null;
  const arrayPath = Array.isArray(st);
  if (!list || list.length === 0) return fail('Statement', 'The policy must contain at least one Statement.');
  const statements = list.map((s, i) =>
    parseStatement(s, i, arrayPath ? `Statement[${i}]` : 'Statement', kind, fail, where, principalExists),
  );
  const sids = new Set<string>();
  for (const s of statements) {
    if (s.sid === undefined || s.sid === '') continue;
    if (sids.has(s.sid))
      fail(`Statement[${s.index}].Sid`, `Statement IDs (SID) in a single policy must be unique: "${s.sid}" appears twice.`);
    sids.add(s.sid);
  }
  const doc: PolicyDocument = { version: String(version), statements };
  if (typeof raw.Id === 'string') doc.id = raw.Id;
  return doc;
}

function parseStatement(
  s: unknown,
  index: number,
  path: string,
  kind: PolicyKind,
  fail: (path: string, why: string) => never,
  where: (path: string) => PolicyLocation | undefined,
  principalExists?: (arn: string) => boolean,
): Statement {
  const label = `Statement ${index + 1}`;
  if (!isObject(s)) return fail(path, `${label} must be a JSON object.`);
  for (const k of Object.keys(s)) if (!STATEMENT_ELEMENTS.has(k)) fail(`${path}.${k}`, `${label} has an unknown element "${k}".`);
  if (s.Sid !== undefined && typeof s.Sid !== 'string') fail(`${path}.Sid`, `${label}: Sid must be a string.`);
  if (kind === 'identity' && typeof s.Sid === 'string' && !/^[A-Za-z0-9]*$/.test(s.Sid)) {
    // IAM (unlike KMS) allows only letters and digits in a Sid.
    fail(`${path}.Sid`, `Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*`);
  }
  if (s.Effect !== 'Allow' && s.Effect !== 'Deny') fail(`${path}.Effect`, `${label}: Effect must be "Allow" or "Deny".`);
  const st: Statement = { index, effect: s.Effect as Effect, conditions: [], line: where(path)?.line ?? 1 };
  if (typeof s.Sid === 'string') st.sid = s.Sid;

  both(s, 'Principal', 'NotPrincipal', path, label, fail);
  if (kind === 'identity') {
    if (s.Principal !== undefined || s.NotPrincipal !== undefined) {
      fail(`${path}.${s.Principal !== undefined ? 'Principal' : 'NotPrincipal'}`, 'Policy document should not specify a principal.');
    }
  } else {
    if (s.Principal === undefined && s.NotPrincipal === undefined) {
      fail(path, `${label}: a ${kind === 'key' ? 'key' : 'bucket'} policy statement must name a Principal.`);
    }
    if (s.Principal !== undefined) st.principal = principalSpec(s.Principal, `${path}.Principal`, label, fail, principalExists);
    if (s.NotPrincipal !== undefined) st.notPrincipal = principalSpec(s.NotPrincipal, `${path}.NotPrincipal`, label, fail, principalExists);
  }

  both(s, 'Action', 'NotAction', path, label, fail);
  // KMS accepts a key policy statement without Action or Resource: it simply never matches
  // (reference/aws-facts.md §2.7). IAM refuses such identity policies.
  if (kind === 'identity' && s.Action === undefined && s.NotAction === undefined) fail(path, 'Policy statement must contain actions.');
  if (s.Action !== undefined) st.action = actionList(s.Action, `${path}.Action`, label, fail);
  if (s.NotAction !== undefined) st.notAction = actionList(s.NotAction, `${path}.NotAction`, label, fail);

  both(s, 'Resource', 'NotResource', path, label, fail);
  if (kind === 'identity' && s.Resource === undefined && s.NotResource === undefined)
    fail(path, 'Policy statement must contain resources.');
  if (s.Resource !== undefined) st.resource = stringList(s.Resource, `${path}.Resource`, `${label}: Resource`, fail);
  if (s.NotResource !== undefined) st.notResource = stringList(s.NotResource, `${path}.NotResource`, `${label}: NotResource`, fail);

  if (s.Condition !== undefined) st.conditions = conditions(s.Condition, `${path}.Condition`, label, kind, fail);
  return st;
}

function both(s: Record<string, unknown>, a: string, b: string, path: string, label: string, fail: (p: string, w: string) => never): void {
  if (s[a] !== undefined && s[b] !== undefined) fail(`${path}.${b}`, `${label} cannot contain both ${a} and ${b}.`);
}

const ACCOUNT = /^\d{12}$/;
const IAM_ARN = /^arn:aws:iam::(\d{12}):(root|user\/.+|role\/.+)$/;
const STS_ARN = /^arn:aws:sts::(\d{12}):assumed-role\/[^/]+\/.+$/;

function principalSpec(
  v: unknown,
  path: string,
  label: string,
  fail: (p: string, w: string) => never,
  principalExists?: (arn: string) => boolean,
): PrincipalSpec {
  const spec: PrincipalSpec = { any: false, aws: [], service: [], federated: [] };
  if (v === '*') {
    spec.any = true;
    return spec;
  }
  if (!isObject(v)) return fail(path, `${label}: Principal must be "*" or an object such as {"AWS": "arn:aws:iam::111122223333:root"}.`);
  for (const [type, val] of Object.entries(v)) {
    const list = stringList(val, `${path}.${type}`, `${label}: Principal ${type}`, fail);
    if (type === 'AWS') {
      for (const p of list) {
        if (p === '*') spec.any = true;
        else if (ACCOUNT.test(p) || IAM_ARN.test(p) || STS_ARN.test(p)) {
          const m = IAM_ARN.exec(p);
          // Users and roles must exist when the policy is saved (AWS resolves them to ids).
          if (m && m[2] !== 'root' && principalExists && !principalExists(p)) {
            fail(`${path}.AWS`, 'Policy contains a statement with one or more invalid principals.');
          }
          spec.aws.push(ACCOUNT.test(p) ? `arn:aws:iam::${p}:root` : p);
        } else fail(`${path}.AWS`, 'Policy contains a statement with one or more invalid principals.');
      }
    } else if (type === 'Service') {
      for (const p of list) {
        if (!/^[a-z0-9.-]+\.amazonaws\.com(\.cn)?$/.test(p))
          fail(`${path}.Service`, 'Policy contains a statement with one or more invalid principals.');
        spec.service.push(p);
      }
    } else if (type === 'Federated' || type === 'CanonicalUser') {
      spec.federated.push(...list);
    } else fail(`${path}.${type}`, `${label}: unknown principal type "${type}" (expected AWS, Service, Federated or CanonicalUser).`);
  }
  return spec;
}

function actionList(v: unknown, path: string, label: string, fail: (p: string, w: string) => never): string[] {
  const list = stringList(v, path, `${label}: Action`, fail);
  for (const a of list) {
    if (a !== '*' && !/^[a-zA-Z0-9-]+:[A-Za-z0-9*?]+$/.test(a)) {
      fail(path, `${label}: ${JSON.stringify(a)} is not an action (expected "<service>:<Action>", e.g. "kms:Encrypt", or "*").`);
    }
  }
  return list;
}

function stringList(v: unknown, path: string, what: string, fail: (p: string, w: string) => never): string[] {
  const list = Array.isArray(v) ? v : [v];
  if (list.length === 0) fail(path, `${what} must not be an empty list.`);
  for (const x of list) if (typeof x !== 'string' || x === '') fail(path, `${what} must be a string or a list of strings.`);
  return list as string[];
}

function conditions(v: unknown, path: string, label: string, kind: PolicyKind, fail: (p: string, w: string) => never): ConditionClause[] {
  if (!isObject(v)) return fail(path, `${label}: Condition must be an object of operators.`);
  const out: ConditionClause[] = [];
  for (const [operator, block] of Object.entries(v)) {
    const m = /^(?:(ForAnyValue|ForAllValues):)?(.+?)(IfExists)?$/.exec(operator);
    const base = m?.[2] ?? operator;
    if (!m || !OPERATOR_SET.has(base) || (base === 'Null' && m[3])) {
      fail(`${path}.${operator}`, `${label}: "${operator}" is not a condition operator.`);
    }
    if (!isObject(block)) return fail(`${path}.${operator}`, `${label}: the ${operator} condition must be an object of condition keys.`);
    for (const [key, val] of Object.entries(block)) {
      const vals = (Array.isArray(val) ? val : [val]).map((x) =>
        typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean'
          ? String(x)
          : fail(`${path}.${operator}.${key}`, `${label}: condition values must be strings, numbers or booleans.`),
      );
      if (vals.length === 0) fail(`${path}.${operator}.${key}`, `${label}: condition key ${key} has no values.`);
      const keyLower = key.toLowerCase();
      if (m?.[1] === 'ForAllValues' && keyLower.startsWith('kms:encryptioncontext:') && kind === 'key') {
        // KMS refuses this combination (reference/aws-facts.md §2.9); the wording after the code is ours.
        fail(
          `${path}.${operator}.${key}`,
          `OverlyPermissiveCondition:EncryptionContext: ForAllValues cannot be used with the single-valued key ${key}; use kms:EncryptionContextKeys to limit the keys.`,
        );
      }
      const c: ConditionClause = { operator, base, ifExists: !!m?.[3], key, keyLower, values: vals };
      if (m?.[1]) c.qualifier = m[1] as SetQualifier;
      out.push(c);
    }
  }
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let last = -1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      last = i;
    }
  }
  return { line, column: offset - last };
}

/** The offset of the first syntax error in a JSON text (undefined if it is valid). */
export function jsonErrorOffset(text: string): number | undefined {
  let i = 0;
  class Bad extends Error {}
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const expect = (c: string) => {
    if (text[i] !== c) throw new Bad();
    i++;
  };
  const string = () => {
    expect('"');
    while (i < text.length && text[i] !== '"') {
      const c = text.charCodeAt(i);
      if (c < 0x20) throw new Bad();
      if (text[i] === '\\') {
        i++;
        if (text[i] === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) throw new Bad();
          i += 4;
        } else if (!'"\\/bfnrt'.includes(text[i] ?? 'x')) throw new Bad();
      }
      i++;
    }
    expect('"');
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') return void i++;
      for (;;) {
        ws();
        string();
        ws();
        expect(':');
        value();
        ws();
        if (text[i] === ',') i++;
        else return expect('}');
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') return void i++;
      for (;;) {
        value();
        ws();
        if (text[i] === ',') i++;
        else return expect(']');
      }
    }
    if (c === '"') return string();
    const m = /^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i, i + 400));
    if (!m) throw new Bad();
    i += m[0].length;
  };
  try {
    value();
    ws();
    return i < text.length ? i : undefined;
  } catch (e) {
    if (e instanceof Bad) return Math.min(i, text.length);
    throw e;
  }
}

/**
 * Where each value of a (valid) JSON text starts, by path (`Statement[0].Principal.AWS`).
 * A small scanner instead of a second parser: the text is known to be valid JSON here.
 */
function locator(text: string): (path: string) => PolicyLocation | undefined {
  let offsets: Map<string, number> | undefined;
  return (path) => {
    offsets ??= scan(text);
    let p = path;
    // Fall back to the nearest enclosing value that was found.
    for (;;) {
      const off = offsets.get(p);
      if (off !== undefined) return { ...lineColumn(text, off), path };
      if (!p) return undefined;
      const cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
      p = cut > 0 ? p.slice(0, cut) : '';
    }
  };
}

function scan(text: string): Map<string, number> {
  const out = new Map<string, number>();
  let i = 0;
  const ws = () => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };
  const str = (): string => {
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const value = (path: string): void => {
    ws();
    out.set(path, i);
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        const k = str();
        ws();
        i++; // ':'
        value(path ? `${path}.${k}` : k);
        ws();
        if (text[i++] === '}') return;
      }
    } else if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (let n = 0; ; n++) {
        value(`${path}[${n}]`);
        ws();
        if (text[i++] === ']') return;
      }
    } else if (c === '"') str();
    else while (i < text.length && !/[\s,\]}]/.test(text[i]!)) i++;
  };
  value('');
  return out;
}
