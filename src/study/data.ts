/**
 * Everything the study mode saves, in one versioned, JSON-safe value: the exam date, each
 * card's FSRS schedule, the review log and practice-exam results. Export writes it as a file;
 * import validates a file completely before anything is replaced, and refuses a foreign or
 * corrupt file with a reason (the caller's state is never touched on failure).
 */
import * as v from 'valibot';
import { State, type CardSchedule, type ReviewRecord } from './scheduler';

export const STUDY_FORMAT = 'kms-lab-study';
export const STUDY_VERSION = 1;

export interface ExamRecord {
  at: string;
  seed: number;
  correct: number;
  total: number;
  minutes?: number;
  topic?: string;
  byTopic: { topic: string; correct: number; total: number }[];
}

export interface StudyData {
  format: typeof STUDY_FORMAT;
  version: typeof STUDY_VERSION;
  /** The exam date (YYYY-MM-DD), if set. */
  examDate?: string;
  /** Which exam guide the student prepares for (e.g. SCS-C02), if chosen. */
  exam?: string;
  cards: Record<string, CardSchedule>;
  reviews: ReviewRecord[];
  exams: ExamRecord[];
}

export function emptyStudy(): StudyData {
  return { format: STUDY_FORMAT, version: STUDY_VERSION, cards: {}, reviews: [], exams: [] };
}

const isoDate = (what: string) =>
  v.pipe(
    v.string(`${what} must be text`),
    v.check((s) => !Number.isNaN(Date.parse(s)), `${what} must be a date`),
  );
const count = (what: string) =>
  v.pipe(v.number(`${what} must be a number`), v.integer(`${what} must be whole`), v.minValue(0, `${what} must be 0 or more`));
const finite = (what: string) => v.pipe(v.number(`${what} must be a number`), v.finite(`${what} must be finite`));

const ScheduleSchema = v.strictObject({
  due: isoDate('due'),
  stability: finite('stability'),
  difficulty: finite('difficulty'),
  scheduled_days: finite('scheduled_days'),
  learning_steps: count('learning_steps'),
  reps: count('reps'),
  lapses: count('lapses'),
  state: v.picklist([State.New, State.Learning, State.Review, State.Relearning], 'state must be 0, 1, 2 or 3'),
  last_review: v.optional(isoDate('last_review')),
});

const ReviewSchema = v.strictObject({
  card: v.string('card must be text'),
  rating: v.picklist([1, 2, 3, 4], 'rating must be 1 (again), 2 (hard), 3 (good) or 4 (easy)'),
  at: isoDate('at'),
  interval: finite('interval'),
});

const ExamSchema = v.strictObject({
  at: isoDate('at'),
  seed: count('seed'),
  correct: count('correct'),
  total: count('total'),
  minutes: v.optional(count('minutes')),
  topic: v.optional(v.string('topic must be text')),
  byTopic: v.array(v.strictObject({ topic: v.string(), correct: count('correct'), total: count('total') }), 'byTopic must be a list'),
});

const StudySchema = v.strictObject({
  format: v.literal(STUDY_FORMAT),
  version: v.literal(STUDY_VERSION),
  examDate: v.optional(v.pipe(v.string(), v.regex(/^\d{4}-\d{2}-\d{2}$/, 'examDate must be YYYY-MM-DD'))),
  exam: v.optional(v.string('exam must be text')),
  cards: v.record(v.string(), ScheduleSchema, 'cards must be a mapping of card ids to schedules'),
  reviews: v.array(ReviewSchema, 'reviews must be a list'),
  exams: v.array(ExamSchema, 'exams must be a list'),
});

export type ImportResult = { ok: true; data: StudyData; unknownCards: string[] } | { ok: false; reason: string };

export function exportStudy(data: StudyData): string {
  return JSON.stringify(data, null, 1);
}

/** Validates an exported file. `knownCards` (optional) reports ids no deck has any more (kept, not fatal). */
export function importStudy(text: string, knownCards?: ReadonlySet<string>): ImportResult {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { ok: false, reason: `not a kms-lab study file: the file is not valid JSON (${(e as Error).message})` };
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    return { ok: false, reason: 'not a kms-lab study file: expected a JSON object' };
  const r = raw as Record<string, unknown>;
  if (r.format !== STUDY_FORMAT)
    return {
      ok: false,
      reason: `not a kms-lab study file: "format" is ${JSON.stringify(r.format) ?? 'missing'}, expected "${STUDY_FORMAT}"`,
    };
  if (typeof r.version !== 'number') return { ok: false, reason: 'the file has no version number' };
  if (r.version > STUDY_VERSION)
    return { ok: false, reason: `the file was written by a newer kms-lab (format version ${r.version}; this one reads ${STUDY_VERSION})` };
  if (r.version !== STUDY_VERSION) return { ok: false, reason: `unsupported format version ${r.version}` };
  const parsed = v.safeParse(StudySchema, raw);
  if (!parsed.success) {
    const issue = parsed.issues[0]!;
    const where = (issue.path ?? []).map((p) => String((p as { key: unknown }).key)).join('.');
    return { ok: false, reason: `the file is damaged: ${where ? `${where}: ` : ''}${issue.message}` };
  }
  const data = parsed.output as StudyData;
  const unknownCards = knownCards ? Object.keys(data.cards).filter((id) => !knownCards.has(id)) : [];
  return { ok: true, data, unknownCards };
}
