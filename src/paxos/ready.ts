/**
 * The work a PMMC process's transition leaves for its runtime, as one batch in a fixed order
 * (etcd's `Ready`): first the persistent state to write (a leader's ballot, an acceptor's
 * ballot and pvalues), then the messages to send, then the performed operations to apply.
 * Nothing may leave the process before its persist is durable: an acceptor that answers a P1a
 * promises not to accept lower ballots, and a P2b says a pvalue is held; both must survive a
 * crash, as must the ballot a leader's P1a or P2a carries. The simulator performs a batch on a
 * simulated disk and network; a real runtime with fsync and sockets. The network's `discard`
 * (a message consumed) needs no work from the process.
 */
import * as O from "fp-ts/lib/Option.js";
import type { ValueId } from "../core/ids.js";
import type { AcceptorPersistent, Effect, LeaderPersistent, Message } from "./types.js";

/** What a process writes to disk: a leader's or an acceptor's persistent state. */
export type Persist =
  | { readonly role: "leader"; readonly state: LeaderPersistent }
  | { readonly role: "acceptor"; readonly state: AcceptorPersistent };

export interface Ready {
  /** The persistent state to make durable first (the latest, when several steps wrote it). */
  readonly persist: O.Option<Persist>;
  /** Then these messages, in order. */
  readonly messages: ReadonlyArray<Message>;
  /** Then these performed client operations, in slot order. */
  readonly apply: ReadonlyArray<{ readonly slot: number; readonly op: ValueId }>;
}

export const emptyReady: Ready = { persist: O.none, messages: [], apply: [] };

/** A batch that does `a`'s work and then `b`'s: one persist (the later state), sends, applies. */
export const concatReady = (a: Ready, b: Ready): Ready => ({
  persist: O.isSome(b.persist) ? b.persist : a.persist,
  messages: [...a.messages, ...b.messages],
  apply: [...a.apply, ...b.apply],
});

/** The batch of one transition's effects. */
export function readyOf(effects: ReadonlyArray<Effect>): Ready {
  let persist: O.Option<Persist> = O.none;
  const messages: Message[] = [];
  const apply: { slot: number; op: ValueId }[] = [];
  for (const e of effects)
    switch (e.type) {
      case "persistLeader":
        persist = O.some({ role: "leader", state: e.state });
        break;
      case "persistAcceptor":
        persist = O.some({ role: "acceptor", state: e.state });
        break;
      case "send":
        messages.push(e.message);
        break;
      case "apply":
        apply.push({ slot: e.slot, op: e.op });
        break;
      case "discard":
        break;
    }
  return { persist, messages, apply };
}
