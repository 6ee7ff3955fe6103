/**
 * Model-based tests of the key lifecycle: xstate/graph walks keyLifecycleMachine, and every path
 * is driven through the real API on a real key (ENABLE → EnableKey, DISABLE → DisableKey,
 * SCHEDULE_DELETION → ScheduleKeyDeletion 7 days, CANCEL_DELETION → CancelKeyDeletion,
 * CLOCK → world.advance). At every step the API's key state must equal the machine's state
 * (Deleted ⇔ DescribeKey NotFoundException), and at every step every event is also tried on a
 * copy of the world: what the machine refuses, the API refuses with the key-state table's error.
 */
import { transition } from 'xstate';
import { getShortestPaths, getSimplePaths, type StatePath } from 'xstate/graph';
import { describe, expect, it } from 'vitest';
import { createWorld, isAwsError, keyLifecycleMachine, type World, type WorldSnapshot } from '../../src/engine';
import { lifecycleSnapshot, type KeyLifecycleEvent, type KeyLifecycleSnapshot } from '../../src/engine/kms/lifecycle';
import { DAY } from './helpers';

/**
 * The machine keeps time relative to the scheduling: a deletion 7 days out has its deadline at
 * 7·DAY, and CLOCK events probe just before it, exactly at it and well after it.
 */
const WINDOW = 7 * DAY;
const EVENTS: KeyLifecycleEvent[] = [
  { type: 'ENABLE' },
  { type: 'DISABLE' },
  { type: 'SCHEDULE_DELETION', deletionMs: WINDOW },
  { type: 'CANCEL_DELETION' },
  { type: 'CLOCK', nowMs: WINDOW - 1 },
  { type: 'CLOCK', nowMs: WINDOW },
  { type: 'CLOCK', nowMs: WINDOW + 30 * DAY },
];
const label = (e: KeyLifecycleEvent) =>
  e.type === 'CLOCK' ? `CLOCK(${e.nowMs - WINDOW >= 0 ? '+' : ''}${(e.nowMs - WINDOW) / 1000}s)` : e.type;

type Path = StatePath<KeyLifecycleSnapshot, KeyLifecycleEvent>;

const STARTS = {
  'an AWS_KMS key (starts Enabled)': { origin: 'AWS_KMS' as const, fromState: undefined },
  'an EXTERNAL key (starts PendingImport)': {
    origin: 'EXTERNAL' as const,
    fromState: lifecycleSnapshot('PendingImport', { deletionMs: null, hasMaterial: false }),
  },
};

/** A real key and the driver's memory of when its deletion was scheduled (machine time 0). */
interface Driver {
  world: World;
  keyId: string;
  arn: string;
  scheduledAtMs: number | null;
}

async function newDriver(origin: 'AWS_KMS' | 'EXTERNAL'): Promise<Driver> {
  const world = await createWorld({ seed: 601 });
  const md = (await world.client('kms').send('CreateKey', { Origin: origin })).KeyMetadata;
  return { world, keyId: md.KeyId, arn: md.Arn, scheduledAtMs: null };
}

async function copyOf(d: Driver): Promise<Driver> {
  const world = await createWorld({ snapshot: JSON.parse(JSON.stringify(d.world.snapshot())) as WorldSnapshot });
  return { ...d, world };
}

/** Sends the API call for a machine event. Returns the AWS error, if any. */
async function apply(d: Driver, e: KeyLifecycleEvent): Promise<{ name: string; message: string } | null> {
  const kms = d.world.client('kms');
  try {
    switch (e.type) {
      case 'ENABLE':
        await kms.send('EnableKey', { KeyId: d.keyId });
        break;
      case 'DISABLE':
        await kms.send('DisableKey', { KeyId: d.keyId });
        break;
      case 'SCHEDULE_DELETION': {
        const out = await kms.send('ScheduleKeyDeletion', { KeyId: d.keyId, PendingWindowInDays: 7 });
        expect(out.DeletionDate.getTime() - d.world.clock.nowMs()).toBe(WINDOW);
        d.scheduledAtMs = d.world.clock.nowMs();
        break;
      }
      case 'CANCEL_DELETION':
        await kms.send('CancelKeyDeletion', { KeyId: d.keyId });
        d.scheduledAtMs = null;
        break;
      case 'CLOCK': {
        // Machine time t is world time scheduledAt + t; with nothing scheduled, a day passes.
        const target = d.scheduledAtMs === null ? d.world.clock.nowMs() + DAY : d.scheduledAtMs + e.nowMs;
        d.world.clock.advance(Math.max(0, target - d.world.clock.nowMs()));
        break;
      }
    }
    return null;
  } catch (err) {
    if (!isAwsError(err)) throw err;
    return { name: err.name, message: err.message };
  }
}

/** The key's state as the API reports it; 'Deleted' when DescribeKey says it does not exist. */
async function apiState(d: Driver): Promise<string> {
  try {
    return (await d.world.client('kms').send('DescribeKey', { KeyId: d.keyId })).KeyMetadata.KeyState;
  } catch (err) {
    if (isAwsError(err) && err.name === 'NotFoundException') {
      expect(err.message).toBe(`Key '${d.arn}' does not exist`);
      expect(d.world.kms.keys.has(d.arn)).toBe(false);
      return 'Deleted';
    }
    throw err;
  }
}

/** What the key-state table says when the machine refuses `e` in `state`. */
function tableError(state: string, e: KeyLifecycleEvent, arn: string): { name: string; message: string } {
  if (state === 'Deleted') return { name: 'NotFoundException', message: `Key '${arn}' does not exist` };
  if (e.type === 'CANCEL_DELETION') return { name: 'KMSInvalidStateException', message: `${arn} is not pending deletion.` };
  if (state === 'PendingDeletion') return { name: 'KMSInvalidStateException', message: `${arn} is pending deletion.` };
  if (state === 'PendingImport') return { name: 'KMSInvalidStateException', message: `${arn} is pending import.` };
  throw new Error(`the table has no refusal of ${e.type} in ${state}`);
}

/** Tries every event on a copy of the world in this state and compares with the machine. */
async function probeAll(d: Driver, state: KeyLifecycleSnapshot, seen: Set<string>): Promise<void> {
  for (const e of EVENTS) {
    const copy = await copyOf(d);
    const from = String(state.value);
    const accepted = state.status !== 'done' && state.can(e);
    const expected = accepted ? String(transition(keyLifecycleMachine, state, e)[0].value) : from;
    const err = await apply(copy, e);
    seen.add(`${from} --${label(e)}--> ${accepted ? expected : 'refused'}`);
    if (e.type === 'CLOCK' || accepted) {
      expect({ from, event: label(e), error: err }).toEqual({
        from,
        event: label(e),
        error: from === 'Deleted' && e.type !== 'CLOCK' ? tableError(from, e, d.arn) : null,
      });
    } else {
      expect({ from, event: label(e), error: err }).toEqual({ from, event: label(e), error: tableError(from, e, d.arn) });
    }
    expect({ from, event: label(e), state: await apiState(copy) }).toEqual({ from, event: label(e), state: expected });
  }
}

async function drive(path: Path, origin: 'AWS_KMS' | 'EXTERNAL', seen: Set<string>): Promise<string[]> {
  const d = await newDriver(origin);
  const trail: string[] = [];
  for (const step of path.steps) {
    if (!step.event.type.startsWith('xstate.')) {
      const err = await apply(d, step.event);
      expect({ trail, event: label(step.event), error: err }).toEqual({ trail, event: label(step.event), error: null });
    }
    trail.push(`${step.event.type.startsWith('xstate.') ? 'start' : label(step.event)}→${String(step.state.value)}`);
    expect({ trail, api: await apiState(d) }).toEqual({ trail, api: String(step.state.value) });
    // The service keeps the machine's context too: the deletion deadline.
    const key = d.world.kms.keys.get(d.arn);
    if (key) expect(key.deletionMs === undefined ? null : key.deletionMs - (d.scheduledAtMs ?? 0)).toEqual(step.state.context.deletionMs);
    await probeAll(d, step.state, seen);
  }
  return trail;
}

describe('the key lifecycle machine, walked by xstate/graph and driven through the API', () => {
  it('uses clock events, not delays (so the graph can be walked)', () => {
    for (const node of Object.values(keyLifecycleMachine.root.states)) expect(node.after).toEqual([]);
  });

  for (const [name, start] of Object.entries(STARTS)) {
    describe(name, () => {
      const opts = { events: EVENTS, ...(start.fromState ? { fromState: start.fromState } : {}) };
      const simple = getSimplePaths(keyLifecycleMachine, opts) as Path[];
      const shortest = getShortestPaths(keyLifecycleMachine, opts) as Path[];

      it('the graph reaches the states this key can be in', () => {
        const reached = new Set(simple.map((p) => String(p.state.value)));
        const expected =
          start.origin === 'AWS_KMS'
            ? ['Deleted', 'Disabled', 'Enabled', 'PendingDeletion']
            : ['Deleted', 'PendingDeletion', 'PendingImport'];
        expect([...reached].sort()).toEqual(expected);
        expect(new Set(shortest.map((p) => String(p.state.value)))).toEqual(reached);
      });

      it.each(
        simple.map(
          (p) =>
            [p.steps.map((s) => (s.event.type.startsWith('xstate.') ? String(s.state.value) : label(s.event))).join(' → '), p] as const,
        ),
      )('path %s', async (_, path) => {
        const seen = new Set<string>();
        await drive(path, start.origin, seen);
        expect(seen.size).toBeGreaterThan(0);
      });

      it('every (state, event) pair was checked against the API', async () => {
        const seen = new Set<string>();
        for (const p of shortest) await drive(p, start.origin, seen);
        const states = new Set([...seen].map((s) => s.split(' --')[0]));
        for (const s of states) for (const e of EVENTS) expect([...seen].some((x) => x.startsWith(`${s} --${label(e)}-->`))).toBe(true);
        // The interesting edges are among them.
        if (start.origin === 'AWS_KMS') {
          expect(seen).toContain('PendingDeletion --CANCEL_DELETION--> Disabled');
          expect(seen).toContain('PendingDeletion --CLOCK(-0.001s)--> refused');
          expect(seen).toContain('PendingDeletion --CLOCK(+0s)--> Deleted');
          expect(seen).toContain('Enabled --CANCEL_DELETION--> refused');
          expect(seen).toContain('Deleted --ENABLE--> refused');
        } else {
          expect(seen).toContain('PendingDeletion --CANCEL_DELETION--> PendingImport');
          expect(seen).toContain('PendingImport --ENABLE--> refused');
        }
      });
    });
  }
});
