import { describe, expect, it } from 'vitest';
import { chartLayout, compactNumber, sharedMax, timeLabel } from '../../src/viz/throttle-layout';

describe('throttle chart layout', () => {
  const box = { width: 400, height: 200, yMax: 20_000, seconds: 10, quotas: [{ label: 'symmetric 10k/s', perSecond: 10_000 }] };
  it('one path per series, a quota line halfway up a 20k axis', () => {
    const l = chartLayout([{ key: 'accepted', label: 'accepted', values: Float64Array.from({ length: 10 }, () => 10_000) }], box);
    expect(l.paths).toHaveLength(1);
    expect(l.paths[0]!.d.startsWith('M')).toBe(true);
    const top = l.margin.top;
    const bottom = l.height - l.margin.bottom;
    expect(l.quotas[0]!.y).toBeCloseTo((top + bottom) / 2, 6);
    // The accepted line sits on the quota line.
    expect(l.paths[0]!.d).toContain(`,${l.quotas[0]!.y}`);
  });
  it('different values give a different path (what the browser test watches)', () => {
    const a = chartLayout([{ key: 'x', label: 'x', values: [1, 2, 3] }], box).paths[0]!.d;
    const b = chartLayout([{ key: 'x', label: 'x', values: [1, 2, 4] }], box).paths[0]!.d;
    expect(a).not.toBe(b);
  });
  it('labels and shared maximum', () => {
    expect(compactNumber(12_500)).toBe('12.5k');
    expect(compactNumber(2_000_000)).toBe('2M');
    expect(timeLabel(120)).toBe('2m');
    expect(timeLabel(7200)).toBe('2h');
    expect(sharedMax([[[1, 5]], [[3]]], [4])).toBe(5);
  });
});
