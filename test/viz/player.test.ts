import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { flowPlayerMachine } from '../../src/ui/lib/player';

// The player machine has no DOM in it; it lives in src/ui/lib but drives the viz, so it is tested here.
describe('flow player machine', () => {
  const start = () => {
    const a = createActor(flowPlayerMachine, { input: { speed: 2 } });
    a.start();
    return a;
  };

  it('plays hop after hop and ends done', () => {
    const a = start();
    a.send({ type: 'LOAD', hops: 3 });
    expect(a.getSnapshot().value).toBe('playing');
    a.send({ type: 'HOP_DONE' });
    a.send({ type: 'HOP_DONE' });
    expect(a.getSnapshot().context.index).toBe(2);
    a.send({ type: 'HOP_DONE' });
    expect(a.getSnapshot().value).toBe('done');
    expect(a.getSnapshot().context).toMatchObject({ index: 3, hops: 3, speed: 2, run: 1 });
  });

  it('a hop that ends during a pause is counted, and STEP plays exactly one more', () => {
    const a = start();
    a.send({ type: 'LOAD', hops: 4 });
    a.send({ type: 'PAUSE' });
    a.send({ type: 'HOP_DONE' });
    expect(a.getSnapshot().value).toBe('paused');
    expect(a.getSnapshot().context.index).toBe(1);
    a.send({ type: 'STEP' });
    expect(a.getSnapshot().value).toBe('stepping');
    a.send({ type: 'HOP_DONE' });
    expect(a.getSnapshot().value).toBe('paused');
    expect(a.getSnapshot().context.index).toBe(2);
    a.send({ type: 'RESUME' });
    a.send({ type: 'HOP_DONE' });
    a.send({ type: 'HOP_DONE' });
    expect(a.getSnapshot().value).toBe('done');
  });

  it('skips, replays, reloads and ignores an empty trace', () => {
    const a = start();
    a.send({ type: 'LOAD', hops: 5 });
    a.send({ type: 'SKIP' });
    expect(a.getSnapshot().value).toBe('done');
    a.send({ type: 'REPLAY' });
    expect(a.getSnapshot().value).toBe('playing');
    expect(a.getSnapshot().context).toMatchObject({ index: 0, run: 2 });
    a.send({ type: 'LOAD', hops: 0 });
    expect(a.getSnapshot().value).toBe('idle');
    a.send({ type: 'SPEED', speed: 4 });
    expect(a.getSnapshot().context.speed).toBe(4);
    a.send({ type: 'SPEED', speed: -1 });
    expect(a.getSnapshot().context.speed).toBe(4);
  });
});
