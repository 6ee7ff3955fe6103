import { describe, expect, it } from 'vitest';
import { anatomyLayout, hexPreview, locateByte } from '../../src/viz/anatomy-layout';

const fields = [
  { name: 'Format version', start: 0, end: 1, explain: '' },
  { name: 'Key id', start: 1, end: 17, explain: '' },
  { name: 'Ciphertext', start: 17, end: 1017, explain: '' },
  { name: 'Tag', start: 1017, end: 1033, explain: '' },
];

describe('anatomyLayout', () => {
  it('fills the width exactly, in order, without overlap', () => {
    const segs = anatomyLayout(fields, 800, 60);
    expect(segs).toHaveLength(4);
    let x = 0;
    for (const s of segs) {
      expect(s.x).toBeCloseTo(x, 6);
      x += s.w;
    }
    expect(x).toBeCloseTo(800, 6);
  });
  it('gives tiny fields the minimum width and big ones the rest', () => {
    const segs = anatomyLayout(fields, 800, 60);
    expect(segs[0]!.w).toBe(60);
    expect(segs[1]!.w).toBe(60);
    expect(segs[3]!.w).toBe(60);
    expect(segs[2]!.w).toBeCloseTo(620, 6);
    expect(segs.map((s) => s.bytes)).toEqual([1, 16, 1000, 16]);
  });
  it('copes with a width too small for the minimum, and with empty fields', () => {
    const segs = anatomyLayout(fields, 100, 60);
    expect(segs.reduce((a, s) => a + s.w, 0)).toBeCloseTo(100, 6);
    expect(anatomyLayout([], 100)).toEqual([]);
    const empty = anatomyLayout([{ name: 'Ciphertext', start: 5, end: 5, explain: '' }], 100);
    expect(empty[0]!.w).toBe(100);
  });
  it('locates a byte inside its segment', () => {
    const segs = anatomyLayout(fields, 800, 60);
    const loc = locateByte(segs, 517)!;
    expect(loc.segment.name).toBe('Ciphertext');
    expect(loc.at).toBeCloseTo(0.5005, 3);
    expect(locateByte(segs, 5000)).toBeNull();
  });
  it('previews bytes as hex', () => {
    const b = Uint8Array.from([0, 1, 0xab, 0xff, 9]);
    expect(hexPreview(b, 0, 5)).toBe('00 01 ab ff 09');
    expect(hexPreview(b, 0, 5, 2)).toBe('00 01 …');
  });
});
