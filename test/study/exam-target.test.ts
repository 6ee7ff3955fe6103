/**
 * Exam-date targeting, end to end: a student who studies every day with sessions built for an
 * exam date reaches the exam with higher predicted recall than one studying without a date,
 * and every card has been introduced and reviewed before the exam.
 */
import { describe, expect, it } from 'vitest';
import { buildSession, DAY_MS, rate, recallAt, seededRandom, type CardSchedule, type Grade } from '../../src/study';

const start = new Date('2026-03-01T09:00:00Z');
const exam = new Date('2026-04-10T00:00:00Z'); // 40 days later
const cards = Array.from({ length: 120 }, (_, i) => ({ id: `c${i}`, topics: ['t'] }));

function studyUntilExam(withDate: boolean) {
  const schedules: Record<string, CardSchedule> = {};
  const random = seededRandom(99);
  for (let day = 0; day < 39; day++) {
    const now = new Date(start.getTime() + day * DAY_MS);
    const session = buildSession(cards, schedules, { now, newPerDay: 5, ...(withDate ? { examDate: exam } : {}) });
    for (const id of session.queue) {
      const g: Grade = random() < 0.15 ? 1 : 3; // mostly good, sometimes forgotten
      schedules[id] = rate(schedules[id], id, g, now, withDate ? exam : undefined).schedule;
    }
  }
  const recall = cards.reduce((s, c) => s + recallAt(schedules[c.id], exam), 0) / cards.length;
  return { schedules, recall };
}

describe('studying toward an exam date', () => {
  it('introduces every card, keeps reviews before the exam and reaches good recall on the day', () => {
    const { schedules, recall } = studyUntilExam(true);
    expect(Object.keys(schedules)).toHaveLength(cards.length);
    for (const s of Object.values(schedules)) expect(new Date(s.due).getTime()).toBeLessThan(exam.getTime());
    expect(recall).toBeGreaterThan(0.85);
  });

  it('does better on the exam day than studying without a date', () => {
    expect(studyUntilExam(true).recall).toBeGreaterThan(studyUntilExam(false).recall);
  });
});
