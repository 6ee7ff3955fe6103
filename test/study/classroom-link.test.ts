import { describe, expect, it } from 'vitest';
import { classroomHash, parseHash } from '../../src/ui/classroom/link';

describe('classroom links', () => {
  it('round-trip scenario, step and seed', () => {
    const link = { scenario: 'key-lifecycle', step: 'schedule', seed: 1701 };
    expect(classroomHash(link)).toBe('#classroom?scenario=key-lifecycle&step=schedule&seed=1701');
    expect(parseHash(classroomHash(link))).toEqual({ kind: 'classroom', link });
    expect(parseHash('#classroom?scenario=envelope-encryption&step=3')).toEqual({
      kind: 'classroom',
      link: { scenario: 'envelope-encryption', step: '3' },
    });
  });

  it('recognises the notes window and ignores other hashes', () => {
    expect(parseHash('#notes')).toEqual({ kind: 'notes' });
    expect(parseHash('')).toEqual({ kind: 'none' });
    expect(parseHash('#action-bar')).toEqual({ kind: 'none' });
  });

  it('drops malformed parts instead of trusting them', () => {
    expect(parseHash('#classroom?scenario=../etc')).toEqual({ kind: 'classroom', link: null });
    expect(parseHash('#classroom?scenario=a&step=<b>&seed=-1')).toEqual({ kind: 'classroom', link: { scenario: 'a' } });
  });
});
