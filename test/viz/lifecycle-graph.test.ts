import { describe, expect, it } from 'vitest';
import { setup } from 'xstate';
import { keyLifecycleMachine } from '../../src/engine/kms/lifecycle';
import { boxExit, labelBox, layoutGraph, machineGraph, outgoing, overlaps, STATE_H, STATE_W } from '../../src/viz/lifecycle-graph';

describe('machineGraph reads the key lifecycle machine', () => {
  const g = machineGraph(keyLifecycleMachine);

  it('has every top-level state with its description', () => {
    expect(g.initial).toBe('Enabled');
    expect(g.states.map((s) => s.id).sort()).toEqual(Object.keys(keyLifecycleMachine.root.states).sort());
    for (const s of g.states) expect(s.description).toBe(keyLifecycleMachine.root.states[s.id]!.description ?? '');
    expect(g.states.find((s) => s.id === 'Deleted')!.final).toBe(true);
  });

  it('has one edge per (from, to) pair, with events and guards from the definition', () => {
    const e = (from: string, to: string) => g.edges.find((x) => x.from === from && x.to === to);
    expect(e('Enabled', 'Disabled')!.transitions).toEqual([{ event: 'DISABLE' }]);
    expect(e('PendingDeletion', 'Disabled')!.transitions).toEqual([{ event: 'CANCEL_DELETION', guard: 'hasMaterial' }]);
    expect(e('PendingDeletion', 'Deleted')!.transitions).toEqual([{ event: 'CLOCK', guard: 'deadlinePassed' }]);
    expect(e('Deleted', 'Enabled')).toBeUndefined();
    // Every transition of the machine appears exactly once (as an edge or a self-loop).
    let count = 0;
    for (const node of Object.values(keyLifecycleMachine.root.states)) for (const defs of Object.values(node.on)) count += defs.length;
    const drawn = g.edges.reduce((a, x) => a + x.transitions.length, 0) + g.selfLoops.reduce((a, x) => a + x.transitions.length, 0);
    expect(drawn).toBe(count);
  });

  it('puts self-transitions aside and lists what leaves a state', () => {
    expect(g.selfLoops.find((l) => l.state === 'Enabled')!.transitions).toEqual([{ event: 'ENABLE' }]);
    expect(outgoing(g, 'PendingDeletion')).toContain('CANCEL_DELETION [hasMaterial] → Disabled');
    expect(outgoing(g, 'Deleted')).toEqual([]);
  });

  it('follows a different machine too (no hand-drawn copy)', () => {
    const m = setup({}).createMachine({ id: 'm', initial: 'a', states: { a: { on: { GO: 'b' } }, b: { on: { BACK: 'a' } }, c: {} } });
    const mg = machineGraph(m);
    expect(mg.states.map((s) => s.id)).toEqual(['a', 'b', 'c']);
    expect(mg.edges.map((x) => `${x.from}-${x.to}`)).toEqual(['a-b', 'b-a']);
  });
});

describe('layoutGraph', () => {
  const l = layoutGraph(machineGraph(keyLifecycleMachine));
  it('layers states by distance from the initial state', () => {
    const layer = Object.fromEntries(l.states.map((s) => [s.id, s.layer]));
    expect(layer).toEqual({ Enabled: 0, Disabled: 1, PendingDeletion: 1, PendingImport: 2, Deleted: 2 });
  });
  it('keeps boxes apart and inside the canvas', () => {
    for (const a of l.states) {
      expect(a.x - STATE_W / 2).toBeGreaterThanOrEqual(0);
      expect(a.y - STATE_H / 2).toBeGreaterThanOrEqual(0);
      expect(a.x + STATE_W / 2).toBeLessThanOrEqual(l.width);
      expect(a.y + STATE_H / 2).toBeLessThanOrEqual(l.height);
      for (const b of l.states) if (a !== b) expect(Math.abs(a.x - b.x) >= STATE_W || Math.abs(a.y - b.y) >= STATE_H).toBe(true);
    }
  });
  it('bends two-way edges so they do not overlap', () => {
    const ab = l.edges.find((e) => e.from === 'Enabled' && e.to === 'Disabled')!;
    const ba = l.edges.find((e) => e.from === 'Disabled' && e.to === 'Enabled')!;
    expect(ab.path).not.toBe(ba.path);
    expect(Math.hypot(ab.labelX - ba.labelX, ab.labelY - ba.labelY)).toBeGreaterThan(20);
  });
  it('places edge labels where they hide no state and no other label', () => {
    const boxes = l.edges.map((e) => labelBox(e.lines, { x: e.labelX, y: e.labelY }));
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++)
        expect(overlaps(boxes[i]!, boxes[j]!), `${l.edges[i]!.label} / ${l.edges[j]!.label}`).toBe(false);
      for (const s of l.states) {
        const sb = { x: s.x - STATE_W / 2, y: s.y - STATE_H / 2, w: STATE_W, h: STATE_H };
        expect(overlaps(boxes[i]!, sb), `${l.edges[i]!.label} on ${s.id}`).toBe(false);
      }
    }
    expect(l.edges.find((e) => e.to === 'Deleted')!.lines).toEqual(['CLOCK', '[deadlinePassed]']);
  });
  it('boxExit lands on the box edge', () => {
    expect(boxExit({ x: 0, y: 0 }, { x: 100, y: 0 })).toEqual({ x: STATE_W / 2, y: 0 });
    expect(boxExit({ x: 0, y: 0 }, { x: 0, y: -100 })).toEqual({ x: 0, y: -STATE_H / 2 });
  });
});
