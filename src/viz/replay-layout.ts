/**
 * One client's replay as a strip chart, pure layout: a row per call, a mark per attempt at its
 * virtual time (coloured by outcome), and a bar for each wait (backoff or the client-side
 * limiter's delay) from an attempt to the next. The renderer is replay-chart.ts.
 */
import { scaleLinear } from 'd3-scale';
import type { ReplayAttempt } from '../engine/loadsim';

export interface ReplayMark {
  call: number;
  x: number;
  y: number;
  outcome: ReplayAttempt['outcome'];
  label: string;
}

export interface ReplayWait {
  x1: number;
  x2: number;
  y: number;
  kind: 'backoff' | 'limiter';
}

export interface ReplayLayout {
  width: number;
  height: number;
  marks: ReplayMark[];
  waits: ReplayWait[];
  rows: { call: number; y: number; label: string }[];
  ticks: { x: number; label: string }[];
}

const ROW = 14;
const LEFT = 44;
const RIGHT = 10;
const TOP = 6;
const BOTTOM = 18;

export function replayLayout(attempts: ReplayAttempt[], width: number): ReplayLayout {
  const calls = [...new Set(attempts.map((a) => a.call))];
  const rowOf = new Map(calls.map((c, i) => [c, i]));
  let t0 = Infinity;
  let t1 = -Infinity;
  for (const a of attempts) {
    t0 = Math.min(t0, a.atMs);
    t1 = Math.max(t1, a.atMs + (a.delayMs ?? 0));
  }
  if (!Number.isFinite(t0)) t0 = t1 = 0;
  const x = scaleLinear()
    .domain([t0, Math.max(t1, t0 + 1)])
    .range([LEFT, width - RIGHT]);
  const y = (call: number) => TOP + rowOf.get(call)! * ROW + ROW / 2;
  const marks: ReplayMark[] = [];
  const waits: ReplayWait[] = [];
  for (const a of attempts) {
    if (a.outcome === 'gave-up') continue; // shown by its throttled attempt's colour and the table
    marks.push({
      call: a.call,
      x: x(a.atMs),
      y: y(a.call),
      outcome: a.outcome,
      label: `call ${a.call + 1}, attempt ${a.attempt}: ${a.outcome}`,
    });
    if (a.delayMs !== undefined && a.delayMs > 0)
      waits.push({ x1: x(a.atMs), x2: x(a.atMs + a.delayMs), y: y(a.call), kind: a.outcome === 'waited' ? 'limiter' : 'backoff' });
  }
  const height = TOP + calls.length * ROW + BOTTOM;
  const ticks = x.ticks(6).map((t) => ({ x: x(t), label: t >= 1000 ? `${+(t / 1000).toFixed(2)} s` : `${Math.round(t)} ms` }));
  const rows = calls.map((c) => ({ call: c, y: y(c), label: `#${c + 1}` }));
  return { width, height, marks, waits, rows, ticks };
}
