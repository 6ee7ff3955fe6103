/**
 * Plays a scenario step by step for the page: next, back, restart. Going back rebuilds a
 * fresh world from the same seed and replays the earlier steps, so ids (key ids, request ids)
 * come out the same as the first time. Operations are queued: a double click cannot run two
 * steps at once.
 */
import type { World } from '../engine';
import type { Scenario } from './load';
import { executeStep, newWorld, pendingStep, type PendingStep, type RunState, type StepResult } from './run';

export interface PlayerOptions {
  /** Called with every world the player creates (first step, back, restart). */
  onWorld?: (world: World) => void;
}

export class ScenarioPlayer {
  /** The world the steps run in; undefined until the first step (or start()). */
  world: World | undefined;
  /** How many steps have run: 0 before the first, `total` at the end. */
  index = 0;
  /** Results of the steps that have run, in order. */
  results: StepResult[] = [];
  private state: RunState | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly scenario: Scenario,
    private options: PlayerOptions = {},
  ) {}

  get total(): number {
    return this.scenario.steps.length;
  }

  get done(): boolean {
    return this.index >= this.total;
  }

  /** The result of the step last run (what the page shows), if any. */
  get current(): StepResult | undefined {
    return this.results[this.index - 1];
  }

  /** The step that next() will run, as shown before it runs (narration, question). */
  get upcoming(): PendingStep | undefined {
    return pendingStep(this.scenario, this.index, this.state?.vars ?? {});
  }

  /** Creates the world if there is none yet. */
  start(): Promise<World> {
    return this.enqueue(async () => (await this.ensureWorld()).world);
  }

  /** Runs the next step; undefined at the end. */
  next(): Promise<StepResult | undefined> {
    return this.enqueue(async () => {
      if (this.done) return undefined;
      const state = await this.ensureWorld();
      const r = await executeStep(this.scenario, this.index, state);
      this.results.push(r);
      this.index++;
      return r;
    });
  }

  /** Steps back one: a fresh world replays the steps before; returns the step now current (undefined at the start). */
  back(): Promise<StepResult | undefined> {
    return this.enqueue(async () => {
      if (this.index === 0) return undefined;
      await this.replayTo(this.index - 1);
      return this.current;
    });
  }

  /** Back to the beginning, in a fresh world. */
  restart(): Promise<undefined> {
    return this.enqueue(async () => {
      await this.replayTo(0);
      return undefined;
    });
  }

  /** Jumps to just after step `count` (0 = the beginning), replaying in a fresh world. */
  goTo(count: number): Promise<StepResult | undefined> {
    return this.enqueue(async () => {
      await this.replayTo(Math.max(0, Math.min(this.total, count)));
      return this.current;
    });
  }

  private async replayTo(count: number): Promise<void> {
    this.state = undefined;
    this.results = [];
    this.index = 0;
    const state = await this.ensureWorld();
    while (this.index < count) {
      this.results.push(await executeStep(this.scenario, this.index, state));
      this.index++;
    }
  }

  private async ensureWorld(): Promise<RunState> {
    if (!this.state) {
      const world = await newWorld(this.scenario);
      this.state = { world, vars: {} };
      this.world = world;
      this.options.onWorld?.(world);
    }
    return this.state;
  }

  private enqueue<T>(op: () => Promise<T>): Promise<T> {
    const p = this.queue.then(op);
    this.queue = p.catch(() => undefined);
    return p;
  }
}
