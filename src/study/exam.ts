/**
 * Practice exams: a seeded pick of questions spread over topics, with options shuffled (the
 * same seed gives the same exam), and a score by topic with every option explained.
 */
import { seededRandom, shuffled } from './random';

export interface ExamOption {
  text: string;
  explain: string;
}

export interface ExamSourceQuestion {
  id: string;
  topics: readonly string[];
  exams: readonly string[];
  question: string;
  options: readonly ExamOption[];
  /** Right options, as indices into `options`. */
  answers: readonly number[];
}

export interface ExamQuestion {
  id: string;
  topics: readonly string[];
  question: string;
  /** Options in the order shown. */
  options: ExamOption[];
  /** For each shown option, its index in the source question. */
  order: number[];
  /** Right options, as indices into the shown order. */
  answers: number[];
  multiple: boolean;
}

export interface PracticeExam {
  seed: number;
  questions: ExamQuestion[];
  /** Time allowed in minutes; undefined for an untimed drill. */
  minutes?: number;
  topic?: string;
  exam?: string;
}

export interface ExamOptions {
  seed: number;
  count: number;
  minutes?: number;
  /** A drill on one topic. */
  topic?: string;
  /** Only questions serving this exam guide. */
  exam?: string;
}

export function buildPracticeExam(pool: readonly ExamSourceQuestion[], opts: ExamOptions): PracticeExam {
  const random = seededRandom(opts.seed);
  let candidates = pool.filter((q) => (!opts.topic || q.topics.includes(opts.topic)) && (!opts.exam || q.exams.includes(opts.exam)));
  // Spread over topics: deal round-robin from a shuffled list per first topic.
  const byTopic = new Map<string, ExamSourceQuestion[]>();
  for (const q of shuffled(candidates, random)) {
    const t = q.topics[0] ?? '';
    byTopic.set(t, [...(byTopic.get(t) ?? []), q]);
  }
  const lanes = shuffled([...byTopic.values()], random);
  const picked: ExamSourceQuestion[] = [];
  while (picked.length < opts.count && lanes.some((l) => l.length)) {
    for (const lane of lanes) {
      const q = lane.shift();
      if (q) picked.push(q);
      if (picked.length >= opts.count) break;
    }
  }
  candidates = shuffled(picked, random);
  const questions = candidates.map((q): ExamQuestion => {
    const order = shuffled(
      q.options.map((_, i) => i),
      random,
    );
    return {
      id: q.id,
      topics: q.topics,
      question: q.question,
      options: order.map((i) => q.options[i]!),
      order,
      answers: q.answers.map((a) => order.indexOf(a)).sort((a, b) => a - b),
      multiple: q.answers.length > 1,
    };
  });
  const exam: PracticeExam = { seed: opts.seed, questions };
  if (opts.minutes !== undefined) exam.minutes = opts.minutes;
  if (opts.topic !== undefined) exam.topic = opts.topic;
  if (opts.exam !== undefined) exam.exam = opts.exam;
  return exam;
}

export interface QuestionResult {
  id: string;
  correct: boolean;
  chosen: number[];
  answers: number[];
}

export interface TopicScore {
  topic: string;
  correct: number;
  total: number;
}

export interface ExamScore {
  correct: number;
  total: number;
  /** 0–100. */
  percent: number;
  byTopic: TopicScore[];
  results: QuestionResult[];
}

/** A question counts as right only when exactly the right options were chosen (as on the real exams). */
export function scoreExam(exam: PracticeExam, chosen: Readonly<Record<string, readonly number[]>>): ExamScore {
  const results = exam.questions.map((q): QuestionResult => {
    const mine = [...(chosen[q.id] ?? [])].sort((a, b) => a - b);
    const correct = mine.length === q.answers.length && mine.every((x, i) => x === q.answers[i]);
    return { id: q.id, correct, chosen: mine, answers: q.answers };
  });
  const topics = new Map<string, TopicScore>();
  exam.questions.forEach((q, i) => {
    for (const t of q.topics) {
      const s = topics.get(t) ?? { topic: t, correct: 0, total: 0 };
      s.total++;
      if (results[i]!.correct) s.correct++;
      topics.set(t, s);
    }
  });
  const correct = results.filter((r) => r.correct).length;
  const total = results.length;
  return {
    correct,
    total,
    percent: total ? Math.round((correct / total) * 100) : 0,
    byTopic: [...topics.values()].sort((a, b) => a.topic.localeCompare(b.topic)),
    results,
  };
}
