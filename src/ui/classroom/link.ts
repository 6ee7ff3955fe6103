/**
 * Classroom links: the URL hash names a scenario, a step and a seed, so every student who
 * opens the link (or scans its QR code) sees the same step of the same world, with the same
 * key ids and request ids and, because Classroom mode builds its worlds with reproducible crypto,
 * the same ciphertexts and signatures. `#notes` opens the presenter-notes window.
 *
 *   #classroom?scenario=key-lifecycle&step=schedule&seed=1701
 */
export interface ClassroomLink {
  scenario: string;
  /** A step id, or a step number (0 = before the first step). */
  step?: string;
  seed?: number;
}

export type HashRoute = { kind: 'classroom'; link: ClassroomLink | null } | { kind: 'notes' } | { kind: 'none' };

const ID = /^[a-z0-9][a-z0-9-]*$/;

export function parseHash(hash: string): HashRoute {
  const h = hash.replace(/^#/, '');
  if (h === 'notes') return { kind: 'notes' };
  if (h !== 'classroom' && !h.startsWith('classroom?')) return { kind: 'none' };
  const q = new URLSearchParams(h.slice('classroom'.length + 1));
  const scenario = q.get('scenario') ?? '';
  if (!ID.test(scenario)) return { kind: 'classroom', link: null };
  const link: ClassroomLink = { scenario };
  const step = q.get('step');
  if (step && (ID.test(step) || /^\d+$/.test(step))) link.step = step;
  const seed = q.get('seed');
  if (seed && /^\d{1,10}$/.test(seed)) link.seed = Number(seed);
  return { kind: 'classroom', link };
}

export function classroomHash(link: ClassroomLink): string {
  const q = new URLSearchParams({ scenario: link.scenario });
  if (link.step !== undefined) q.set('step', link.step);
  if (link.seed !== undefined) q.set('seed', String(link.seed));
  return `#classroom?${q.toString()}`;
}

/** What the main window tells the presenter-notes window (BroadcastChannel message). */
export interface NotesMessage {
  type: 'state';
  title: string;
  step: number;
  total: number;
  asking: boolean;
  say: string;
  question?: string;
  choices?: string[];
  answers?: number[];
  explain?: string;
  next?: string;
  link: string;
  blank: boolean;
  paused: boolean;
}

export const CHANNEL = 'kms-lab-classroom';
