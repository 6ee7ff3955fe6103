/**
 * Today's study session: cards due for review (most overdue first), then new cards. With an
 * exam date, new cards are paced so every card is introduced a few days before the exam.
 */
import { daysUntil, isDue, recallAt, State, type CardSchedule } from './scheduler';

export interface SessionCard {
  id: string;
  topics: readonly string[];
}

export interface SessionOptions {
  now: Date;
  examDate?: Date;
  /** New cards per day without an exam date (default 15). */
  newPerDay?: number;
  /** Cap on reviews in one session (default 200). */
  maxReviews?: number;
  /** Only cards of this topic. */
  topic?: string;
  /** New cards already introduced today (they count against the day's allowance). */
  newToday?: number;
}

export interface Session {
  reviews: string[];
  fresh: string[];
  /** All, in the order to show them. */
  queue: string[];
  /** New cards allowed today. */
  newAllowance: number;
}

/** Days kept free at the end for reviewing only. */
export const REVIEW_ONLY_DAYS = 3;

export function newCardsPerDay(unseen: number, opts: Pick<SessionOptions, 'now' | 'examDate' | 'newPerDay'>): number {
  const base = opts.newPerDay ?? 15;
  const days = daysUntil(opts.examDate, opts.now);
  if (days === undefined || days < 0) return Math.min(base, unseen);
  const learningDays = Math.max(1, days - REVIEW_ONLY_DAYS);
  return Math.min(unseen, Math.max(base, Math.ceil(unseen / learningDays)));
}

export function buildSession(
  cards: readonly SessionCard[],
  schedules: Readonly<Record<string, CardSchedule>>,
  opts: SessionOptions,
): Session {
  const pool = opts.topic ? cards.filter((c) => c.topics.includes(opts.topic!)) : cards;
  const reviews = pool
    .filter((c) => isDue(schedules[c.id], opts.now))
    .sort((a, b) => new Date(schedules[a.id]!.due).getTime() - new Date(schedules[b.id]!.due).getTime())
    .slice(0, opts.maxReviews ?? 200)
    .map((c) => c.id);
  const unseen = pool.filter((c) => !schedules[c.id] || schedules[c.id]!.state === State.New);
  const allowance = Math.max(0, newCardsPerDay(unseen.length, opts) - (opts.newToday ?? 0));
  const fresh = unseen.slice(0, allowance).map((c) => c.id);
  return { reviews, fresh, queue: [...reviews, ...fresh], newAllowance: allowance };
}

export interface TopicProgress {
  topic: string;
  total: number;
  seen: number;
  /** Cards whose memory is stable for 3 weeks or more. */
  mature: number;
  /** Mean predicted recall on the exam day (or today without one), 0–1, over all cards of the topic. */
  recall: number;
}

export function progressByTopic(
  cards: readonly SessionCard[],
  schedules: Readonly<Record<string, CardSchedule>>,
  topics: readonly string[],
  at: Date,
): TopicProgress[] {
  return topics.map((topic) => {
    const mine = cards.filter((c) => c.topics.includes(topic));
    const seen = mine.filter((c) => schedules[c.id] && schedules[c.id]!.state !== State.New);
    const recall = mine.length ? mine.reduce((sum, c) => sum + recallAt(schedules[c.id], at), 0) / mine.length : 0;
    return {
      topic,
      total: mine.length,
      seen: seen.length,
      mature: seen.filter((c) => schedules[c.id]!.stability >= 21).length,
      recall: Math.round(recall * 1000) / 1000,
    };
  });
}
