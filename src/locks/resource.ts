/**
 * The downstream resource (Locks.tla, "The downstream resource"): a client that believes it
 * holds a lock sends a write with the lock's sequencer; the resource checks the sequencer with
 * the service (CheckSequencer) and applies or refuses the write.
 */
import type * as O from "fp-ts/lib/Option.js";
import { mapWith } from "../core/maps.js";
import { believes, clientOf, current, heldOf, when } from "./operators.js";
import type { ClientId, LockId, State, Write } from "./types.js";
import { messages } from "./values.js";

/** SendWrite(c, l): c, believing it holds l, sends a write with the sequencer (l, held[c][l]). */
export const sendWrite = (s: State, c: ClientId, l: LockId): O.Option<State> =>
  when(believes(s, c, l), () => ({
    ...s,
    network: {
      ...s.network,
      writes: messages.add(s.network.writes, {
        client: c,
        lock: l,
        gen: heldOf(clientOf(s, c), l),
      }),
    },
  }));

/** AcceptWrite(w): the sequencer is current (or nothing is checked), so the write applies. */
export const acceptWrite = (s: State, w: Write): O.Option<State> =>
  when(
    messages.has(s.network.writes, w) &&
      (s.env.bugs.noFencing || current(s, w.client, w.lock, w.gen)),
    () => ({
      ...s,
      network: { ...s.network, writes: messages.remove(s.network.writes, w) },
      resource: mapWith(s.resource, w.lock, {
        client: w.client,
        gen: w.gen,
        stale: !current(s, w.client, w.lock, w.gen),
      }),
    }),
  );

/** RejectWrite(w): the resource checks the sequencer and refuses a stale one. */
export const rejectWrite = (s: State, w: Write): O.Option<State> =>
  when(
    messages.has(s.network.writes, w) &&
      !s.env.bugs.noFencing &&
      !current(s, w.client, w.lock, w.gen),
    () => ({ ...s, network: { ...s.network, writes: messages.remove(s.network.writes, w) } }),
  );
