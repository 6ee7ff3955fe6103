/**
 * Every scenario file in scenarios/ runs headless against the engine, one test per file.
 * A failing expectation reports the file:line:col of the step that did not hold.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario, runScenario, type StepResult } from '../../src/scenario-runner';
import { toHex } from '../../src/engine/crypto';

const dir = join(import.meta.dirname, '../../scenarios');
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'))
  .sort();

describe('scenarios', () => {
  it('there are scenario files', () => {
    expect(files.length).toBeGreaterThanOrEqual(5);
  });

  for (const file of files) {
    it(file, async () => {
      const scenario = loadScenario(readFileSync(join(dir, file), 'utf8'), `scenarios/${file}`);
      expect(scenario.id).toBe(file.replace(/\.ya?ml$/, ''));
      // Content rules: narration on every step and at least one question.
      expect(scenario.steps.every((s) => s.say.trim().length > 0)).toBe(true);
      expect(scenario.steps.some((s) => s.ask)).toBe(true);
      const run = await runScenario(scenario);
      expect(run.passed).toBe(true);
    });
  }
});

/** Classroom mode opens any scenario with reproducible crypto: each must pass that way too, with the same bytes twice. */
describe('scenarios as Classroom mode runs them (reproducible crypto)', () => {
  const bytesOf = (results: StepResult[]) =>
    results.map((r) =>
      r.outcome?.ok ? Object.values(r.outcome.output as object).filter((v): v is Uint8Array => v instanceof Uint8Array).map(toHex) : [],
    );
  for (const file of files) {
    it(file, async () => {
      const loaded = loadScenario(readFileSync(join(dir, file), 'utf8'), `scenarios/${file}`);
      const scenario = { ...loaded, setup: { ...loaded.setup, reproducibleCrypto: true } };
      const [a, b] = [await runScenario(scenario), await runScenario(scenario)];
      expect(a.passed).toBe(true);
      expect(bytesOf(b.results)).toEqual(bytesOf(a.results));
    });
  }
});
