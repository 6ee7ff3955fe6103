/**
 * Runs lab configs in Web Workers and hands back only the newest result: while one run is in
 * flight, further changes replace each other and the latest runs next. The strategies of a run
 * are independent (each has its own quota and seeded generator), so they are simulated in
 * parallel, one per worker, and put back together in order: the result is the same as one
 * `simulate(cfg)`. Without Worker support (or if a worker fails) it runs on the main thread.
 */
import { simulate, type LoadConfig, type LoadResult } from '../../engine/loadsim';

type Reply = { id: number; part: number; result?: LoadResult; error?: string; simMs?: number };

export class SimRunner {
  private workers: Worker[] = [];
  private busy = false;
  private next: { id: number; cfg: LoadConfig } | null = null;
  private seq = 0;
  private parts: (LoadResult | undefined)[] = [];
  private pending = 0;
  private current: { id: number; cfg: LoadConfig } | null = null;
  /** How long the last run's slowest part took in its worker, ms (for the benchmark). */
  lastSimMs = 0;

  constructor(private readonly ondone: (id: number, r: LoadResult | { error: string }) => void) {
    const n = Math.max(1, Math.min(4, (typeof navigator !== 'undefined' && navigator.hardwareConcurrency) || 2));
    try {
      for (let i = 0; i < n; i++) {
        const w = new Worker(new URL('./sim.worker.ts', import.meta.url), { type: 'module' });
        w.onmessage = (ev: MessageEvent<Reply>) => this.reply(ev.data);
        w.onerror = () => this.fallBack();
        this.workers.push(w);
      }
    } catch {
      this.fallBack();
    }
  }

  /** Queues a run; returns its id (the one `ondone` will report). */
  run(cfg: LoadConfig): number {
    const id = ++this.seq;
    this.next = { id, cfg };
    this.pump();
    return id;
  }

  private fallBack(): void {
    for (const w of this.workers) w.terminate();
    this.workers = [];
    if (this.busy && this.current) {
      // Redo the run in flight on the main thread.
      this.busy = false;
      this.next ??= this.current;
    }
    this.pump();
  }

  private reply(r: Reply): void {
    if (!this.current || r.id !== this.current.id) return;
    if (r.error !== undefined || !r.result) {
      this.finish({ error: r.error ?? 'unknown error' });
      return;
    }
    this.parts[r.part] = r.result;
    this.lastSimMs = Math.max(this.lastSimMs, r.simMs ?? 0);
    if (--this.pending > 0) return;
    const parts = this.parts as LoadResult[];
    this.finish({
      config: this.current.cfg,
      tickMs: parts[0]?.tickMs ?? 10,
      seconds: Math.max(0, ...parts.map((p) => p.seconds)),
      results: parts.flatMap((p) => p.results),
    });
  }

  private finish(r: LoadResult | { error: string }): void {
    const id = this.current!.id;
    this.busy = false;
    this.current = null;
    this.ondone(id, r);
    this.pump();
  }

  private pump(): void {
    if (this.busy || !this.next) return;
    const job = this.next;
    this.next = null;
    if (this.workers.length) {
      this.busy = true;
      this.current = job;
      this.lastSimMs = 0;
      const strategies = job.cfg.strategies;
      this.pending = Math.max(1, strategies.length);
      this.parts = new Array<LoadResult | undefined>(this.pending);
      if (!strategies.length) {
        this.workers[0]!.postMessage({ id: job.id, part: 0, cfg: job.cfg });
        return;
      }
      strategies.forEach((s, i) => {
        this.workers[i % this.workers.length]!.postMessage({ id: job.id, part: i, cfg: { ...job.cfg, strategies: [s] } });
      });
      return;
    }
    try {
      this.ondone(job.id, simulate(job.cfg));
    } catch (e) {
      this.ondone(job.id, { error: e instanceof Error ? e.message : String(e) });
    }
    this.pump();
  }

  dispose(): void {
    for (const w of this.workers) w.terminate();
    this.workers = [];
  }
}
