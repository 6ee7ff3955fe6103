import { describe, expect, it } from 'vitest';
import { buildPracticeExam, scoreExam, type ExamSourceQuestion } from '../../src/study';

const topics = ['a', 'b', 'c', 'd'];
const pool: ExamSourceQuestion[] = Array.from({ length: 40 }, (_, i) => ({
  id: `q${i}`,
  topics: [topics[i % 4]!],
  exams: i % 2 ? ['SCS-C02'] : ['DVA-C02'],
  question: `Q${i}?`,
  options: ['w', 'x', 'y', 'z'].map((t) => ({ text: `${t}${i}`, explain: `because ${t}` })),
  answers: i === 0 ? [1, 3] : [0],
}));

describe('practice exams', () => {
  it('the same seed gives the same exam; another seed another', () => {
    const a = buildPracticeExam(pool, { seed: 7, count: 20, minutes: 30 });
    const b = buildPracticeExam(pool, { seed: 7, count: 20, minutes: 30 });
    const c = buildPracticeExam(pool, { seed: 8, count: 20, minutes: 30 });
    expect(a).toEqual(b);
    expect(a.questions.map((q) => q.id)).not.toEqual(c.questions.map((q) => q.id));
    expect(a.questions).toHaveLength(20);
    expect(a.minutes).toBe(30);
  });

  it('spreads questions over topics and shuffles options while keeping the right answers', () => {
    const e = buildPracticeExam(pool, { seed: 3, count: 8 });
    for (const t of topics) expect(e.questions.filter((q) => q.topics.includes(t))).toHaveLength(2);
    for (const q of e.questions) {
      const src = pool.find((p) => p.id === q.id)!;
      expect(q.answers.map((a) => q.options[a]!.text).sort()).toEqual(src.answers.map((a) => src.options[a]!.text).sort());
    }
    const positions = new Set(buildPracticeExam(pool, { seed: 3, count: 40 }).questions.map((q) => q.answers[0]));
    expect(positions.size).toBeGreaterThan(1);
  });

  it('drills one topic or one exam guide', () => {
    expect(buildPracticeExam(pool, { seed: 1, count: 50, topic: 'b' }).questions.every((q) => q.topics.includes('b'))).toBe(true);
    expect(buildPracticeExam(pool, { seed: 1, count: 50, exam: 'SCS-C02' }).questions).toHaveLength(20);
  });

  it('scores exactly-right answers only, by topic', () => {
    const e = buildPracticeExam(pool, { seed: 5, count: 40 });
    const chosen: Record<string, number[]> = {};
    for (const q of e.questions) chosen[q.id] = q.topics[0] === 'a' ? [...q.answers] : [(q.answers[0]! + 1) % 4];
    const multi = e.questions.find((q) => q.id === 'q0')!;
    expect(multi.multiple).toBe(true);
    chosen.q0 = [multi.answers[0]!]; // half of a multiple answer is wrong
    const s = scoreExam(e, chosen);
    expect(s.total).toBe(40);
    expect(s.correct).toBe(9);
    expect(s.byTopic.find((t) => t.topic === 'a')).toEqual({ topic: 'a', correct: 9, total: 10 });
    expect(s.byTopic.find((t) => t.topic === 'b')).toEqual({ topic: 'b', correct: 0, total: 10 });
    expect(s.percent).toBe(23);
    expect(scoreExam(e, {}).correct).toBe(0);
  });
});
