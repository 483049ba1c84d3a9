/** The abstraction gives the spec's variables in the spec's own shape and order. */

import * as O from "fp-ts/lib/Option.js";
import { describe, expect, it } from "vitest";
import { abstractState } from "../../src/core/variables.js";
import { variables } from "../../src/locks/abstraction.js";
import { initState } from "../../src/locks/init.js";
import { perform } from "../../src/locks/service.js";
import { noBugs, type State } from "../../src/locks/types.js";

const env = {
  clients: ["c1", "c2"],
  locks: ["l1"],
  modes: ["exclusive", "shared"] as const,
  lease: 2,
  grace: 1,
  lockDelay: 1,
  drift: 0,
  bugs: noBugs,
};
const fnOf = (pairs: ReadonlyArray<readonly [string, unknown]>) => ({ "#map": pairs });

describe("the abstraction to Locks.tla's variables", () => {
  it("lists the VARIABLES line in order", () => {
    expect(variables.map((v) => v.name).join(", ")).toBe(
      "now, clock, session, lease, loggedLease, holders, mode, gen, waiting, delayUntil, cs, expiry, ka, kaSent, held, requests, grants, writes, resource",
    );
  });

  it("gives Init as the spec has it", () => {
    const a = abstractState(variables, initState(env));
    expect(a.now).toBe(0);
    expect(a.session).toEqual(
      fnOf([
        ["c1", "none"],
        ["c2", "none"],
      ]),
    );
    expect(a.holders).toEqual(fnOf([["l1", { "#set": [] }]]));
    expect(a.mode).toEqual(fnOf([["l1", "none"]]));
    expect(a.held).toEqual(
      fnOf([
        ["c1", fnOf([["l1", 0]])],
        ["c2", fnOf([["l1", 0]])],
      ]),
    );
    expect(a.requests).toEqual({ "#set": [] });
    expect(a.resource).toEqual(fnOf([["l1", { client: "none", gen: 0, stale: false }]]));
  });

  it("gives messages and waiters as records with the spec's fields", () => {
    const step = (s: State, a: Parameters<typeof perform>[1]) =>
      O.getOrElseW(() => expect.unreachable(`${a.name} not enabled`))(perform(s, a));
    let s = step(initState(env), { name: "CreateSession", c: "c1" });
    s = step(s, { name: "Acquire", c: "c1", l: "l1", m: "shared" });
    expect(abstractState(variables, s).waiting).toEqual(
      fnOf([["l1", { "#set": [{ client: "c1", mode: "shared" }] }]]),
    );
    s = step(s, { name: "GrantLock", l: "l1", w: { client: "c1", mode: "shared" } });
    const a = abstractState(variables, s);
    expect(a.grants).toEqual({ "#set": [{ client: "c1", lock: "l1", gen: 1 }] });
    expect(a.holders).toEqual(fnOf([["l1", { "#set": ["c1"] }]]));
    expect(O.isNone(perform(s, { name: "Release", c: "c1", l: "l1" }))).toBe(true);
  });
});
