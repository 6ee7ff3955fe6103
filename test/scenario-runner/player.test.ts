/** ScenarioPlayer: next / back / restart, with a fresh world each time and the same ids. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario, ScenarioPlayer, type StepResult } from '../../src/scenario-runner';
import type { World } from '../../src/engine';

const file = join(import.meta.dirname, '../../scenarios/key-lifecycle.yaml');
const scenario = loadScenario(readFileSync(file, 'utf8'), 'scenarios/key-lifecycle.yaml');

function keyIdOf(r: StepResult | undefined): string {
  const out = r?.outcome?.ok ? (r.outcome.output as { KeyMetadata: { KeyId: string } }) : undefined;
  if (!out) throw new Error('no key');
  return out.KeyMetadata.KeyId;
}

describe('ScenarioPlayer', () => {
  it('starts before the first step, showing its narration and question', async () => {
    const worlds: World[] = [];
    const p = new ScenarioPlayer(scenario, { onWorld: (w) => worlds.push(w) });
    expect(p.index).toBe(0);
    expect(p.world).toBeUndefined();
    expect(p.current).toBeUndefined();
    expect(p.upcoming?.say).toMatch(/Enabled/);
    expect(p.upcoming?.doing).toBe('KMS CreateKey');
    await p.start();
    expect(worlds).toHaveLength(1);
    expect(p.world).toBe(worlds[0]);
  });

  it('next runs steps in order and returns their results', async () => {
    const p = new ScenarioPlayer(scenario);
    const r1 = await p.next();
    expect(r1?.index).toBe(0);
    expect(r1?.passed).toBe(true);
    expect(p.index).toBe(1);
    await p.next();
    await p.next();
    expect(p.index).toBe(3);
    // Step 4 asks a question before it runs.
    expect(p.upcoming?.question?.answers).toEqual([1]);
    const r4 = await p.next();
    expect(r4?.outcome).toMatchObject({ ok: false, error: { name: 'DisabledException' } });
    expect(r4?.question?.choices).toHaveLength(4);
  });

  it('back rebuilds a fresh world with the same seed, so ids are the same', async () => {
    const worlds: World[] = [];
    const p = new ScenarioPlayer(scenario, { onWorld: (w) => worlds.push(w) });
    const first = await p.next();
    const id = keyIdOf(first);
    await p.next();
    await p.next(); // disabled
    const events = p.world!.cloudtrail.events.map((e) => e.requestID);

    const back = await p.back();
    expect(p.index).toBe(2);
    expect(back?.index).toBe(1);
    expect(worlds).toHaveLength(2);
    expect(p.world).toBe(worlds[1]);
    expect(p.world).not.toBe(worlds[0]);
    expect(keyIdOf(p.results[0])).toBe(id);
    // The replayed world has the same request ids for the same calls.
    expect(p.world!.cloudtrail.events.map((e) => e.requestID)).toEqual(events.slice(0, p.world!.cloudtrail.events.length));

    // Going forward again gives the same result as the first time.
    const again = await p.next();
    expect(again?.index).toBe(2);
    expect(again?.passed).toBe(true);
    expect(p.world!.cloudtrail.events.map((e) => e.requestID)).toEqual(events);
  });

  it('back at the start does nothing; restart goes back to the beginning in a fresh world', async () => {
    const worlds: World[] = [];
    const p = new ScenarioPlayer(scenario, { onWorld: (w) => worlds.push(w) });
    expect(await p.back()).toBeUndefined();
    const id = keyIdOf(await p.next());
    await p.next();
    await p.restart();
    expect(p.index).toBe(0);
    expect(p.current).toBeUndefined();
    expect(p.world!.cloudtrail.events).toHaveLength(0);
    expect(worlds.length).toBeGreaterThanOrEqual(2);
    expect(keyIdOf(await p.next())).toBe(id);
  });

  it('plays to the end (clock moves included) and then stops', async () => {
    const p = new ScenarioPlayer(scenario);
    const results: StepResult[] = [];
    for (;;) {
      const r = await p.next();
      if (!r) break;
      results.push(r);
    }
    expect(results).toHaveLength(scenario.steps.length);
    expect(results.every((r) => r.passed)).toBe(true);
    expect(p.done).toBe(true);
    expect(p.upcoming).toBeUndefined();
    // Back from the end replays the clock moves too: the key is pending deletion again.
    const r = await p.back();
    expect(r?.action).toMatchObject({ kind: 'clock' });
    expect(p.world!.clock.now().toISOString()).toBe('2026-01-12T09:00:00.000Z');
  });

  it('queues overlapping calls instead of running two steps at once', async () => {
    const p = new ScenarioPlayer(scenario);
    const [a, b, c] = await Promise.all([p.next(), p.next(), p.back()]);
    expect(a?.index).toBe(0);
    expect(b?.index).toBe(1);
    expect(c?.index).toBe(0);
    expect(p.index).toBe(1);
  });
});
