/**
 * The work a server's transitions leave for its runtime, as one batch in a fixed order (etcd's
 * `Ready`): first the persistent state to write (hard state and log), then the messages to
 * send, then the committed entries to apply. Nothing may leave the server before its persist is
 * durable: a vote or an entry a message announces must survive a crash. The simulator performs
 * a batch on a simulated disk and network, the real runtime with fsync and TCP.
 */
import * as O from "fp-ts/lib/Option.js";
import type { Effect, Entry, Message, PersistentState, Snapshot } from "./types.js";

export interface Ready {
  /** The persistent state to make durable first (the latest, when several steps wrote it). */
  readonly persist: O.Option<PersistentState>;
  /** Then these messages, in order. */
  readonly messages: ReadonlyArray<Message>;
  /** The state machine starts again from scratch (a restart) before the entries are applied. */
  readonly reset: boolean;
  /** … and then from this snapshot's value (an installed snapshot, or a restart from one). */
  readonly restore: O.Option<Snapshot>;
  /** Then these committed entries, in index order. */
  readonly apply: ReadonlyArray<{ readonly index: number; readonly entry: Entry }>;
}

export const emptyReady: Ready = {
  persist: O.none,
  messages: [],
  reset: false,
  restore: O.none,
  apply: [],
};

/** A batch that does `a`'s work and then `b`'s: one persist (the later state), sends, applies. */
export const concatReady = (a: Ready, b: Ready): Ready => ({
  persist: O.isSome(b.persist) ? b.persist : a.persist,
  messages: [...a.messages, ...b.messages],
  reset: a.reset || b.reset,
  restore: O.isSome(b.restore) || b.reset ? b.restore : a.restore,
  apply: b.reset || O.isSome(b.restore) ? b.apply : [...a.apply, ...b.apply],
});

/**
 * The batch of one transition's effects; `discard` is the network's (a message consumed) and
 * needs no work from the server.
 */
export function readyOf(effects: ReadonlyArray<Effect>): Ready {
  let persist: O.Option<PersistentState> = O.none;
  const messages: Message[] = [];
  let apply: { index: number; entry: Entry }[] = [];
  let reset = false;
  let restore: O.Option<Snapshot> = O.none;
  for (const e of effects)
    switch (e.type) {
      case "persist":
        persist = O.some(e.state);
        break;
      case "send":
        messages.push(e.message);
        break;
      case "apply":
        apply.push({ index: e.index, entry: e.entry });
        break;
      case "reset":
        reset = true;
        restore = O.none;
        apply = [];
        break;
      case "restore":
        restore = O.some(e.snapshot);
        apply = [];
        break;
      case "discard":
        break;
    }
  return { persist, messages, reset, restore, apply };
}

/**
 * What a durable log must write to go from persisted state `from` to `to`: the hard state if it
 * changed, and the log suffix from the first index where the two logs differ (entries are
 * immutable values, so a shared prefix is the same objects).
 */
export interface PersistDelta {
  readonly hardState: O.Option<{ readonly currentTerm: number; readonly votedFor: string | null }>;
  /** Truncate the log to `from - 1` entries, then append `entries`; None: the log is unchanged. */
  readonly entries: O.Option<{ readonly from: number; readonly entries: ReadonlyArray<Entry> }>;
}

export function persistDelta(from: PersistentState, to: PersistentState): PersistDelta {
  const vote = (p: PersistentState) => (O.isSome(p.votedFor) ? p.votedFor.value : null);
  const hardState =
    from.currentTerm !== to.currentTerm || vote(from) !== vote(to)
      ? O.some({ currentTerm: to.currentTerm, votedFor: vote(to) })
      : O.none;
  let k = 0;
  const a = from.log;
  const b = to.log;
  if (a !== b) while (k < a.length && k < b.length && a[k] === b[k]) k++;
  const same = a === b || (k === a.length && k === b.length);
  return {
    hardState,
    entries: same ? O.none : O.some({ from: k + 1, entries: b.slice(k) }),
  };
}
