/**
 * Sends lab configs to the simulator worker and hands back only the newest result: while one
 * run is in flight, further changes replace each other and the latest runs next. Without Worker
 * support (or if the worker fails to start) it runs on the main thread.
 */
import { simulate, type LoadConfig, type LoadResult } from '../../engine/loadsim';

export class SimRunner {
  private worker: Worker | null = null;
  private busy = false;
  private next: { id: number; cfg: LoadConfig } | null = null;
  private seq = 0;

  constructor(private readonly ondone: (id: number, r: LoadResult | { error: string }) => void) {
    try {
      this.worker = new Worker(new URL('./sim.worker.ts', import.meta.url), { type: 'module' });
      this.worker.onmessage = (ev: MessageEvent<{ id: number; result?: LoadResult; error?: string }>) => {
        this.busy = false;
        const { id, result, error } = ev.data;
        this.ondone(id, result ?? { error: error ?? 'unknown error' });
        this.pump();
      };
      this.worker.onerror = () => {
        this.worker = null;
        this.busy = false;
        this.pump();
      };
    } catch {
      this.worker = null;
    }
  }

  /** Queues a run; returns its id (the one `ondone` will report). */
  run(cfg: LoadConfig): number {
    const id = ++this.seq;
    this.next = { id, cfg };
    this.pump();
    return id;
  }

  private pump(): void {
    if (this.busy || !this.next) return;
    const job = this.next;
    this.next = null;
    if (this.worker) {
      this.busy = true;
      this.worker.postMessage(job);
      return;
    }
    try {
      this.ondone(job.id, simulate(job.cfg));
    } catch (e) {
      this.ondone(job.id, { error: e instanceof Error ? e.message : String(e) });
    }
  }

  dispose(): void {
    this.worker?.terminate();
    this.worker = null;
  }
}
