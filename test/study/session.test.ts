import { describe, expect, it } from 'vitest';
import { buildSession, DAY_MS, newCardsPerDay, progressByTopic, rate, Rating, type CardSchedule } from '../../src/study';

const now = new Date('2026-03-01T09:00:00Z');
const cards = Array.from({ length: 40 }, (_, i) => ({ id: `c${i}`, topics: [i % 2 ? 'kms-rotation' : 'sqs'] }));

describe('study sessions', () => {
  it('shows due reviews first (most overdue first), then new cards up to the allowance', () => {
    const schedules: Record<string, CardSchedule> = {};
    schedules.c3 = rate(undefined, 'c3', Rating.Good, new Date(now.getTime() - 20 * DAY_MS)).schedule;
    schedules.c5 = rate(undefined, 'c5', Rating.Good, new Date(now.getTime() - 5 * DAY_MS)).schedule;
    schedules.c7 = rate(undefined, 'c7', Rating.Easy, now).schedule; // not due
    const s = buildSession(cards, schedules, { now, newPerDay: 5 });
    expect(s.reviews).toEqual(['c3', 'c5']);
    expect(s.fresh).toEqual(['c0', 'c1', 'c2', 'c4', 'c6']);
    expect(s.queue).toEqual([...s.reviews, ...s.fresh]);
  });

  it('a topic session keeps to its topic, and new cards already seen today count', () => {
    const s = buildSession(cards, {}, { now, newPerDay: 5, topic: 'sqs', newToday: 2 });
    expect(s.fresh).toHaveLength(3);
    expect(s.fresh.every((id) => Number(id.slice(1)) % 2 === 0)).toBe(true);
  });

  it('paces new cards so all are introduced before the exam', () => {
    expect(newCardsPerDay(240, { now, newPerDay: 10 })).toBe(10);
    const exam = new Date('2026-03-13T00:00:00Z'); // 12 days: 9 learning days
    expect(newCardsPerDay(240, { now, newPerDay: 10, examDate: exam })).toBe(Math.ceil(240 / 9));
    expect(newCardsPerDay(3, { now, newPerDay: 10, examDate: exam })).toBe(3);
  });

  it('reports progress per topic', () => {
    const schedules: Record<string, CardSchedule> = { c1: rate(undefined, 'c1', Rating.Good, now).schedule };
    const p = progressByTopic(cards, schedules, ['kms-rotation', 'sqs'], now);
    expect(p[0]).toMatchObject({ topic: 'kms-rotation', total: 20, seen: 1, mature: 0 });
    expect(p[0]!.recall).toBeGreaterThan(0);
    expect(p[1]).toMatchObject({ topic: 'sqs', total: 20, seen: 0, recall: 0 });
  });
});
