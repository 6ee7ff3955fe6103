/**
 * Values in scenario files: `${var.path}` references, byte forms ({ text }, { base64 },
 * { hex }, { bytes }, { tamper, at }), paths into outputs, and the matchers of `expect`.
 * Pure functions, no engine, no DOM.
 */
import { CONTEXT_FIELDS } from './kms-actions';
// Byte encodings come from the engine's crypto layer, the one place that owns them.
import { fromBase64, fromHex, toBase64, toHex } from '../engine/crypto';
export { toBase64, toHex };

export type Vars = Record<string, unknown>;
export type PathSeg = string | number | '*';

// ---------------------------------------------------------------- paths

/**
 * Parses `KeyMetadata.KeyState`, `Rotations[0].RotationType`, `Rotations.*.RotationType`,
 * `requestParameters.encryptionContext["my.key"]`. Throws a readable Error when malformed.
 */
export function parsePath(path: string): PathSeg[] {
  const segs: PathSeg[] = [];
  let i = 0;
  const n = path.length;
  if (n === 0) throw new Error('empty path');
  while (i < n) {
    const ch = path[i]!;
    if (ch === '[') {
      const end = path.indexOf(']', i);
      if (end < 0) throw new Error(`unclosed [ in path '${path}'`);
      const inner = path.slice(i + 1, end).trim();
      if (inner === '*') segs.push('*');
      else if (/^\d+$/.test(inner)) segs.push(Number(inner));
      else if (/^(["']).*\1$/.test(inner)) segs.push(inner.slice(1, -1));
      else throw new Error(`expected [n], [*] or ["name"] in path '${path}', got [${inner}]`);
      i = end + 1;
      if (i < n && path[i] === '.') i++;
      continue;
    }
    let j = i;
    while (j < n && path[j] !== '.' && path[j] !== '[') j++;
    const tok = path.slice(i, j);
    if (!tok) throw new Error(`empty segment in path '${path}'`);
    segs.push(tok === '*' ? '*' : /^\d+$/.test(tok) ? Number(tok) : tok);
    i = j;
    if (i < n && path[i] === '.') {
      i++;
      if (i === n) throw new Error(`path '${path}' ends with a dot`);
    }
  }
  return segs;
}

/** Reads a path; `*` maps over a list (or a mapping's values) and yields a list. */
export function getPath(root: unknown, segs: PathSeg[]): unknown {
  let cur: unknown[] = [root];
  let multi = false;
  for (const seg of segs) {
    if (seg === '*') {
      multi = true;
      cur = cur.flatMap((c) => (Array.isArray(c) ? c : isPlainObject(c) ? Object.values(c) : []));
    } else {
      cur = cur.map((c) => (c !== null && typeof c === 'object' ? (c as Record<string | number, unknown>)[seg] : undefined));
    }
  }
  return multi ? cur : cur[0];
}

// ---------------------------------------------------------------- references

/** `${name}` or `${name.path}`: the whole reference text, the variable name and the path after it. */
export interface Ref {
  text: string;
  name: string;
  path: PathSeg[];
}

const REF = /\$\{([^}]*)\}/g;
const WHOLE_REF = /^\$\{([^}]*)\}$/;

/** Every reference in a string. Throws on a malformed one. */
export function refsIn(s: string): Ref[] {
  const out: Ref[] = [];
  for (const m of s.matchAll(REF)) out.push(parseRef(m[0], m[1]!));
  return out;
}

function parseRef(text: string, inner: string): Ref {
  const body = inner.trim();
  const m = /^([A-Za-z_][A-Za-z0-9_]*)(.*)$/.exec(body);
  if (!m) throw new Error(`malformed reference ${text}: expected \${name} or \${name.path}`);
  const rest = m[2]!;
  if (rest && !rest.startsWith('.') && !rest.startsWith('['))
    throw new Error(`malformed reference ${text}: expected . or [ after '${m[1]}'`);
  const path = rest ? parsePath(rest.startsWith('.') ? rest.slice(1) : rest) : [];
  return { text, name: m[1]!, path };
}

/** Every reference anywhere in a YAML value (strings inside lists and mappings too). */
export function refsDeep(value: unknown): Ref[] {
  if (typeof value === 'string') return refsIn(value);
  if (Array.isArray(value)) return value.flatMap(refsDeep);
  if (isPlainObject(value)) return Object.values(value).flatMap(refsDeep);
  return [];
}

export class RefError extends Error {}

/** The value a reference points at; throws RefError saying what is missing. */
export function lookupRef(ref: Ref, vars: Vars): unknown {
  if (!Object.hasOwn(vars, ref.name)) throw new RefError(`${ref.text}: no value named '${ref.name}' yet (did its step fail?)`);
  let cur: unknown = vars[ref.name];
  const walked: string[] = [ref.name];
  for (const seg of ref.path) {
    if (seg === '*') {
      cur = getPath(cur, ['*']);
      walked.push('*');
      continue;
    }
    const next = cur !== null && typeof cur === 'object' ? (cur as Record<string | number, unknown>)[seg] : undefined;
    if (next === undefined) {
      const members =
        cur !== null && typeof cur === 'object' && !(cur instanceof Uint8Array) ? Object.keys(cur).join(', ') : describeType(cur);
      throw new RefError(`${ref.text}: ${walked.join('.')} has no '${String(seg)}' (it has: ${members || 'nothing'})`);
    }
    cur = next;
    walked.push(String(seg));
  }
  return cur;
}

/** Replaces references. A string that is exactly one reference keeps the value's own type. */
export function interpolate(s: string, vars: Vars): unknown {
  const whole = WHOLE_REF.exec(s);
  if (whole) return lookupRef(parseRef(whole[0], whole[1]!), vars);
  if (!s.includes('${')) return s;
  return s.replace(REF, (t, inner: string) => asText(lookupRef(parseRef(t, inner), vars)));
}

/** Text for a value inside a sentence: bytes as base64, dates as ISO, the rest as JSON. */
export function asText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v instanceof Uint8Array) return toBase64(v);
  if (v instanceof Date) return v.toISOString();
  if (v === undefined) return '';
  if (typeof v === 'object' && v !== null) return JSON.stringify(v, jsonReplacer);
  return String(v);
}

// ---------------------------------------------------------------- byte forms

export type ByteForm = { text: string } | { base64: string } | { hex: string } | { bytes: number } | { tamper: unknown; at: number };

const BYTE_FORM_KEYS: Record<string, readonly string[]> = {
  text: ['text'],
  base64: ['base64'],
  hex: ['hex'],
  bytes: ['bytes'],
  tamper: ['at', 'tamper'],
};

/** Which byte form a mapping is, if any (by its exact key set). */
export function byteFormKind(v: unknown): keyof typeof BYTE_FORM_KEYS | undefined {
  if (!isPlainObject(v)) return undefined;
  const keys = Object.keys(v).sort();
  for (const [kind, want] of Object.entries(BYTE_FORM_KEYS)) {
    if (keys.length === want.length && keys.every((k, i) => k === want[i])) return kind as keyof typeof BYTE_FORM_KEYS;
  }
  return undefined;
}

/** Checks a byte form's own fields (loader time). Returns a problem or undefined. */
export function checkByteForm(v: Record<string, unknown>): string | undefined {
  switch (byteFormKind(v)) {
    case 'text':
      return typeof v.text === 'string' ? undefined : 'expected { text: "..." } to hold text';
    case 'base64':
      return typeof v.base64 === 'string' && /^[A-Za-z0-9+/]*={0,2}$/.test(v.base64) && v.base64.length % 4 === 0
        ? undefined
        : 'expected { base64: "..." } to hold standard padded base64';
    case 'hex':
      return typeof v.hex === 'string' && /^([0-9a-fA-F]{2})*$/.test(v.hex)
        ? undefined
        : 'expected { hex: "..." } to hold an even number of hex digits';
    case 'bytes':
      return Number.isInteger(v.bytes) && (v.bytes as number) >= 0 && (v.bytes as number) <= 1_000_000
        ? undefined
        : 'expected { bytes: N } with N a whole number from 0 to 1000000';
    case 'tamper':
      return Number.isInteger(v.at)
        ? undefined
        : 'expected { tamper: <bytes>, at: N } with N a whole number (negative counts from the end)';
    default:
      return undefined;
  }
}

/** A repeatable filler: a-z over and over, so large inputs are readable in the UI. */
export function fillerBytes(n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = 0x61 + (i % 26);
  return out;
}

function byteFormValue(v: Record<string, unknown>, vars: Vars): Uint8Array {
  switch (byteFormKind(v)) {
    case 'text':
      return new TextEncoder().encode(String(interpolate(v.text as string, vars)));
    case 'base64':
      return fromBase64(v.base64 as string);
    case 'hex':
      return fromHex(v.hex as string);
    case 'bytes':
      return fillerBytes(v.bytes as number);
    case 'tamper': {
      const src = resolveValue(v.tamper, vars);
      if (!(src instanceof Uint8Array)) throw new RefError(`tamper needs bytes, got ${describeType(src)}`);
      const at = v.at as number;
      const i = at < 0 ? src.length + at : at;
      if (i < 0 || i >= src.length) throw new RefError(`tamper at ${at} is outside the ${src.length} bytes`);
      const copy = src.slice();
      copy[i] = copy[i]! ^ 0xff;
      return copy;
    }
    default:
      throw new Error('not a byte form');
  }
}

/**
 * Turns a YAML value into what the engine gets: references replaced, byte forms turned into
 * Uint8Array. Inside an encryption context nothing is a byte form (it is a string map).
 */
export function resolveValue(value: unknown, vars: Vars, inContext = false): unknown {
  if (typeof value === 'string') return interpolate(value, vars);
  if (Array.isArray(value)) return value.map((x) => resolveValue(x, vars, inContext));
  if (isPlainObject(value)) {
    if (!inContext && byteFormKind(value)) return byteFormValue(value, vars);
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(value)) out[k] = resolveValue(x, vars, CONTEXT_FIELDS.has(k));
    return out;
  }
  return value;
}

// ---------------------------------------------------------------- matchers

export const MATCHER_KEYS = ['equals', 'not', 'present', 'length', 'contains', 'matches', 'startsWith', 'oneOf', 'min', 'max'] as const;

export function isMatcher(v: unknown): v is Record<string, unknown> {
  if (!isPlainObject(v)) return false;
  const keys = Object.keys(v);
  return keys.length > 0 && keys.every((k) => (MATCHER_KEYS as readonly string[]).includes(k));
}

/**
 * Compares an actual value with an expected YAML value (references allowed). Returns
 * undefined when it matches, or what did not match.
 *  - scalars: equal (a Date also matches its ISO text or a prefix of it, e.g. 2026-01-12);
 *  - byte forms: the same bytes;
 *  - lists: same length, each item matches;
 *  - matchers: { equals, not, present, length, contains, matches, startsWith, oneOf, min, max };
 *  - other mappings: every listed member matches (members not listed are ignored).
 */
export function match(actual: unknown, expected: unknown, vars: Vars): string | undefined {
  if (typeof expected === 'string' && expected.includes('${')) return matchResolved(actual, interpolate(expected, vars));
  if (byteFormKind(expected)) return matchResolved(actual, resolveValue(expected, vars));
  if (isMatcher(expected)) return matchWith(actual, expected, vars);
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return `expected a list ${show(expected)}, got ${show(actual)}`;
    if (actual.length !== expected.length)
      return `expected ${expected.length} items ${show(expected)}, got ${actual.length}: ${show(actual)}`;
    for (let i = 0; i < expected.length; i++) {
      const p = match(actual[i], expected[i], vars);
      if (p) return `item ${i}: ${p}`;
    }
    return undefined;
  }
  if (isPlainObject(expected)) {
    if (actual === null || typeof actual !== 'object') return `expected a mapping like ${show(expected)}, got ${show(actual)}`;
    for (const [k, e] of Object.entries(expected)) {
      const p = match((actual as Record<string, unknown>)[k], e, vars);
      if (p) return `${k}: ${p}`;
    }
    return undefined;
  }
  return matchResolved(actual, expected);
}

function matchResolved(actual: unknown, expected: unknown): string | undefined {
  return sameValue(actual, expected) ? undefined : `expected ${show(expected)}, got ${show(actual)}`;
}

export function sameValue(a: unknown, e: unknown): boolean {
  if (a instanceof Uint8Array || e instanceof Uint8Array) {
    return a instanceof Uint8Array && e instanceof Uint8Array && a.length === e.length && a.every((x, i) => x === e[i]);
  }
  if (a instanceof Date) {
    if (e instanceof Date) return a.getTime() === e.getTime();
    if (typeof e === 'string') return e.length > 0 && a.toISOString().startsWith(e.replace(/\.000Z$/, ''));
    return false;
  }
  if (Array.isArray(a) && Array.isArray(e)) return a.length === e.length && a.every((x, i) => sameValue(x, e[i]));
  if (isPlainObject(a) && isPlainObject(e)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(e).length && ka.every((k) => sameValue(a[k], e[k]));
  }
  if (e === null) return a === null || a === undefined;
  return a === e;
}

function matchWith(actual: unknown, m: Record<string, unknown>, vars: Vars): string | undefined {
  for (const [k, e] of Object.entries(m)) {
    const p = matchOne(actual, k as (typeof MATCHER_KEYS)[number], e, vars);
    if (p) return p;
  }
  return undefined;
}

function matchOne(actual: unknown, kind: (typeof MATCHER_KEYS)[number], e: unknown, vars: Vars): string | undefined {
  switch (kind) {
    case 'equals':
      return matchResolved(actual, resolveValue(e, vars));
    case 'not':
      return match(actual, e, vars) === undefined ? `expected anything but ${show(resolveValue(e, vars))}, got exactly that` : undefined;
    case 'present':
      return (actual !== undefined) === Boolean(e)
        ? undefined
        : e
          ? 'expected a value, got none'
          : `expected no value, got ${show(actual)}`;
    case 'length': {
      const len = lengthOf(actual);
      if (len === undefined) return `expected something with a length, got ${show(actual)}`;
      const p = match(len, e, vars);
      return p ? `length: ${p}` : undefined;
    }
    case 'contains': {
      if (typeof actual === 'string') {
        const want = String(resolveValue(e, vars));
        return actual.includes(want) ? undefined : `expected text containing ${show(want)}, got ${show(actual)}`;
      }
      if (Array.isArray(actual))
        return actual.some((x) => match(x, e, vars) === undefined)
          ? undefined
          : `expected a list containing ${show(e)}, got ${show(actual)}`;
      return `expected text or a list to search, got ${show(actual)}`;
    }
    case 'matches':
      return typeof actual === 'string' && new RegExp(String(e)).test(actual)
        ? undefined
        : `expected text matching /${String(e)}/, got ${show(actual)}`;
    case 'startsWith': {
      const want = String(resolveValue(e, vars));
      return typeof actual === 'string' && actual.startsWith(want)
        ? undefined
        : `expected text starting with ${show(want)}, got ${show(actual)}`;
    }
    case 'oneOf':
      return Array.isArray(e) && e.some((x) => match(actual, x, vars) === undefined)
        ? undefined
        : `expected one of ${show(e)}, got ${show(actual)}`;
    case 'min':
      return toNumber(actual) !== undefined && toNumber(actual)! >= toNumber(resolveValue(e, vars))!
        ? undefined
        : `expected at least ${show(e)}, got ${show(actual)}`;
    case 'max':
      return toNumber(actual) !== undefined && toNumber(actual)! <= toNumber(resolveValue(e, vars))!
        ? undefined
        : `expected at most ${show(e)}, got ${show(actual)}`;
  }
}

function lengthOf(v: unknown): number | undefined {
  if (typeof v === 'string' || Array.isArray(v) || v instanceof Uint8Array) return v.length;
  return undefined;
}

function toNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (v instanceof Date) return v.getTime();
  if (typeof v === 'string' && !Number.isNaN(Date.parse(v))) return Date.parse(v);
  return undefined;
}

// ---------------------------------------------------------------- display

/** A short, one-line picture of a value for messages and the page. */
export function show(v: unknown, max = 160): string {
  let s: string;
  if (v === undefined) s = 'nothing';
  else if (v instanceof Uint8Array) s = `<${v.length} bytes>`;
  else if (v instanceof Date) s = v.toISOString();
  else if (typeof v === 'string') s = JSON.stringify(v);
  else s = JSON.stringify(v, jsonReplacer) ?? String(v);
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

function jsonReplacer(this: unknown, key: string, value: unknown): unknown {
  const raw = key === '' ? value : (this as Record<string, unknown>)[key];
  if (raw instanceof Uint8Array) return `<${raw.length} bytes>`;
  if (raw instanceof Date) return raw.toISOString();
  return value;
}

export function describeType(v: unknown): string {
  if (v === null) return 'null';
  if (v instanceof Uint8Array) return `${v.length} bytes`;
  if (v instanceof Date) return 'a date';
  if (Array.isArray(v)) return 'a list';
  return typeof v === 'object' ? 'a mapping' : `a ${typeof v}`;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Uint8Array) && !(v instanceof Date);
}
