import { describe, expect, it } from 'vitest';
import { DAY_MS, daysUntil, isDue, rate, Rating, recallAt, State, targetRetention, type CardSchedule } from '../../src/study';

const t0 = new Date('2026-03-01T09:00:00Z');
const at = (days: number) => new Date(t0.getTime() + days * DAY_MS);

/** Reviews a card with one rating every time it falls due, until `until`. */
function drill(rating: Rating.Again | Rating.Hard | Rating.Good | Rating.Easy, until: Date, examDate?: Date) {
  let s: CardSchedule | undefined;
  let now = t0;
  const dues: Date[] = [];
  while (now < until) {
    const r = rate(s, 'c', rating, now, examDate);
    s = r.schedule;
    now = new Date(s.due);
    dues.push(now);
  }
  return { schedule: s!, dues };
}

describe('FSRS scheduling', () => {
  it('a new card rated good moves out of New and is due later', () => {
    const { schedule, review } = rate(undefined, 'c1', Rating.Good, t0);
    expect(schedule.state).not.toBe(State.New);
    expect(new Date(schedule.due).getTime()).toBeGreaterThan(t0.getTime());
    expect(review).toMatchObject({ card: 'c1', rating: Rating.Good, at: t0.toISOString() });
  });

  it('orders intervals: again < hard < good < easy, and good intervals grow', () => {
    const first = rate(undefined, 'c', Rating.Good, t0).schedule;
    const later = at(3);
    const due = (r: Rating.Again | Rating.Hard | Rating.Good | Rating.Easy) => new Date(rate(first, 'c', r, later).schedule.due).getTime();
    expect(due(Rating.Again)).toBeLessThan(due(Rating.Hard));
    expect(due(Rating.Hard)).toBeLessThan(due(Rating.Good));
    expect(due(Rating.Good)).toBeLessThan(due(Rating.Easy));
    const { dues } = drill(Rating.Good, at(200));
    const gaps = dues.slice(1).map((d, i) => d.getTime() - dues[i]!.getTime());
    expect(gaps.at(-1)!).toBeGreaterThan(gaps[1]!);
  });

  it('again after a review counts a lapse', () => {
    let s = rate(undefined, 'c', Rating.Good, t0).schedule;
    s = rate(s, 'c', Rating.Good, new Date(s.due)).schedule;
    s = rate(s, 'c', Rating.Good, new Date(s.due)).schedule;
    const lapsed = rate(s, 'c', Rating.Again, new Date(s.due)).schedule;
    expect(lapsed.lapses).toBe(s.lapses + 1);
  });

  it('isDue and recallAt follow the schedule', () => {
    const s = rate(undefined, 'c', Rating.Good, t0).schedule;
    expect(isDue(s, t0)).toBe(false);
    expect(isDue(s, new Date(s.due))).toBe(true);
    expect(recallAt(undefined, t0)).toBe(0);
    expect(recallAt(s, new Date(s.due))).toBeGreaterThan(recallAt(s, at(365)));
  });
});

describe('exam-date targeting', () => {
  const exam = new Date('2026-04-15T00:00:00Z');

  it('asks for more retention as the exam comes closer', () => {
    expect(targetRetention(undefined, t0)).toBe(0.9);
    expect(targetRetention(exam, new Date('2026-01-01T00:00:00Z'))).toBe(0.9);
    const far = targetRetention(exam, t0);
    const near = targetRetention(exam, new Date('2026-04-10T00:00:00Z'));
    expect(near).toBeGreaterThan(far);
    expect(targetRetention(exam, exam)).toBe(0.95);
    expect(targetRetention(exam, new Date('2026-05-01T00:00:00Z'))).toBe(0.9);
    expect(daysUntil(exam, t0)).toBe(45);
  });

  it('never schedules a review on or after the exam day while there is time before it', () => {
    // Easy every time: without an exam, intervals would soon jump past 45 days.
    const free = drill(Rating.Easy, at(44));
    expect(free.dues.some((d) => d >= exam)).toBe(true);
    let s: CardSchedule | undefined;
    let now = t0;
    for (let i = 0; i < 12 && now < new Date(exam.getTime() - 2 * DAY_MS); i++) {
      s = rate(s, 'c', Rating.Easy, now, exam).schedule;
      expect(new Date(s.due).getTime()).toBeLessThan(exam.getTime());
      now = new Date(s.due);
    }
  });

  it('the last review lands the day before the exam', () => {
    let s = rate(undefined, 'c', Rating.Easy, t0, exam).schedule;
    s = rate(s, 'c', Rating.Easy, at(10), exam).schedule;
    expect(s.due.slice(0, 10)).toBe('2026-04-14');
  });
});
