/** The burst step (`repeat`) and the setup's `quotas`: how a walkthrough meets the request quotas. */
import { describe, expect, it } from 'vitest';
import { loadScenario, runScenario, ScenarioError } from '../../src/scenario-runner';

const doc = (setupExtra: string, step: string) => `id: demo
title: Demo
summary: A demo.
topics: [kms]
exams: [DVA-C02]
level: beginner
setup:
  seed: 1
${setupExtra}steps:
  - say: Go.
    ask: { question: Q?, choices: [a, b], answer: 0, explain: E. }
${step}`;

describe('burst steps', () => {
  it('sends the call N times in one virtual second and summarises the outcomes', async () => {
    const s = loadScenario(
      doc(
        '  quotas: { enforce: true }\n',
        `    do: { kms: CreateKey, input: { Description: x }, repeat: 7, as: b }
    expect:
      output: { Calls: 7, Succeeded: 5, Throttled: 2, Errors: { ThrottlingException: 2 }, LastError: ThrottlingException }
      trace: { includes: throttled }
`,
      ),
      'scenarios/demo.yaml',
    );
    const run = await runScenario(s);
    expect(run.passed).toBe(true);
    // Only a few of the calls are kept for the page, the last one included.
    expect(run.results[0]!.calls.length).toBeLessThanOrEqual(10);
  });

  it('without setup quotas nothing is throttled', async () => {
    const s = loadScenario(
      doc('', `    do: { kms: CreateKey, input: {}, repeat: 7 }\n    expect: { output: { Succeeded: 7 } }\n`),
      'scenarios/demo.yaml',
    );
    expect((await runScenario(s)).passed).toBe(true);
  });

  it('repeat does not apply to a clock move, and has bounds', () => {
    const bad = (step: string) => {
      try {
        loadScenario(doc('', step), 'scenarios/demo.yaml');
      } catch (e) {
        if (e instanceof ScenarioError) return e.message;
        throw e;
      }
      return 'loaded';
    };
    expect(bad('    do: { clock: { seconds: 1 }, repeat: 3 }\n')).toMatch(/repeat does not apply to a clock move/);
    expect(bad('    do: { kms: CreateKey, repeat: 0 }\n')).toMatch(/expected repeat between 1 and 20000/);
    let msg = '';
    try {
      loadScenario(doc('  quotas: { preset: "2021" }\n', '    do: { kms: CreateKey }\n'), 'scenarios/demo.yaml');
    } catch (e) {
      msg = (e as Error).message;
    }
    expect(msg).toMatch(/expected preset to be current or 2023/);
  });
});
