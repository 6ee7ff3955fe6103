/** Runs the load simulator off the main thread, so sliders stay responsive. */
import { simulate, type LoadConfig, type LoadResult } from '../../engine/loadsim';

self.onmessage = (ev: MessageEvent<{ id: number; cfg: LoadConfig }>) => {
  const { id, cfg } = ev.data;
  try {
    const result: LoadResult = simulate(cfg);
    (self as unknown as Worker).postMessage({ id, result });
  } catch (e) {
    (self as unknown as Worker).postMessage({ id, error: e instanceof Error ? e.message : String(e) });
  }
};
