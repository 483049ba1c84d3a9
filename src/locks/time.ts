/**
 * Time (Locks.tla, "Time"): real time advances one tick, and each client's clock by 0, 1 or 2
 * while it stays within Drift of real time. Tick's successor is not a function of the state:
 * the clocks are its parameter, and `successorClocks` lists every choice the spec allows.
 */

import { pipe } from "fp-ts/lib/function.js";
import type * as O from "fp-ts/lib/Option.js";
import * as RA from "fp-ts/lib/ReadonlyArray.js";
import { clientOf, max, when } from "./operators.js";
import type { ClientId, State } from "./types.js";

/** The clocks a client may read after the tick: clock[c]..clock[c]+2, within Drift of now+1. */
const clockRange = (s: State, c: ClientId): ReadonlyArray<number> => {
  const t = s.now + 1;
  const lo = max(clientOf(s, c).clock, max(0, t - s.env.drift));
  const hi = Math.min(clientOf(s, c).clock + 2, t + s.env.drift);
  return lo > hi ? [] : RA.makeBy(hi - lo + 1, (k) => lo + k);
};

/** Every clock' of Tick: one reading per client, each in its range (a product of ranges). */
export const successorClocks = (s: State): ReadonlyArray<ReadonlyMap<ClientId, number>> =>
  pipe(
    s.env.clients,
    RA.reduce(RA.of<ReadonlyArray<readonly [ClientId, number]>>([]), (acc, c) =>
      pipe(
        acc,
        RA.flatMap((prefix) =>
          pipe(
            clockRange(s, c),
            RA.map((v) => [...prefix, [c, v] as const]),
          ),
        ),
      ),
    ),
    RA.map((pairs) => new Map(pairs)),
  );

/** Tick, with the clocks it chose: now + 1, each clock as `clocks` says. */
export const tick = (s: State, clocks: ReadonlyMap<ClientId, number>): O.Option<State> =>
  when(
    s.env.clients.every((c) =>
      pipe(
        clockRange(s, c),
        RA.elem({ equals: (a: number, b: number) => a === b })(clocks.get(c) ?? -1),
      ),
    ),
    () => ({
      ...s,
      now: s.now + 1,
      clients: new Map(
        [...s.clients].map(([c, x]) => [c, { ...x, clock: clocks.get(c) ?? x.clock }] as const),
      ),
    }),
  );
