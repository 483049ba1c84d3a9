/**
 * MCMultiPaxos.tla over the implementation: its client requests (Request: FreshRequest and,
 * with PairRequests, one command of its own per replica), the Collect switch
 * (MCReportExecuted), fault switches (FaultRestartLeader,
 * FaultDropMessage, FaultDuplicateMessage) and StateConstraint around the cluster's own enabled
 * actions, for graph equality with the spec and the explorer (src/conform).
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
import { UserError } from "../core/errors.js";
import { type Action, type Cluster, enabled, initCluster, perform } from "./cluster.js";
import { invariantNames, violatedInvariants } from "./invariants.js";
import { type Bugs, bugNames, type Command, type Env } from "./types.js";
import { command } from "./values.js";

/** The fault an action is, in MCMultiPaxos's Faults, if it is one. */
const faultOf: Partial<Record<Action["name"], string>> = {
  RestartLeader: "restart",
  DropMessage: "drop",
  DuplicateMessage: "duplicate",
  // MCResendPropose(r, p) == "drop" \in Faults /\ ResendPropose(r, p).
  ResendPropose: "drop",
};

function build(c0: ModelConstants, forced: ReadonlyArray<string>, relations: Relations) {
  expectRelations(relations, {
    init: ["Init"],
    next: ["MCNext"],
    constraints: ["StateConstraint"],
  });
  const c = constants(c0);
  const on = new Set([...bugsOn(c0), ...forced]);
  const bugs = Object.fromEntries(bugNames.map((b) => [b, on.has(b)])) as unknown as Bugs;
  const replicas = c.strings("Replica");
  const env: Env = {
    acceptors: c.strings("Acceptor"),
    leaderOrder: inOrder(c.strings("Leader"), c.stringSets("LeaderOrder")),
    replicas,
    initLeaders: c.strings("InitLeaders"),
    window: c.int("Window"),
    bugs,
  };
  const values = c.strings("Value");
  // Commands == {Op(v) : v \in Value} \cup {Reconfig(S) : S \in NewLeaderSets}.
  const commands: Command[] = [
    ...values.map((v): Command => ({ op: v, leaders: [] })),
    ...c.stringSets("NewLeaderSets").map((s): Command => ({ op: null, leaders: s })),
  ];
  const faults = new Set(c.strings("Faults"));
  const maxRound = c.int("MaxRound");
  const maxSlot = c.int("MaxSlot");
  const maxMessages = c.int("MaxMessages");
  const pair = c.bool("PairRequests");
  // MCReportExecuted(r) == Collect /\ ReportExecuted(r).
  const collect = c.bool("Collect");
  // Pair == CHOOSE f \in [Replica -> Value] : f one-to-one; TLC's choice pairs them in order.
  if (pair && values.length < replicas.length)
    throw new UserError("PairRequests needs at least as many values as replicas");
  const own = (r: string) => command.json({ op: values[replicas.indexOf(r)] ?? "", leaders: [] });
  /** Request(r, c): Pair's command with PairRequests, and FreshRequest. */
  const request = (s: Cluster, r: string, cmd: Command): boolean => {
    const key = command.json(cmd);
    if (pair && key !== own(r)) return false;
    const replica = s.replicas.get(r);
    if (replica === undefined || replica.requests.length > 0 || replica.slotIn > maxSlot)
      return false;
    return [...s.replicas.values()].every(
      (q) =>
        q.requests.every((x) => command.json(x) !== key) &&
        [...q.proposals, ...q.decisions].every((e) => command.json(e.cmd) !== key),
    );
  };
  const model: ImplModel<Cluster, Action> = {
    init: [initCluster(env)],
    next: (s) => {
      const out: Successor<Cluster, Action>[] = [];
      for (const a of enabled(s, { commands })) {
        if (a.name === "ClientRequest" && !request(s, a.r, a.c)) continue;
        if (a.name === "ReportExecuted" && !collect) continue;
        const f = faultOf[a.name];
        if (f !== undefined && !faults.has(f)) continue;
        const r = perform(s, a);
        if (O.isSome(r)) out.push({ action: a, next: r.value.next });
      }
      return out;
    },
    within: (s) =>
      [...s.leaders.values()].every((l) => l.persistent.ballotNum.round <= maxRound) &&
      [...s.replicas.values()].every((r) => r.slotIn <= maxSlot + 1) &&
      s.messages.size <= maxMessages,
    violated: (s) => violatedInvariants(s, invariantNames),
  };
  return model;
}

export const paxosModel: ModelHook = {
  build,
  cases: [
    {
      // One acceptor, so that slot 2 can be decided before slot 1 (the implementation's
      // switch performs the lowest decided slot; on the control's own bounds that is never
      // one past an undecided slot).
      model: "MCMultiPaxosBugExecuteOutOfOrder/control",
      constants: { Acceptor: "{a1}", Window: "2", MaxSlot: "2", MaxMessages: "3" },
      bugs: ["executeOutOfOrder"],
    },
    {
      // One leader that restarts into round 1, two acceptors, one replica, two messages in
      // flight (236 states).
      model: "MCMultiPaxosBugExecuteOutOfOrder/control",
      constants: {
        Acceptor: "{a1, a2}",
        Replica: "{r1}",
        Window: "1",
        MaxRound: "1",
        MaxSlot: "1",
        MaxMessages: "2",
        Faults: '{"restart"}',
      },
      bugs: ["minorityAdoption", "ignorePvalues", "keepLowerPvalue"],
    },
    {
      // The P2b bug model's bounds (one leader at rounds 0 and 1, so two commanders of one
      // leader on one slot) with three messages in flight instead of four (519 states).
      model: "MCMultiPaxosBugP2bForAnyCommander/control",
      constants: { MaxMessages: "3" },
      bugs: ["p2bForAnyCommander", "acceptLowerBallot"],
    },
    {
      // Garbage collection: one leader, one acceptor, two replicas; one slot, so that r1
      // executes and reports it while r2 has not; one command.
      model: "MCMultiPaxosBugCollectUnexecuted/control",
      constants: { MaxSlot: "1", Value: "{v1}", PairRequests: "FALSE" },
      bugs: ["collectUnexecuted"],
    },
  ],
  explore: [{ label: "MCMultiPaxos (TLC's reach)", model: "MCMultiPaxos" }],
};
