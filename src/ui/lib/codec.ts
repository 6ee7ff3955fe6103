/**
 * Turning what a user types into API input, and API values into text, without ever throwing:
 * blobs as {"$base64": "..."}, encryption contexts as key=value lines, pretty JSON with byte
 * lengths. Every parser returns { ok, value } or { ok: false, error } with a readable reason.
 */
import { fromBase64, toBase64 } from '../../engine/crypto';

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

const utf8 = new TextEncoder();
const utf8d = new TextDecoder('utf-8', { fatal: true });

export function textBytes(s: string): Uint8Array {
  return utf8.encode(s);
}

/** UTF-8 text when the bytes are valid UTF-8 and printable, else null. */
export function bytesText(b: Uint8Array): string | null {
  try {
    const s = utf8d.decode(b);
    // eslint-disable-next-line no-control-regex
    return /[\u0000-\u0008\u000e-\u001f]/.test(s) ? null : s;
  } catch {
    return null;
  }
}

export function b64(b: Uint8Array): string {
  return toBase64(b);
}

/** Lenient base64 for what people paste: whitespace and missing padding are forgiven; URL-safe too. */
export function parseBase64(s: string, field = 'value'): Parsed<Uint8Array> {
  let t = s.replace(/\s+/g, '').replace(/-/g, '+').replace(/_/g, '/');
  if (t.length % 4 === 1) return { ok: false, error: `${field} is not valid base64 (wrong length).` };
  while (t.length % 4) t += '=';
  try {
    return { ok: true, value: fromBase64(t) };
  } catch {
    // fromBase64 is strict about leftover bits; try to be helpful about the cause.
    if (/[^A-Za-z0-9+/=]/.test(t))
      return { ok: false, error: `${field} is not valid base64 (it has characters outside A–Z, a–z, 0–9, +, /, =).` };
    return { ok: false, error: `${field} is not valid base64.` };
  }
}

/** Encryption context from key=value lines (empty lines skipped; the first '=' splits). */
export function parseContext(text: string, field = 'Encryption context'): Parsed<Record<string, string> | undefined> {
  const out: Record<string, string> = {};
  let n = 0;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (!line.trim()) continue;
    const eq = line.indexOf('=');
    if (eq < 0) return { ok: false, error: `${field}, line ${i + 1}: expected key=value, got "${line.trim()}".` };
    const k = line.slice(0, eq).trim();
    const v = line.slice(eq + 1).trim();
    if (!k) return { ok: false, error: `${field}, line ${i + 1}: the key before '=' is empty.` };
    if (Object.hasOwn(out, k)) return { ok: false, error: `${field}, line ${i + 1}: the key "${k}" appears twice.` };
    out[k] = v;
    n++;
  }
  return { ok: true, value: n ? out : undefined };
}

export function formatContext(ctx: Record<string, string> | undefined | null): string {
  return ctx
    ? Object.entries(ctx)
        .map(([k, v]) => `${k}=${v}`)
        .join('\n')
    : '';
}

export function parseTags(text: string): Parsed<{ TagKey: string; TagValue: string }[]> {
  const r = parseContext(text, 'Tags');
  if (!r.ok) return r;
  return { ok: true, value: Object.entries(r.value ?? {}).map(([TagKey, TagValue]) => ({ TagKey, TagValue })) };
}

/** A value with Uint8Array → {"$base64"} and Date → {"$date"}, safe for JSON and IndexedDB. */
export function toTagged(v: unknown): unknown {
  if (v instanceof Uint8Array) return { $base64: toBase64(v) };
  if (v instanceof Date) return { $date: Number.isNaN(v.getTime()) ? null : v.toISOString() };
  if (Array.isArray(v)) return v.map(toTagged);
  if (v && typeof v === 'object') {
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) o[k] = toTagged(x);
    return o;
  }
  return v;
}

/** The inverse of toTagged; a bad $base64 value makes it fail with the field's path. */
export function fromTagged(v: unknown, path = 'input'): Parsed<unknown> {
  if (Array.isArray(v)) {
    const out: unknown[] = [];
    for (let i = 0; i < v.length; i++) {
      const r = fromTagged(v[i], `${path}[${i}]`);
      if (!r.ok) return r;
      out.push(r.value);
    }
    return { ok: true, value: out };
  }
  if (v && typeof v === 'object') {
    const keys = Object.keys(v);
    const o = v as Record<string, unknown>;
    if (keys.length === 1 && keys[0] === '$base64') {
      if (typeof o.$base64 !== 'string') return { ok: false, error: `${path}: "$base64" must be a string.` };
      const b = parseBase64(o.$base64, path);
      return b.ok ? b : { ok: false, error: b.error };
    }
    if (keys.length === 1 && keys[0] === '$date') {
      const d = new Date(String(o.$date));
      return Number.isNaN(d.getTime()) ? { ok: false, error: `${path}: "$date" is not a date.` } : { ok: true, value: d };
    }
    const out: Record<string, unknown> = {};
    for (const k of keys) {
      const r = fromTagged(o[k], `${path}.${k}`);
      if (!r.ok) return r;
      out[k] = r.value;
    }
    return { ok: true, value: out };
  }
  return { ok: true, value: v };
}

/** The raw JSON box: must be an object; blobs as {"$base64": "..."}. */
export function parseRawInput(text: string): Parsed<Record<string, unknown>> {
  if (!text.trim()) return { ok: true, value: {} };
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: `Not valid JSON: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (!v || typeof v !== 'object' || Array.isArray(v))
    return { ok: false, error: 'The input must be a JSON object, like {"KeyId": "alias/my-key"}.' };
  const r = fromTagged(v);
  if (!r.ok) return r;
  return { ok: true, value: r.value as Record<string, unknown> };
}

/** Input as editable JSON (blobs as {"$base64": ...}). */
export function inputToJson(input: unknown): string {
  return JSON.stringify(toTagged(input), null, 2);
}

/**
 * Pretty JSON for display: blobs become {"$base64": "..."} followed by a "// N bytes" note,
 * dates ISO strings.
 */
export function prettyJson(v: unknown): string {
  const lines: string[] = [];
  const walk = (x: unknown, indent: string, prefix: string, suffix: string) => {
    if (x instanceof Uint8Array) {
      lines.push(
        `${indent}${prefix}{ "$base64": ${JSON.stringify(toBase64(x))} }${suffix}  // ${x.length} byte${x.length === 1 ? '' : 's'}`,
      );
    } else if (x instanceof Date) {
      lines.push(`${indent}${prefix}${JSON.stringify(Number.isNaN(x.getTime()) ? 'Invalid Date' : x.toISOString())}${suffix}`);
    } else if (Array.isArray(x)) {
      if (!x.length) return void lines.push(`${indent}${prefix}[]${suffix}`);
      lines.push(`${indent}${prefix}[`);
      x.forEach((y, i) => walk(y, indent + '  ', '', i < x.length - 1 ? ',' : ''));
      lines.push(`${indent}]${suffix}`);
    } else if (x && typeof x === 'object') {
      const entries = Object.entries(x).filter(([, y]) => y !== undefined);
      if (!entries.length) return void lines.push(`${indent}${prefix}{}${suffix}`);
      lines.push(`${indent}${prefix}{`);
      entries.forEach(([k, y], i) => walk(y, indent + '  ', `${JSON.stringify(k)}: `, i < entries.length - 1 ? ',' : ''));
      lines.push(`${indent}}${suffix}`);
    } else {
      lines.push(`${indent}${prefix}${x === undefined ? 'null' : JSON.stringify(x)}${suffix}`);
    }
  };
  walk(v, '', '', '');
  return lines.join('\n');
}

export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message || e.name;
  return String(e);
}

export function formatBytes(n: number): string {
  return n === 1 ? '1 byte' : `${n.toLocaleString('en-US')} bytes`;
}
