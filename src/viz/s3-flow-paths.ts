/**
 * Which states of the S3 PutObject flow machine a mode can pass through, read from the
 * machine's own guards, and which path one request took (from its trace's flow steps).
 * Pure: the chart in s3-flow-chart.ts draws it and Node tests can check it.
 */
import type { AnyStateMachine } from 'xstate';
import type { Trace } from '../engine/trace';

export interface FlowPath {
  states: Set<string>;
  /** "from>to" pairs. */
  edges: Set<string>;
}

type Guard = (args: { context: unknown }) => boolean;

/** Walks the machine from its initial state, taking for each event the first transition whose guard passes for `contexts`. */
export function possiblePath(machine: AnyStateMachine, contexts: object[]): FlowPath {
  const guards = (machine.implementations?.guards ?? {}) as Record<string, Guard>;
  const root = machine.root;
  const initial = root.initial?.target?.[0]?.key ?? '';
  const out: FlowPath = { states: new Set([initial]), edges: new Set() };
  for (const context of contexts) {
    const todo = [initial];
    const seen = new Set<string>();
    while (todo.length) {
      const key = todo.pop()!;
      if (seen.has(key)) continue;
      seen.add(key);
      const node = root.states[key];
      if (!node) continue;
      for (const defs of Object.values(node.on)) {
        const pick = defs.find((t) => {
          const g = t.guard as unknown;
          const name = typeof g === 'string' ? g : g && typeof g === 'object' && 'type' in g ? String((g as { type: unknown }).type) : '';
          if (!name) return true;
          const fn = guards[name];
          return fn ? fn({ context }) : true;
        });
        const target = pick?.target?.[0]?.key;
        if (!target) continue;
        out.states.add(target);
        out.edges.add(`${key}>${target}`);
        todo.push(target);
      }
    }
  }
  return out;
}

/** The states one S3 request passed through, from the `flow` steps of its trace (Request first). */
export function takenPath(trace: Trace | null, initial = 'Request'): string[] {
  if (!trace) return [];
  const states = trace.steps.flatMap((s) => (s.step === 'flow' && s.node === 'S3' ? [s.state] : []));
  return states.length ? [initial, ...states] : [];
}

export function pathEdges(path: string[]): Set<string> {
  const e = new Set<string>();
  for (let i = 1; i < path.length; i++) e.add(`${path[i - 1]}>${path[i]}`);
  return e;
}
