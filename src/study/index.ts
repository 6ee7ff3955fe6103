/** Study: spaced repetition (FSRS) aimed at an exam date, sessions, practice exams, saved data. No DOM. */
export * from './scheduler';
export * from './session';
export * from './exam';
export * from './data';
export { seededRandom, shuffled } from './random';
