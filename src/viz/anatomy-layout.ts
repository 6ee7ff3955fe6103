/**
 * Pure layout for the ciphertext anatomy bar: each labelled byte range gets a width
 * proportional to its length, with a minimum so that 1-byte fields stay readable.
 */
import type { AnatomyField } from '../engine/kms/ciphertext';

export type { AnatomyField };

export interface Segment extends AnatomyField {
  x: number;
  w: number;
  bytes: number;
  color: string;
}

/** Colour-blind-friendly palette (Okabe–Ito, plus two greys). */
export const ANATOMY_COLORS = ['#0072B2', '#56B4E9', '#009E73', '#CC79A7', '#E69F00', '#D55E00', '#6b6b6b', '#999999'];

export function anatomyLayout(fields: AnatomyField[], width: number, minWidth = 60): Segment[] {
  const n = fields.length;
  if (n === 0) return [];
  const min = Math.min(minWidth, width / n);
  const lens = fields.map((f) => Math.max(0, f.end - f.start));
  // Fix the fields that would be narrower than min at min; share the rest proportionally.
  const fixed = new Set<number>();
  for (let iter = 0; iter < n; iter++) {
    const free = width - fixed.size * min;
    const freeBytes = lens.reduce((a, l, i) => (fixed.has(i) ? a : a + l), 0);
    let changed = false;
    lens.forEach((l, i) => {
      if (fixed.has(i)) return;
      const w = freeBytes > 0 ? (l / freeBytes) * free : free / (n - fixed.size);
      if (w < min) {
        fixed.add(i);
        changed = true;
      }
    });
    if (!changed) break;
  }
  const free = width - fixed.size * min;
  const freeBytes = lens.reduce((a, l, i) => (fixed.has(i) ? a : a + l), 0);
  const freeCount = n - fixed.size;
  let x = 0;
  return fields.map((f, i) => {
    const w = fixed.has(i) ? min : freeBytes > 0 ? (lens[i]! / freeBytes) * free : freeCount ? free / freeCount : 0;
    const seg: Segment = { ...f, x, w, bytes: lens[i]!, color: ANATOMY_COLORS[i % ANATOMY_COLORS.length]! };
    x += w;
    return seg;
  });
}

/** The segment holding byte `offset`, and where in it (0..1) that byte sits. */
export function locateByte(segments: Segment[], offset: number): { segment: Segment; at: number } | null {
  for (const s of segments) {
    if (offset >= s.start && offset < s.end) return { segment: s, at: s.bytes ? (offset - s.start + 0.5) / s.bytes : 0.5 };
  }
  return null;
}

/** A short hex preview of a byte range ("01 9f 3a … (16 bytes)"). */
export function hexPreview(blob: Uint8Array, start: number, end: number, max = 12): string {
  const parts: string[] = [];
  for (let i = start; i < Math.min(end, start + max); i++) parts.push(blob[i]!.toString(16).padStart(2, '0'));
  return end - start > max ? `${parts.join(' ')} …` : parts.join(' ');
}
