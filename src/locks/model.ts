/**
 * MCLocks.tla over the implementation: its bounds (BoundedTick, StateConstraint), OpenAtStart,
 * the KeepAlivers and Writers, and the fault switches (FaultLoseKeepAlive, FaultLoseRequest,
 * FaultLoseGrant, FaultHandleReleaseCopy, FaultFailover) around the service's own enabled
 * actions, for the explorer and, once the protocol is registered, graph equality (`build` has
 * the shape of a ModelHook's).
 */
import type {
  ImplModel,
  ModelConstants,
  ModelHook,
  Relations,
  Successor,
} from "../conform/model.js";
import { bugsOn, constants, expectRelations } from "../conform/model.js";
import { initState } from "./init.js";
import { type InvariantName, invariantNames, violatedInvariants } from "./invariants.js";
import { lockOf } from "./operators.js";
import { type Action, steps } from "./service.js";
import { type Bugs, bugNames, type Env, type LockMode, noBugs, type State } from "./types.js";

/** The fault an action is, in MCLocks's Faults, if it is one. */
const faultOf: Partial<Record<Action["name"], string>> = {
  LoseKeepAlive: "loss",
  LoseRequest: "loss",
  LoseGrant: "loss",
  HandleReleaseCopy: "duplicate",
  Failover: "failover",
};

const modes = (xs: ReadonlyArray<string>): ReadonlyArray<LockMode> =>
  xs.map((m) => {
    if (m !== "exclusive" && m !== "shared")
      throw new Error(`Mode: ${m} is neither "exclusive" nor "shared"`);
    return m;
  });

/** The Env of a model's constants, with the bug switches `forced` on besides the cfg's. */
export function envOf(c0: ModelConstants, forced: ReadonlyArray<string> = []): Env {
  const c = constants(c0);
  const on = new Set([...bugsOn(c0), ...forced]);
  const bugs: Bugs = {
    ...noBugs,
    ...(Object.fromEntries(bugNames.map((b) => [b, on.has(b)])) as unknown as Bugs),
  };
  return {
    clients: c.strings("Client"),
    locks: c.strings("Lock"),
    modes: modes(c.strings("Mode")),
    lease: c.int("Lease"),
    grace: c.int("Grace"),
    lockDelay: c.int("LockDelay"),
    drift: c.int("Drift"),
    bugs,
  };
}

export interface BuildOptions {
  /** The invariants `violated` checks (default: all but the witness). */
  readonly invariants?: ReadonlyArray<InvariantName>;
}

export function build(
  c0: ModelConstants,
  forced: ReadonlyArray<string>,
  relations: Relations,
  opts: BuildOptions = {},
): ImplModel<State, Action> {
  expectRelations(relations, {
    init: ["Init"],
    next: ["MCNext"],
    constraints: ["StateConstraint"],
  });
  const c = constants(c0);
  const env = envOf(c0, forced);
  const maxTime = c.int("MaxTime");
  const maxGen = c.int("MaxGen");
  const faults = new Set(c.strings("Faults"));
  const writers = new Set(c.strings("Writers"));
  const keepAlivers = new Set(c.strings("KeepAlivers"));
  const checked = opts.invariants ?? invariantNames;
  /** The MC wrapper's extra conditions on an action. */
  const admitted = (s: State, a: Action): boolean => {
    switch (a.name) {
      case "Tick": // BoundedTick
        return s.now < maxTime;
      case "CreateSession": // OpenAtStart
        return s.now === 0;
      case "KeepAlive":
        return keepAlivers.has(a.c);
      case "SendWrite":
        return writers.has(a.c);
      default: {
        const f = faultOf[a.name];
        return f === undefined || faults.has(f);
      }
    }
  };
  return {
    init: [initState(env)],
    next: (s) => steps(s).filter((x): x is Successor<State, Action> => admitted(s, x.action)),
    // StateConstraint.
    within: (s) => s.now <= maxTime && env.locks.every((l) => lockOf(s, l).gen <= maxGen),
    violated: (s) => violatedInvariants(s, checked),
  };
}

/** The relations MCLocks's cfgs name. */
export const relations: Relations = {
  init: "Init",
  next: "MCNext",
  constraints: ["StateConstraint"],
};

/** `build` as a ModelHook's (checked here, so registering the protocol later needs no change). */
export const buildHook: ModelHook["build"] = (c, bugs, r) => build(c, bugs, r);
