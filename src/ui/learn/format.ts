/** Text helpers for the scenario player: markdown-lite narration and value summaries. No DOM. */
import { show } from '../../scenario-runner';

export type Inline = { kind: 'text' | 'code' | 'strong' | 'em'; text: string };
export type Block = { kind: 'p'; parts: Inline[] } | { kind: 'ul'; items: Inline[][] };

const INLINE = /`([^`]+)`|\*\*([^*]+)\*\*|(?<![*\w])\*([^*\s][^*]*)\*(?![*\w])/g;

function inline(s: string): Inline[] {
  const out: Inline[] = [];
  let last = 0;
  for (const m of s.matchAll(INLINE)) {
    if (m.index > last) out.push({ kind: 'text', text: s.slice(last, m.index) });
    if (m[1] !== undefined) out.push({ kind: 'code', text: m[1] });
    else if (m[2] !== undefined) out.push({ kind: 'strong', text: m[2] });
    else out.push({ kind: 'em', text: m[3]! });
    last = m.index + m[0].length;
  }
  if (last < s.length) out.push({ kind: 'text', text: s.slice(last) });
  return out;
}

/**
 * Markdown-lite, parsed into blocks the component renders as elements (never as HTML, so
 * scenario text cannot inject markup): a blank line starts a paragraph, lines starting with
 * "- " make a list, and inline **bold**, *italic* and `code`.
 */
export function markdownLite(text: string): Block[] {
  return text
    .trim()
    .split(/\n\s*\n/)
    .map((block): Block => {
      const lines = block.split('\n').map((l) => l.trim());
      if (lines.every((l) => l.startsWith('- '))) return { kind: 'ul', items: lines.map((l) => inline(l.slice(2))) };
      return { kind: 'p', parts: inline(lines.join(' ')) };
    });
}

/** Rows of `path → value` for an output or input, two levels deep, bytes as sizes. */
export function rows(value: unknown, max = 14): { path: string; text: string }[] {
  const out: { path: string; text: string }[] = [];
  const walk = (v: unknown, path: string, depth: number) => {
    if (out.length >= max) return;
    const plain = v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Uint8Array) && !(v instanceof Date);
    if (plain && depth < 2 && Object.keys(v).length) {
      for (const [k, x] of Object.entries(v)) walk(x, path ? `${path}.${k}` : k, depth + 1);
    } else {
      out.push({ path: path || '(value)', text: show(v, 140) });
    }
  };
  walk(value, '', 0);
  return out;
}

/** The role or user name at the end of a principal ARN ("Admin"). */
export function principalName(arn: string): string {
  return arn.endsWith(':root') ? `root of ${arn.split(':')[4]}` : (arn.split('/').pop() ?? arn);
}
