/**
 * Our bridge from XState to Svelte 5 runes: reading `.snapshot` inside an effect or template
 * subscribes to the actor (through createSubscriber), so the UI updates on every transition
 * and unsubscribes when nothing reads it any more.
 */
import { createSubscriber } from 'svelte/reactivity';
import { createActor, type Actor, type AnyActorLogic, type EventFromLogic, type SnapshotFrom } from 'xstate';

export class ActorBridge<L extends AnyActorLogic> {
  readonly actor: Actor<L>;
  readonly #subscribe: () => void;

  constructor(logic: L, options?: Parameters<typeof createActor<L>>[1]) {
    this.actor = createActor(logic, options);
    this.actor.start();
    this.#subscribe = createSubscriber((update) => {
      const sub = this.actor.subscribe({ next: update, error: update, complete: update });
      return () => sub.unsubscribe();
    });
  }

  /** The actor's current snapshot; reactive when read in an effect or a template. */
  get snapshot(): SnapshotFrom<L> {
    this.#subscribe();
    return this.actor.getSnapshot();
  }

  send(event: EventFromLogic<L>): void {
    this.actor.send(event);
  }

  stop(): void {
    this.actor.stop();
  }
}

/** Wraps an actor someone else created (and started). */
export function bridge<L extends AnyActorLogic>(actor: Actor<L>): { readonly snapshot: SnapshotFrom<L> } {
  const subscribe = createSubscriber((update) => {
    const sub = actor.subscribe({ next: update, error: update, complete: update });
    return () => sub.unsubscribe();
  });
  return {
    get snapshot() {
      subscribe();
      return actor.getSnapshot();
    },
  };
}
