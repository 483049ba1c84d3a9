/**
 * MCMencius.tla over the implementation: its wrappers (FreshSuggest, BoundedSkip,
 * BoundedRevoke), fault switches (FaultRestart, FaultDropMessage, FaultDuplicateMessage) and
 * StateConstraint around the cluster's own enabled actions, for graph equality with the spec
 * and the explorer (src/conform).
 */
import * as O from "fp-ts/lib/Option.js";
import type {
  ImplModel,
  ModelConstants,
  ModelHook,
  Relations,
  Successor,
} from "../conform/model.js";
import { bugsOn, constants, expectRelations, inOrder } from "../conform/model.js";
import { type Action, type Cluster, enabled, initCluster, perform } from "./cluster.js";
import { invariantNames, violatedInvariants } from "./invariants.js";
import { nextOf, promisedAt } from "./operators.js";
import { type Bugs, bugNames, noBugs, type ServerState } from "./types.js";

/** The fault an action is, in MCMencius's Faults, if it is one. */
const faultOf: Partial<Record<Action["name"], string>> = {
  Restart: "restart",
  DropMessage: "drop",
  DuplicateMessage: "duplicate",
};

function build(c0: ModelConstants, forced: ReadonlyArray<string>, relations: Relations) {
  expectRelations(relations, {
    init: ["Init"],
    next: ["MCNext"],
    constraints: ["StateConstraint"],
  });
  const c = constants(c0);
  const on = new Set([...bugsOn(c0), ...forced]);
  const bugs: Bugs = {
    ...noBugs,
    ...(Object.fromEntries(bugNames.map((b) => [b, on.has(b)])) as unknown as Bugs),
  };
  const env = { servers: inOrder(c.strings("Server"), c.stringSets("ServerOrder")), bugs };
  const inputs = { values: c.strings("Value") };
  const faults = new Set(c.strings("Faults"));
  const revokers = new Set(c.strings("Revokers"));
  const maxInstance = c.int("MaxInstance");
  const maxBallot = c.int("MaxBallot");
  const maxMessages = c.int("MaxMessages");
  const server = (s: Cluster, p: string) => s.servers.get(p) as ServerState;
  /** SuggestAt(p). */
  const suggestAt = (p: ServerState) =>
    bugs.suggestSkipped ? [p.durable.nextInst, ...p.durable.skipped] : [p.durable.nextInst];
  /** The MC wrapper's extra conditions on an action. */
  const admitted = (s: Cluster, a: Action): boolean => {
    switch (a.name) {
      case "Suggest":
        // FreshSuggest: within MaxInstance, and v accepted nowhere yet.
        return (
          suggestAt(server(s, a.p)).some((i) => i <= maxInstance) &&
          [...s.servers.values()].every((x) =>
            [...x.durable.accepted.values()].every((vote) => vote.val !== a.v),
          )
        );
      case "Skip":
        return server(s, a.p).durable.nextInst <= maxInstance;
      case "Revoke":
        return (
          revokers.has(a.p) &&
          a.i <= maxInstance &&
          nextOf(env, a.p, promisedAt(server(s, a.p).durable, a.i)) <= maxBallot
        );
      default: {
        const f = faultOf[a.name];
        return f === undefined || faults.has(f);
      }
    }
  };
  const model: ImplModel<Cluster, Action> = {
    init: [initCluster(env)],
    next: (s) => {
      const out: Successor<Cluster, Action>[] = [];
      for (const a of enabled(s, inputs)) {
        if (!admitted(s, a)) continue;
        const r = perform(s, a);
        if (O.isSome(r)) out.push({ action: a, next: r.value.next });
      }
      return out;
    },
    within: (s) => s.messages.size <= maxMessages,
    violated: (s) => violatedInvariants(s, invariantNames),
  };
  return model;
}

export const menciusModel: ModelHook = {
  build,
  cases: [
    // MCMencius with two messages in flight (27 states; at its own bounds npm run tlc compares it).
    {
      model: "MCMencius",
      constants: { MaxMessages: "2" },
      bugs: ["revokeWithoutRead", "noPromise"],
    },
    { model: "MCMenciusBugSuggestSkipped/control", bugs: ["suggestSkipped"] },
    { model: "MCMenciusBugExecuteEarly/control", bugs: ["executeEarly"] },
  ],
  explore: [{ label: "MCMenciusFaults (TLC's reach)", model: "MCMenciusFaults" }],
};
