import { describe, expect, it } from 'vitest';
import { replayLayout } from '../../src/viz/replay-layout';

describe('replay strip layout', () => {
  it('a row per call, a mark per attempt, a bar for each backoff', () => {
    const l = replayLayout(
      [
        { call: 0, action: 'Decrypt', attempt: 1, atMs: 0, outcome: 'throttled', delayMs: 300 },
        { call: 0, action: 'Decrypt', attempt: 2, atMs: 300, outcome: 'accepted' },
        { call: 1, action: 'Decrypt', attempt: 1, atMs: 100, outcome: 'throttled' },
        { call: 1, action: 'Decrypt', attempt: 1, atMs: 100, outcome: 'gave-up', reason: 'no retry' },
      ],
      400,
    );
    expect(l.rows.map((r) => r.label)).toEqual(['#1', '#2']);
    expect(l.marks.map((m) => m.outcome)).toEqual(['throttled', 'accepted', 'throttled']);
    expect(l.waits).toHaveLength(1);
    expect(l.waits[0]!.x2).toBeCloseTo(l.marks[1]!.x, 6);
    expect(l.marks[2]!.y).toBeGreaterThan(l.marks[0]!.y);
  });
  it('an empty replay lays out without marks', () => {
    expect(replayLayout([], 300).marks).toEqual([]);
  });
});
