import { describe, expect, it } from 'vitest';
import { emptyStudy, exportStudy, importStudy, rate, Rating, STUDY_FORMAT, type StudyData } from '../../src/study';

function sample(): StudyData {
  const d = emptyStudy();
  d.examDate = '2026-04-15';
  d.exam = 'SCS-C02';
  const now = new Date('2026-03-01T09:00:00Z');
  const r = rate(undefined, 'c-kms-what', Rating.Good, now, new Date('2026-04-15'));
  d.cards['c-kms-what'] = r.schedule;
  d.reviews.push(r.review);
  d.exams.push({
    at: now.toISOString(),
    seed: 42,
    correct: 15,
    total: 20,
    minutes: 30,
    byTopic: [{ topic: 'kms-rotation', correct: 3, total: 4 }],
  });
  return d;
}

describe('export and import', () => {
  it('round-trips everything', () => {
    const d = sample();
    const back = importStudy(exportStudy(d), new Set(['c-kms-what']));
    expect(back).toEqual({ ok: true, data: d, unknownCards: [] });
  });

  it('reports cards no deck knows any more, without refusing the file', () => {
    const back = importStudy(exportStudy(sample()), new Set());
    expect(back.ok && back.unknownCards).toEqual(['c-kms-what']);
  });

  const refused = (text: string) => {
    const r = importStudy(text);
    expect(r.ok).toBe(false);
    return r.ok ? '' : r.reason;
  };

  it('refuses a file that is not JSON', () => {
    expect(refused('{"format": "kms-lab-study", "version": 1, "cards": {')).toMatch(/not valid JSON/);
  });

  it('refuses a foreign file with the reason', () => {
    expect(refused(JSON.stringify({ deck: 'anki', cards: [] }))).toMatch(/"format" is missing, expected "kms-lab-study"/);
    expect(refused('[1,2,3]')).toMatch(/expected a JSON object/);
  });

  it('refuses a file from a newer version', () => {
    expect(refused(JSON.stringify({ ...sample(), version: 2 }))).toMatch(/newer kms-lab/);
  });

  it('refuses a corrupt file and says where', () => {
    const d = sample() as unknown as { cards: Record<string, { due: string; state: number }> };
    d.cards['c-kms-what']!.due = 'yesterday-ish';
    expect(refused(JSON.stringify(d))).toMatch(/damaged: cards\.c-kms-what\.due: due must be a date/);
    const e = sample() as unknown as { reviews: { rating: number }[] };
    e.reviews[0]!.rating = 9;
    expect(refused(JSON.stringify(e))).toMatch(/reviews\.0\.rating/);
    expect(refused(JSON.stringify({ format: STUDY_FORMAT, version: 1, cards: {}, reviews: [], exams: [], extra: 1 }))).toMatch(/damaged/);
  });

  it('a refused import changes nothing', () => {
    const state = sample();
    const before = structuredClone(state);
    const apply = (text: string) => {
      const r = importStudy(text);
      if (r.ok) Object.assign(state, r.data);
      return r.ok;
    };
    expect(apply('garbage')).toBe(false);
    expect(apply(JSON.stringify({ ...sample(), cards: { x: { due: 1 } } }))).toBe(false);
    expect(state).toEqual(before);
  });
});
