/**
 * The life of a KMS key as an XState machine. The machine is the rule: KMS asks it whether a
 * lifecycle request (enable, disable, schedule or cancel deletion) is allowed and what state
 * follows, and the page draws its lifecycle chart from this definition.
 *
 * Time reaches the machine only as CLOCK events carrying the virtual time; the deletion
 * deadline lives in context. No `after` delays, so xstate/graph can walk every path.
 */
import { setup, assign, type SnapshotFrom } from 'xstate';
import type { KeyState } from './shapes';

export interface KeyLifecycleContext {
  /** Virtual ms when a key pending deletion is deleted. */
  deletionMs: number | null;
  /** Whether the key has key material (EXTERNAL keys start without). */
  hasMaterial: boolean;
}

export type KeyLifecycleEvent =
  | { type: 'ENABLE' }
  | { type: 'DISABLE' }
  | { type: 'SCHEDULE_DELETION'; deletionMs: number }
  | { type: 'CANCEL_DELETION' }
  | { type: 'CLOCK'; nowMs: number };

export const keyLifecycleMachine = setup({
  types: {
    context: {} as KeyLifecycleContext,
    events: {} as KeyLifecycleEvent,
    input: {} as Partial<KeyLifecycleContext>,
  },
  guards: {
    deadlinePassed: ({ context, event }) => event.type === 'CLOCK' && context.deletionMs !== null && event.nowMs >= context.deletionMs,
    hasMaterial: ({ context }) => context.hasMaterial,
  },
  actions: {
    setDeadline: assign({ deletionMs: ({ event }) => (event.type === 'SCHEDULE_DELETION' ? event.deletionMs : null) }),
    clearDeadline: assign({ deletionMs: null }),
  },
}).createMachine({
  id: 'kmsKey',
  context: ({ input }) => ({ deletionMs: input?.deletionMs ?? null, hasMaterial: input?.hasMaterial ?? true }),
  initial: 'Enabled',
  states: {
    Enabled: {
      description: 'Usable for cryptographic operations.',
      on: {
        DISABLE: 'Disabled',
        ENABLE: 'Enabled',
        SCHEDULE_DELETION: { target: 'PendingDeletion', actions: 'setDeadline' },
      },
    },
    Disabled: {
      description: 'Kept, but every cryptographic operation fails with DisabledException.',
      on: {
        ENABLE: 'Enabled',
        DISABLE: 'Disabled',
        SCHEDULE_DELETION: { target: 'PendingDeletion', actions: 'setDeadline' },
      },
    },
    PendingImport: {
      description: 'An EXTERNAL key waiting for its key material.',
      on: {
        SCHEDULE_DELETION: { target: 'PendingDeletion', actions: 'setDeadline' },
      },
    },
    PendingDeletion: {
      description: 'Unusable; deleted for good when the waiting period (7-30 days) ends, unless cancelled.',
      on: {
        // Cancelling returns a key to Disabled, never straight to Enabled.
        CANCEL_DELETION: [
          { guard: 'hasMaterial', target: 'Disabled', actions: 'clearDeadline' },
          { target: 'PendingImport', actions: 'clearDeadline' },
        ],
        CLOCK: { guard: 'deadlinePassed', target: 'Deleted' },
      },
    },
    Deleted: {
      description: 'The key, its material and its aliases are gone; its ciphertexts can never be decrypted.',
      type: 'final',
    },
  },
});

export type KeyLifecycleSnapshot = SnapshotFrom<typeof keyLifecycleMachine>;
export type LifecycleState = KeyState | 'Deleted';

/** The machine's snapshot for a stored key. */
export function lifecycleSnapshot(state: KeyState, ctx: KeyLifecycleContext): KeyLifecycleSnapshot {
  return keyLifecycleMachine.resolveState({ value: state, context: ctx });
}
