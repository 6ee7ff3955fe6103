/**
 * Spaced repetition with FSRS (ts-fsrs), aimed at an exam date. Pure: no DOM, no clock of its
 * own (every function takes `now`).
 *
 * Exam-date targeting: the closer the exam, the higher the retention FSRS is asked for
 * (0.90 two months out or more, rising to 0.95 on the day), no interval may reach past the
 * exam, and a review that would fall on or after the exam day is pulled back to the day
 * before it, so every card is seen once more before the exam.
 */
import { createEmptyCard, fsrs, generatorParameters, Rating, State, type Card as FsrsCard, type Grade } from 'ts-fsrs';

export { Rating, State };
export type { Grade };

export const DAY_MS = 86_400_000;
export const BASE_RETENTION = 0.9;
export const EXAM_DAY_RETENTION = 0.95;
/** Days before the exam from which the requested retention starts to rise. */
export const RAMP_DAYS = 60;

/** A card's schedule as saved (JSON-safe: dates as ISO text). */
export interface CardSchedule {
  due: string;
  stability: number;
  difficulty: number;
  scheduled_days: number;
  learning_steps: number;
  reps: number;
  lapses: number;
  state: State;
  last_review?: string;
}

export interface ReviewRecord {
  card: string;
  rating: Grade;
  at: string;
  /** Days until the next review, as scheduled. */
  interval: number;
}

export function toSchedule(c: FsrsCard): CardSchedule {
  const s: CardSchedule = {
    due: c.due.toISOString(),
    stability: c.stability,
    difficulty: c.difficulty,
    scheduled_days: c.scheduled_days,
    learning_steps: c.learning_steps,
    reps: c.reps,
    lapses: c.lapses,
    state: c.state,
  };
  if (c.last_review) s.last_review = c.last_review.toISOString();
  return s;
}

export function fromSchedule(s: CardSchedule): FsrsCard {
  const c: FsrsCard = {
    due: new Date(s.due),
    stability: s.stability,
    difficulty: s.difficulty,
    elapsed_days: 0,
    scheduled_days: s.scheduled_days,
    learning_steps: s.learning_steps,
    reps: s.reps,
    lapses: s.lapses,
    state: s.state,
  };
  if (s.last_review) c.last_review = new Date(s.last_review);
  return c;
}

export function newSchedule(now: Date): CardSchedule {
  return toSchedule(createEmptyCard(now));
}

/** Whole days from `now` to the exam (0 on exam day; negative after it), or undefined without an exam. */
export function daysUntil(examDate: Date | undefined, now: Date): number | undefined {
  if (!examDate) return undefined;
  const startOfDay = (d: Date) => Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  return Math.round((startOfDay(examDate) - startOfDay(now)) / DAY_MS);
}

/** The retention FSRS is asked for: higher as the exam comes closer. */
export function targetRetention(examDate: Date | undefined, now: Date): number {
  const days = daysUntil(examDate, now);
  if (days === undefined || days < 0) return BASE_RETENTION;
  const closeness = 1 - Math.min(days, RAMP_DAYS) / RAMP_DAYS;
  return Math.round((BASE_RETENTION + (EXAM_DAY_RETENTION - BASE_RETENTION) * closeness) * 1000) / 1000;
}

function schedulerFor(examDate: Date | undefined, now: Date) {
  const days = daysUntil(examDate, now);
  const params = generatorParameters({
    request_retention: targetRetention(examDate, now),
    // Without an exam, FSRS's own ceiling; with one, nothing reaches past it.
    maximum_interval: days === undefined || days <= 1 ? 36500 : days,
    enable_fuzz: false,
  });
  return fsrs(params);
}

/** Rates a card and returns its next schedule and the review record. */
export function rate(
  schedule: CardSchedule | undefined,
  cardId: string,
  rating: Grade,
  now: Date,
  examDate?: Date,
): { schedule: CardSchedule; review: ReviewRecord } {
  const f = schedulerFor(examDate, now);
  const before = schedule ? fromSchedule(schedule) : createEmptyCard(now);
  const { card } = f.next(before, now, rating);
  const days = daysUntil(examDate, now);
  if (examDate && days !== undefined && days >= 2) {
    // The last review before the exam: never on or after exam day.
    const lastChance = new Date(Date.UTC(examDate.getUTCFullYear(), examDate.getUTCMonth(), examDate.getUTCDate()) - DAY_MS);
    if (card.due.getTime() >= lastChance.getTime() + DAY_MS) {
      card.due = lastChance.getTime() > now.getTime() ? lastChance : card.due;
      card.scheduled_days = Math.max(0, Math.round((card.due.getTime() - now.getTime()) / DAY_MS));
    }
  }
  const next = toSchedule(card);
  return {
    schedule: next,
    review: {
      card: cardId,
      rating,
      at: now.toISOString(),
      interval: Math.round(((card.due.getTime() - now.getTime()) / DAY_MS) * 100) / 100,
    },
  };
}

/** The probability FSRS predicts of recalling a card at `at` (0 for a card never studied). */
export function recallAt(schedule: CardSchedule | undefined, at: Date): number {
  if (!schedule || schedule.state === State.New) return 0;
  const f = fsrs(generatorParameters({ enable_fuzz: false }));
  return f.get_retrievability(fromSchedule(schedule), at, false);
}

/** Is the card due for review at `now`? (New cards are not "due"; sessions add them separately.) */
export function isDue(schedule: CardSchedule | undefined, now: Date): boolean {
  return !!schedule && schedule.state !== State.New && new Date(schedule.due).getTime() <= now.getTime();
}
