/**
 * The world's virtual clock. Time moves only when told; every time rule in the engine
 * (deletion windows, rotation, quotas) reads `now()`. Listeners get a tick after each move so
 * that deadlines kept in machine context can fire.
 */
export interface Duration {
  seconds?: number;
  minutes?: number;
  hours?: number;
  days?: number;
  years?: number;
}

export const MS = { second: 1000, minute: 60_000, hour: 3_600_000, day: 86_400_000 } as const;

export function durationMs(d: Duration): number {
  return (
    (d.seconds ?? 0) * MS.second +
    (d.minutes ?? 0) * MS.minute +
    (d.hours ?? 0) * MS.hour +
    (d.days ?? 0) * MS.day +
    (d.years ?? 0) * 365 * MS.day
  );
}

export type TickListener = (now: Date) => void;

export class VirtualClock {
  private ms: number;
  private listeners = new Set<TickListener>();

  constructor(start: Date | number) {
    this.ms = typeof start === 'number' ? start : start.getTime();
  }

  now(): Date {
    return new Date(this.ms);
  }

  nowMs(): number {
    return this.ms;
  }

  /** Moves time forward (never back) and lets every listener react. */
  advance(d: Duration | number): Date {
    const delta = typeof d === 'number' ? d : durationMs(d);
    if (!Number.isFinite(delta) || delta < 0) throw new RangeError('The clock only moves forward by a finite amount');
    this.ms += delta;
    const now = this.now();
    for (const l of [...this.listeners]) l(now);
    return now;
  }

  onTick(l: TickListener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }
}
