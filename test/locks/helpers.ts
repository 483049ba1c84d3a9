/**
 * The lock service's models as the cfgs in spec/locks give them, built over the TS, and an
 * exploration that also checks the step properties (the explorer checks state invariants
 * only): `next` is wrapped to look at every step it hands out within the bounds.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { explore } from "../../src/conform/explore.js";
import { cfgConstants, type ImplModel } from "../../src/conform/model.js";
import { variables } from "../../src/locks/abstraction.js";
import {
  type InvariantName,
  invariantNames,
  type StepPropertyName,
  violatedStep,
  witnessNames,
} from "../../src/locks/invariants.js";
import { build, relations } from "../../src/locks/model.js";
import type { Action } from "../../src/locks/service.js";
import type { State } from "../../src/locks/types.js";
import { namesOf, parseCfg } from "../../src/tla/cfg.js";
import { discoverModels, type Model } from "../../src/tla/models.js";
import { root } from "../tla/helpers.js";

export const models: ReadonlyArray<Model> = discoverModels(join(root, "spec")).filter(
  (m) => m.protocol === "locks",
);

const known: ReadonlyArray<string> = [...invariantNames, ...witnessNames];

/** The TS model of a cfg (a control's text for `<Name>/control`), checking its INVARIANTs. */
export function implOf(m: Model, bugs: ReadonlyArray<string> = []): ImplModel<State, Action> {
  const cfg = parseCfg(m.cfgText ?? readFileSync(m.cfgPath, "utf8"));
  const invariants = namesOf(cfg, "INVARIANT").filter((n) => n !== "TypeOK");
  const unknown = invariants.find((n) => !known.includes(n));
  if (unknown !== undefined) throw new Error(`${m.name}: no TS invariant ${unknown}`);
  return build(cfgConstants(cfg, m.cfgPath), bugs, relations, {
    invariants: invariants as ReadonlyArray<InvariantName>,
  });
}

export interface Outcome {
  readonly distinct: number;
  readonly complete: boolean;
  readonly seconds: number;
  /** The invariants the first violating state breaks (empty: none). */
  readonly invariants: ReadonlyArray<string>;
  /** The step properties the first violating step breaks (empty: none). */
  readonly steps: ReadonlyArray<StepPropertyName>;
}

/** Explore `model` to the end (or its first state violation), checking each step on the way. */
export function run(model: ImplModel<State, Action>): Outcome {
  let steps: ReadonlyArray<StepPropertyName> = [];
  const watched: ImplModel<State, Action> = {
    ...model,
    next: (s) => {
      const out = model.next(s);
      if (steps.length === 0)
        for (const { next } of out)
          if (model.within(next)) {
            const bad = violatedStep(s, next);
            if (bad.length > 0) {
              steps = bad;
              break;
            }
          }
      return out;
    },
  };
  const x = explore(watched, variables, { invariants: true });
  return {
    distinct: x.distinct,
    complete: x.complete,
    seconds: x.seconds,
    invariants: x.violation?.invariants ?? [],
    steps,
  };
}
