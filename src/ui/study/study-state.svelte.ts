/**
 * Study mode's state: the decks (loaded from scenarios/decks), the saved study data (FSRS
 * schedules, reviews, exam results) kept in IndexedDB, and the current session. Module-level
 * so it survives the component being re-created when modes switch.
 */
import { loadDeck, type Card, type Deck, type DeckQuestion } from '../../scenario-runner/deck-load';
import { ScenarioError } from '../../scenario-runner';
import { TOPICS, TOPIC_IDS } from '../../scenario-runner/deck-schema';
import {
  buildSession,
  emptyStudy,
  exportStudy,
  importStudy,
  progressByTopic,
  rate,
  type Grade,
  type StudyData,
  type TopicProgress,
} from '../../study';
import { idbGet, idbPut } from '../persist';

const SAVE_KEY = 'study';

const deckFiles = import.meta.glob<string>('/scenarios/decks/*.yaml', { query: '?raw', import: 'default', eager: true });

export function topicLabel(t: string): string {
  return (TOPICS as Record<string, string>)[t] ?? t;
}

function parseExamDate(s: string | undefined): Date | undefined {
  return s ? new Date(`${s}T00:00:00Z`) : undefined;
}

class StudyState {
  decks: Deck[] = [];
  deckErrors: string[] = [];
  cards: Card[] = [];
  questions: DeckQuestion[] = [];

  data = $state<StudyData>(emptyStudy());
  loaded = $state(false);
  saveStatus = $state('');
  /** Card ids of today's session, in order; the first is shown. */
  queue = $state<string[]>([]);
  revealed = $state(false);
  topicFilter = $state('');
  /** For tests and the classroom: a fixed "now" (virtual); undefined means the real time. */
  clock: (() => Date) | undefined;

  constructor() {
    for (const [path, text] of Object.entries(deckFiles).sort(([a], [b]) => a.localeCompare(b))) {
      const file = path.replace(/^\//, '');
      try {
        this.decks.push(loadDeck(text, file));
      } catch (e) {
        this.deckErrors.push(e instanceof ScenarioError ? e.message : `${file}: ${String(e)}`);
      }
    }
    this.cards = this.decks.flatMap((d) => d.cards);
    this.questions = this.decks.flatMap((d) => d.questions);
  }

  now(): Date {
    return this.clock ? this.clock() : new Date();
  }

  get examDate(): Date | undefined {
    return parseExamDate(this.data.examDate);
  }

  card(id: string): Card | undefined {
    return this.cards.find((c) => c.id === id);
  }

  async load(): Promise<void> {
    if (this.loaded) return;
    const saved = await idbGet<string>(SAVE_KEY);
    if (saved.ok && typeof saved.value === 'string') {
      const r = importStudy(saved.value);
      if (r.ok) this.data = r.data;
      else this.saveStatus = `Saved progress could not be read (${r.reason}); starting fresh.`;
    } else if (!saved.ok) {
      this.saveStatus = `Saving unavailable (${saved.error})`;
    }
    this.loaded = true;
    this.newSession();
  }

  async save(): Promise<void> {
    const r = await idbPut(SAVE_KEY, exportStudy($state.snapshot(this.data) as StudyData));
    this.saveStatus = r.ok ? `Saved ${new Date().toLocaleTimeString()}` : `Not saved (${r.error})`;
  }

  newToday(): number {
    const today = this.now().toISOString().slice(0, 10);
    const firstSeen: Record<string, string> = {};
    for (const r of this.data.reviews) firstSeen[r.card] ??= r.at.slice(0, 10);
    return Object.values(firstSeen).filter((d) => d === today).length;
  }

  /** The cards of the chosen exam guide (all cards without one). */
  get studyCards(): Card[] {
    const exam = this.data.exam;
    return exam ? this.cards.filter((c) => c.exams.includes(exam)) : this.cards;
  }

  newSession(): void {
    const s = buildSession(this.studyCards, this.data.cards, {
      now: this.now(),
      ...(this.examDate ? { examDate: this.examDate } : {}),
      ...(this.topicFilter ? { topic: this.topicFilter } : {}),
      newToday: this.newToday(),
    });
    this.queue = s.queue;
    this.revealed = false;
  }

  /** What each rating would schedule, in days (for the buttons). */
  preview(id: string): Record<Grade, number> {
    const out = {} as Record<Grade, number>;
    for (const g of [1, 2, 3, 4] as Grade[]) out[g] = rate(this.data.cards[id], id, g, this.now(), this.examDate).review.interval;
    return out;
  }

  rateCurrent(g: Grade): void {
    const id = this.queue[0];
    if (!id || !this.revealed) return;
    const { schedule, review } = rate(this.data.cards[id], id, g, this.now(), this.examDate);
    this.data.cards[id] = schedule;
    this.data.reviews.push(review);
    // Again (and hard within a day) come back in this session.
    const rest = this.queue.slice(1);
    this.queue = g === 1 ? [...rest, id] : rest;
    this.revealed = false;
    void this.save();
  }

  setExamGuide(code: string): void {
    if (code) this.data.exam = code;
    else delete this.data.exam;
    void this.save();
    this.newSession();
  }

  setExamDate(s: string): void {
    if (s) this.data.examDate = s;
    else delete this.data.examDate;
    void this.save();
    this.newSession();
  }

  progress(): TopicProgress[] {
    return progressByTopic(
      this.studyCards,
      this.data.cards,
      TOPIC_IDS,
      this.examDate && this.examDate > this.now() ? this.examDate : this.now(),
    );
  }

  exportText(): string {
    return exportStudy($state.snapshot(this.data) as StudyData);
  }

  /** Replaces everything with an imported file, or refuses with a reason and changes nothing. */
  async importText(text: string): Promise<{ ok: true; note: string } | { ok: false; reason: string }> {
    const r = importStudy(text, new Set(this.cards.map((c) => c.id)));
    if (!r.ok) return r;
    this.data = r.data;
    await this.save();
    this.newSession();
    const n = Object.keys(r.data.cards).length;
    return {
      ok: true,
      note: `${n} card schedule(s), ${r.data.reviews.length} review(s), ${r.data.exams.length} exam result(s)${r.unknownCards.length ? `; ${r.unknownCards.length} card(s) no longer in the decks were kept` : ''}.`,
    };
  }
}

export const study = new StudyState();
