/**
 * The flow animation player as an XState machine: which hop of a call's trace is playing,
 * paused, stepped or done, and at what speed. The stage reads it through our runes bridge
 * and plays one hop per HOP_DONE; the machine decides what comes next.
 */
import { assign, setup } from 'xstate';

export interface PlayerContext {
  /** How many hops the loaded trace has. */
  hops: number;
  /** The hop being played (hops when done). */
  index: number;
  /** Animation speed multiplier. */
  speed: number;
  /** Increments on each LOAD/REPLAY, so the stage can tell runs apart. */
  run: number;
}

export type PlayerEvent =
  | { type: 'LOAD'; hops: number }
  | { type: 'HOP_DONE' }
  | { type: 'PAUSE' }
  | { type: 'RESUME' }
  | { type: 'STEP' }
  | { type: 'SKIP' }
  | { type: 'REPLAY' }
  | { type: 'SPEED'; speed: number };

export const SPEEDS = [0.5, 1, 2, 4] as const;

export const flowPlayerMachine = setup({
  types: { context: {} as PlayerContext, events: {} as PlayerEvent, input: {} as { speed?: number } },
  guards: {
    lastHop: ({ context }) => context.index + 1 >= context.hops,
    hasHops: ({ event }) => event.type === 'LOAD' && event.hops > 0,
  },
  actions: {
    load: assign(({ context, event }) => ({ hops: event.type === 'LOAD' ? event.hops : context.hops, index: 0, run: context.run + 1 })),
    restart: assign(({ context }) => ({ index: 0, run: context.run + 1 })),
    next: assign(({ context }) => ({ index: context.index + 1 })),
    finish: assign(({ context }) => ({ index: context.hops })),
    speed: assign(({ context, event }) => ({ speed: event.type === 'SPEED' && event.speed > 0 ? event.speed : context.speed })),
  },
}).createMachine({
  id: 'flowPlayer',
  context: ({ input }) => ({ hops: 0, index: 0, speed: input?.speed ?? 1, run: 0 }),
  initial: 'idle',
  on: {
    LOAD: [
      { guard: 'hasHops', target: '.playing', actions: 'load' },
      { target: '.idle', actions: 'load' },
    ],
    SPEED: { actions: 'speed' },
  },
  states: {
    idle: { description: 'Nothing loaded.' },
    playing: {
      description: 'The token travels hop after hop.',
      on: {
        HOP_DONE: [{ guard: 'lastHop', target: 'done', actions: 'finish' }, { actions: 'next' }],
        PAUSE: 'paused',
        SKIP: { target: 'done', actions: 'finish' },
      },
    },
    stepping: {
      description: 'Plays one hop, then pauses.',
      on: {
        HOP_DONE: [
          { guard: 'lastHop', target: 'done', actions: 'finish' },
          { target: 'paused', actions: 'next' },
        ],
        SKIP: { target: 'done', actions: 'finish' },
      },
    },
    paused: {
      description: 'Stopped at a hop; step or resume.',
      on: {
        // The hop under way when PAUSE came still ends; the player then waits at the next one.
        HOP_DONE: [{ guard: 'lastHop', target: 'done', actions: 'finish' }, { actions: 'next' }],
        RESUME: 'playing',
        STEP: 'stepping',
        SKIP: { target: 'done', actions: 'finish' },
      },
    },
    done: {
      description: 'The whole trace is shown.',
      on: { REPLAY: { target: 'playing', actions: 'restart' } },
    },
  },
});
