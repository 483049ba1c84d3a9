/**
 * Each test-only bug switch, on, reaches a state that breaks the spec invariant its bug model
 * (spec/mencius/MCMenciusBug*.cfg) violates, in a scripted run; the same script with the switch
 * off keeps every invariant.
 */
import * as O from "fp-ts/lib/Option.js";
import { describe, expect, it } from "vitest";
import { type Action, type Cluster, perform } from "../../src/mencius/cluster.js";
import { type InvariantName, violatedInvariants } from "../../src/mencius/invariants.js";
import type { Bugs } from "../../src/mencius/types.js";
import { deliver, env, exec, executeAll, fresh, to } from "./helpers.js";

/** The action if enabled, else the cluster as it is (a script runs with the bug on and off). */
const attempt = (c: Cluster, a: Action): Cluster =>
  O.match(
    () => c,
    (s: { next: Cluster }) => s.next,
  )(perform(c, a));

type Script = (bugs: Partial<Bugs>) => Cluster;

const scripts: Record<keyof Bugs, readonly [InvariantName, Script]> = {
  // v1 is chosen at ballot 0 (s1, s2); s3 revokes instance 1 and votes the no-op without a read.
  revokeWithoutRead: [
    "ChosenIsKept",
    (bugs) => {
      let c = exec(fresh(env({ bugs })), { name: "Suggest", p: "s1", v: "v1" });
      c = deliver(c, to("s2", "suggest"));
      c = exec(c, { name: "Skip", p: "s3" });
      return exec(c, { name: "Revoke", p: "s3", i: 1 });
    },
  ],
  // s1 skips instance 1 (the others learn the no-op), then suggests v1 in it.
  suggestSkipped: [
    "OwnerNeverSuggestsSkipped",
    (bugs) => {
      let c = exec(fresh(env({ bugs })), { name: "Skip", p: "s1" });
      c = deliver(c, to("s2", "skip"));
      return exec(c, { name: "Suggest", p: "s1", v: "v1" });
    },
  ],
  // s2 executes its v2 (instance 2) before instance 1 is learned; s1 then executes v1 first.
  executeEarly: [
    "ExecutedPrefixAgree",
    (bugs) => {
      let c = exec(fresh(env({ bugs })), { name: "Suggest", p: "s2", v: "v2" });
      c = deliver(c, to("s3", "suggest"));
      c = deliver(c, to("s2", "accept"));
      c = attempt(c, { name: "Execute", p: "s2" });
      c = exec(c, { name: "Suggest", p: "s1", v: "v1" });
      c = deliver(c, to("s3", "suggest"));
      c = deliver(c, to("s1", "accept"));
      return executeAll(c, "s1");
    },
  ],
  // s2 promises s3's ballot 3 without recording it, then accepts s1's late SUGGEST: v1 is
  // chosen at ballot 0 while s3's phase 1 (s3 and s2, neither voted) proposes the no-op.
  noPromise: [
    "ChosenIsKept",
    (bugs) => {
      let c = exec(fresh(env({ bugs })), { name: "Suggest", p: "s1", v: "v1" });
      c = exec(c, { name: "Skip", p: "s3" });
      c = exec(c, { name: "Revoke", p: "s3", i: 1 });
      c = deliver(c, to("s2", "prepare"));
      c = deliver(c, to("s2", "suggest"));
      return deliver(c, to("s3", "promise"));
    },
  ],
};

describe("the Mencius bug switches", () => {
  for (const [bug, [invariant, script]] of Object.entries(scripts) as [
    keyof Bugs,
    readonly [InvariantName, Script],
  ][]) {
    it(`${bug} on breaks ${invariant}; off, the same script keeps every invariant`, () => {
      expect(violatedInvariants(script({ [bug]: true }))).toContain(invariant);
      expect(violatedInvariants(script({}))).toEqual([]);
    });
  }
});
