/** Runs the load simulator off the main thread (one part of a run: usually one strategy). */
import { simulate, type LoadConfig } from '../../engine/loadsim';

self.onmessage = (ev: MessageEvent<{ id: number; part: number; cfg: LoadConfig }>) => {
  const { id, part, cfg } = ev.data;
  try {
    const t0 = performance.now();
    const result = simulate(cfg);
    (self as unknown as Worker).postMessage({ id, part, result, simMs: performance.now() - t0 });
  } catch (e) {
    (self as unknown as Worker).postMessage({ id, part, error: e instanceof Error ? e.message : String(e) });
  }
};
