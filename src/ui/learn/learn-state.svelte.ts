/**
 * The Learn panel's state, kept at module level rather than in the component: the page may
 * re-create the panel (switching modes, or re-keying the layout when the first learn world
 * appears), and the walkthrough must carry on where it was.
 */
import type { World } from '../../engine';
import { loadScenario, ScenarioError, ScenarioPlayer, type PendingStep, type Scenario, type StepResult } from '../../scenario-runner';

export interface Entry {
  file: string;
  scenario?: Scenario;
  error?: string;
}

const LEVEL_ORDER: Record<string, number> = { beginner: 0, intermediate: 1, advanced: 2 };

class LearnState {
  entries = $state.raw<Entry[]>([]);
  loadingList = $state(true);
  listError = $state('');

  player = $state.raw<ScenarioPlayer | null>(null);
  result = $state.raw<StepResult | undefined>(undefined);
  upcoming = $state.raw<PendingStep | undefined>(undefined);
  index = $state(0);
  /** True while the upcoming step's question is shown and the step has not run yet. */
  asking = $state(false);
  chosen = $state<number[]>([]);
  /** Answers given, by step index. */
  answers = $state<Record<number, { chosen: number[]; right: boolean }>>({});
  busy = $state(false);
  runError = $state('');
  /**
   * Classroom mode: scenario worlds are built with reproducible crypto, so a classroom link shows
   * every student the same ciphertexts, not only the same ids. Learn mode never turns it on.
   */
  reproducible = $state(false);

  /** The page's callback for new worlds (the component keeps it current). */
  onworld: (world: World) => void = () => {};
  private listStarted = false;
  /** A scenario step asked for before the list was loaded ("see it happen", a classroom link). */
  private pendingOpen: { scenario: string; step?: string; seed?: number } | null = null;
  /** The open scenario as chosen (the link's seed applied), before the mode's crypto setting. */
  private base: Scenario | null = null;
  /** The mode changed while a step was running: rebuild the world once it is done. */
  private modeChanged = false;

  get total(): number {
    return this.player?.total ?? 0;
  }
  get multi(): boolean {
    return (this.upcoming?.question?.answers.length ?? 0) > 1;
  }
  get asked(): number {
    return Object.keys(this.answers).length;
  }
  get right(): number {
    return Object.values(this.answers).filter((a) => a.right).length;
  }

  /** Reads every scenario file once (they are separate lazy chunks); broken files keep their error. */
  async loadList(files: Record<string, () => Promise<string>>): Promise<void> {
    if (this.listStarted) return;
    this.listStarted = true;
    try {
      const loaded = await Promise.all(
        Object.entries(files).map(async ([path, read]): Promise<Entry> => {
          const file = path.replace(/^\//, '');
          try {
            return { file, scenario: loadScenario(await read(), file) };
          } catch (e) {
            return { file, error: e instanceof ScenarioError ? e.message : `${file}: ${e instanceof Error ? e.message : String(e)}` };
          }
        }),
      );
      this.entries = loaded.sort((a, b) => {
        const la = a.scenario ? (LEVEL_ORDER[a.scenario.level] ?? 9) : 9;
        const lb = b.scenario ? (LEVEL_ORDER[b.scenario.level] ?? 9) : 9;
        return la - lb || a.file.localeCompare(b.file);
      });
    } catch (e) {
      this.listError = e instanceof Error ? e.message : String(e);
    } finally {
      this.loadingList = false;
    }
    if (this.pendingOpen) this.openAt(this.pendingOpen.scenario, this.pendingOpen.step, this.pendingOpen.seed);
  }

  /**
   * Opens a scenario just before one of its steps (by step id or number), with an optional seed in place
   * of the file's: the earlier steps run, and a step with a question starts by asking it.
   * Returns false if the scenario or step does not exist. Before the list is loaded, the request waits.
   */
  openAt(scenarioId: string, stepId?: string, seed?: number): boolean {
    if (this.loadingList) {
      this.pendingOpen = { scenario: scenarioId, ...(stepId ? { step: stepId } : {}), ...(seed !== undefined ? { seed } : {}) };
      return true;
    }
    this.pendingOpen = null;
    const entry = this.entries.find((e) => e.scenario?.id === scenarioId);
    const base = entry?.scenario;
    if (!base) return false;
    const index = stepId === undefined ? 0 : /^\d+$/.test(stepId) ? Number(stepId) : base.steps.findIndex((s) => s.id === stepId);
    if (index < 0 || index > base.steps.length) return false;
    const scenario = seed === undefined ? base : { ...base, setup: { ...base.setup, seed } };
    this.base = scenario;
    const p = this.newPlayer(this.forMode(scenario), { keepAnswers: false });
    void this.guarded(async () => {
      await p.start();
      await p.goTo(index);
    }).then(() => {
      if (this.upcoming?.question && this.player === p) this.asking = true;
    });
    return true;
  }

  /**
   * A new player for `scenario` becomes the current one. Opening a walkthrough starts afresh;
   * rebuilding the same one in another mode keeps the answers given (and the chosen options).
   */
  private newPlayer(scenario: Scenario, { keepAnswers }: { keepAnswers: boolean }): ScenarioPlayer {
    const p = new ScenarioPlayer(scenario, { onWorld: (w) => this.onworld(w) });
    this.player = p;
    this.asking = false;
    if (!keepAnswers) {
      this.answers = {};
      this.chosen = [];
      this.runError = '';
    }
    this.sync();
    return p;
  }

  /** The scenario as this mode runs it: Classroom mode turns reproducible crypto on. */
  private forMode(scenario: Scenario): Scenario {
    if (!this.reproducible || scenario.setup.reproducibleCrypto) return scenario;
    return { ...scenario, setup: { ...scenario.setup, reproducibleCrypto: true } };
  }

  /**
   * Classroom mode on or off. An open walkthrough is rebuilt at the same step in a world of the
   * new kind (same seed, so the same ids; the bytes change from seeded to CSPRNG or back), keeping
   * the answers given and a question being asked.
   */
  setReproducible(on: boolean): void {
    if (on === this.reproducible) return;
    this.reproducible = on;
    this.modeChanged = true;
    this.applyMode();
  }

  private applyMode(): void {
    const old = this.player;
    if (this.busy || !this.modeChanged) return;
    this.modeChanged = false;
    if (!old || !this.base) return;
    const scenario = this.forMode(this.base);
    if (!!scenario.setup.reproducibleCrypto === !!old.scenario.setup.reproducibleCrypto) return;
    const index = old.index;
    const asking = this.asking;
    const p = this.newPlayer(scenario, { keepAnswers: true });
    void this.guarded(async () => {
      await p.start();
      await p.goTo(index);
    }).then(() => {
      if (this.player === p) this.asking = asking;
    });
  }

  private sync(): void {
    const p = this.player;
    if (!p) return;
    this.index = p.index;
    this.result = p.current;
    this.upcoming = p.upcoming;
  }

  /** Runs a player operation; a failure is shown in the page, never thrown. */
  private async guarded(op: () => Promise<unknown>): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    this.runError = '';
    try {
      await op();
    } catch (e) {
      this.runError = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    } finally {
      this.sync();
      this.busy = false;
    }
    if (this.modeChanged) this.applyMode();
  }

  open(entry: Entry): void {
    if (!entry.scenario || this.busy) return;
    this.base = entry.scenario;
    const p = this.newPlayer(this.forMode(entry.scenario), { keepAnswers: false });
    void this.guarded(() => p.start());
  }

  close(): void {
    if (this.busy) return;
    this.player = null;
    this.base = null;
    this.result = undefined;
    this.upcoming = undefined;
    this.index = 0;
    this.asking = false;
    this.runError = '';
  }

  next(): void {
    const p = this.player;
    if (!p || this.busy || (p.done && !this.asking)) return;
    const q = this.upcoming;
    if (!this.asking && q?.question && !(q.index in this.answers)) {
      this.asking = true;
      this.chosen = [];
      return;
    }
    this.asking = false;
    void this.guarded(() => p.next());
  }

  back(): void {
    const p = this.player;
    if (!p || this.busy) return;
    if (this.asking) {
      this.asking = false;
      return;
    }
    void this.guarded(() => p.back());
  }

  restart(): void {
    const p = this.player;
    if (!p || this.busy) return;
    this.asking = false;
    this.answers = {};
    void this.guarded(() => p.restart());
  }

  choose(i: number): void {
    const q = this.upcoming?.question;
    if (!this.asking || !q || this.busy || i >= q.choices.length) return;
    if (this.multi) {
      this.chosen = this.chosen.includes(i) ? this.chosen.filter((x) => x !== i) : [...this.chosen, i];
      return;
    }
    this.chosen = [i];
    this.submit();
  }

  submit(): void {
    const up = this.upcoming;
    const q = up?.question;
    if (!up || !q || this.chosen.length === 0) return;
    const want = [...q.answers].sort();
    const got = [...this.chosen].sort();
    this.answers[up.index] = { chosen: got, right: want.length === got.length && want.every((x, i) => x === got[i]) };
    this.next();
  }
}

export const learn = new LearnState();
