/**
 * Reads a state chart from an XState machine definition (never a hand-drawn copy) and lays it
 * out in layers. Pure: used by the D3 renderer in lifecycle.ts and unit-tested in Node.
 */
import type { AnyStateMachine } from 'xstate';

export interface ChartState {
  id: string;
  description: string;
  final: boolean;
  initial: boolean;
}

export interface ChartTransition {
  event: string;
  guard?: string;
}

export interface ChartEdge {
  from: string;
  to: string;
  transitions: ChartTransition[];
}

export interface MachineGraph {
  id: string;
  initial: string;
  states: ChartState[];
  /** Edges between distinct states, one per (from, to) pair, with every event that takes it. */
  edges: ChartEdge[];
  /** Events that leave a state where it is (ENABLE on an enabled key). */
  selfLoops: { state: string; transitions: ChartTransition[] }[];
}

function guardName(g: unknown): string | undefined {
  if (!g) return undefined;
  if (typeof g === 'string') return g;
  if (typeof g === 'object' && g && 'type' in g && typeof (g as { type: unknown }).type === 'string') return (g as { type: string }).type;
  if (typeof g === 'function') return g.name || 'guard';
  return 'guard';
}

/** The top-level states and transitions of a machine, from its definition. */
export function machineGraph(machine: AnyStateMachine): MachineGraph {
  const root = machine.root;
  const initial = root.initial?.target?.[0]?.key ?? '';
  const states: ChartState[] = [];
  const edges = new Map<string, ChartEdge>();
  const loops = new Map<string, ChartTransition[]>();
  for (const [key, node] of Object.entries(root.states)) {
    states.push({ id: key, description: node.description ?? '', final: node.type === 'final', initial: key === initial });
    for (const [event, defs] of Object.entries(node.on)) {
      for (const t of defs) {
        const targets = t.target ?? [];
        const tr: ChartTransition = { event };
        const g = guardName(t.guard);
        if (g) tr.guard = g;
        for (const target of targets) {
          if (target.key === key) {
            const l = loops.get(key) ?? [];
            l.push(tr);
            loops.set(key, l);
            continue;
          }
          const id = `${key}->${target.key}`;
          const e = edges.get(id) ?? { from: key, to: target.key, transitions: [] };
          e.transitions.push(tr);
          edges.set(id, e);
        }
      }
    }
  }
  return {
    id: root.id,
    initial,
    states,
    edges: [...edges.values()],
    selfLoops: [...loops.entries()].map(([state, transitions]) => ({ state, transitions })),
  };
}

export function transitionLabel(t: ChartTransition): string {
  return t.guard ? `${t.event} [${t.guard}]` : t.event;
}

export interface PlacedState extends ChartState {
  x: number;
  y: number;
  layer: number;
}

export interface PlacedEdge extends ChartEdge {
  path: string;
  label: string;
  /** The label broken into short lines (event, then [guard]) for narrow gaps. */
  lines: string[];
  labelX: number;
  labelY: number;
}

export interface ChartLayout {
  width: number;
  height: number;
  states: PlacedState[];
  edges: PlacedEdge[];
}

export const STATE_W = 150;
export const STATE_H = 44;
const COL = 280;
const ROW = 150;
const PAD_X = 16 + STATE_W / 2;
const PAD_Y = 30 + STATE_H / 2;

/**
 * Layers by shortest distance from the initial state (breadth first), drawn top to bottom
 * (the inspector is tall and narrow); states not reachable go in a last layer. Within a
 * layer, states keep the machine's declaration order and the layer is centred.
 */
export function layoutGraph(g: MachineGraph): ChartLayout {
  const layer = new Map<string, number>();
  if (g.initial) layer.set(g.initial, 0);
  const queue = g.initial ? [g.initial] : [];
  while (queue.length) {
    const s = queue.shift()!;
    for (const e of g.edges) {
      if (e.from === s && !layer.has(e.to)) {
        layer.set(e.to, layer.get(s)! + 1);
        queue.push(e.to);
      }
    }
  }
  const maxLayer = Math.max(0, ...layer.values());
  for (const s of g.states) if (!layer.has(s.id)) layer.set(s.id, maxLayer + 1);
  const sizes = new Map<number, number>();
  for (const s of g.states) sizes.set(layer.get(s.id)!, (sizes.get(layer.get(s.id)!) ?? 0) + 1);
  const widest = Math.max(...sizes.values());
  const seen = new Map<number, number>();
  const states: PlacedState[] = g.states.map((s) => {
    const l = layer.get(s.id)!;
    const r = seen.get(l) ?? 0;
    seen.set(l, r + 1);
    const offset = ((widest - sizes.get(l)!) * COL) / 2;
    return { ...s, layer: l, x: PAD_X + offset + r * COL, y: PAD_Y + l * ROW };
  });
  const byId = new Map(states.map((s) => [s.id, s]));
  const pairs = new Set(g.edges.map((e) => `${e.from}->${e.to}`));
  const taken: Box[] = states.map((s) => ({ x: s.x - STATE_W / 2 - 2, y: s.y - STATE_H / 2 - 2, w: STATE_W + 4, h: STATE_H + 4 }));
  const edges: PlacedEdge[] = g.edges.map((e) => {
    const a = byId.get(e.from)!;
    const b = byId.get(e.to)!;
    // Two-way pairs bend apart; one-way edges are straight.
    const bend = pairs.has(`${e.to}->${e.from}`) ? 28 : 0;
    const c = curve(a, b, bend);
    const lines = e.transitions.flatMap((t) => (t.guard ? [t.event, `[${t.guard}]`] : [t.event]));
    // The label goes at the first spot along the edge where it hides no state and no other label.
    const len = Math.hypot(b.x - a.x, b.y - a.y) || 1;
    const n = { x: -(b.y - a.y) / len, y: (b.x - a.x) / len };
    let best = c.mid;
    let bestBox = labelBox(lines, best);
    search: for (const off of LABEL_OFFSETS) {
      for (const t of LABEL_SPOTS) {
        const q = c.at(t);
        const p = { x: q.x + n.x * off, y: q.y + n.y * off };
        const box = labelBox(lines, p);
        if (!taken.some((x) => overlaps(x, box))) {
          best = p;
          bestBox = box;
          break search;
        }
      }
    }
    taken.push(bestBox);
    return {
      ...e,
      path: c.path,
      label: e.transitions.map(transitionLabel).join(', '),
      lines,
      labelX: round(best.x),
      labelY: round(best.y),
    };
  });
  const width = Math.max(...states.map((s) => s.x)) + STATE_W / 2 + 20;
  const height = Math.max(...states.map((s) => s.y)) + STATE_H / 2 + 34;
  return { width, height, states, edges };
}

interface Pt {
  x: number;
  y: number;
}

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Where along an edge (0 = start, 1 = end) a label may go, most preferred first. */
const LABEL_SPOTS = [0.5, 0.38, 0.62, 0.28, 0.72, 0.2, 0.8];
/** Sideways nudges (across the edge) tried when no spot along it is free. */
const LABEL_OFFSETS = [0, 14, -14, 28, -28, 42, -42];
/** Approximate label metrics in viewBox units (12px text). */
export const LABEL_CHAR_W = 7.2;
export const LABEL_LINE_H = 13;

/** The box a label of these lines takes, centred on p. */
export function labelBox(lines: string[], p: Pt): Box {
  const w = Math.max(...lines.map((l) => l.length)) * LABEL_CHAR_W + 6;
  const h = lines.length * LABEL_LINE_H + 2;
  return { x: p.x - w / 2, y: p.y - h / 2, w, h };
}

export function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

/** Where the segment from the box centre c towards p leaves the box. */
export function boxExit(c: Pt, p: Pt, w = STATE_W, h = STATE_H): Pt {
  const dx = p.x - c.x;
  const dy = p.y - c.y;
  if (dx === 0 && dy === 0) return c;
  const sx = dx === 0 ? Infinity : w / 2 / Math.abs(dx);
  const sy = dy === 0 ? Infinity : h / 2 / Math.abs(dy);
  const s = Math.min(sx, sy);
  return { x: c.x + dx * s, y: c.y + dy * s };
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

/** A quadratic curve from box a to box b, bent to the right of the direction of travel. */
export function curve(a: Pt, b: Pt, bend: number): { path: string; mid: Pt; at: (t: number) => Pt } {
  const mx = (a.x + b.x) / 2;
  const my = (a.y + b.y) / 2;
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len = Math.hypot(dx, dy) || 1;
  // Perpendicular (to the right of travel) so that a->b and b->a separate.
  const nx = -dy / len;
  const ny = dx / len;
  const c = { x: mx + nx * bend * 2, y: my + ny * bend * 2 };
  const start = boxExit(a, c);
  const end = boxExit(b, c);
  const mid = { x: 0.25 * start.x + 0.5 * c.x + 0.25 * end.x, y: 0.25 * start.y + 0.5 * c.y + 0.25 * end.y };
  const at = (t: number): Pt => ({
    x: (1 - t) * (1 - t) * start.x + 2 * (1 - t) * t * c.x + t * t * end.x,
    y: (1 - t) * (1 - t) * start.y + 2 * (1 - t) * t * c.y + t * t * end.y,
  });
  return {
    path: `M${round(start.x)},${round(start.y)} Q${round(c.x)},${round(c.y)} ${round(end.x)},${round(end.y)}`,
    mid: { x: round(mid.x), y: round(mid.y) },
    at,
  };
}

/** The transitions available from a state, in words, for the text equivalent. */
export function outgoing(g: MachineGraph, state: string): string[] {
  const out: string[] = [];
  for (const e of g.edges) if (e.from === state) for (const t of e.transitions) out.push(`${transitionLabel(t)} → ${e.to}`);
  for (const l of g.selfLoops) if (l.state === state) for (const t of l.transitions) out.push(`${transitionLabel(t)} (stays ${state})`);
  return out;
}
