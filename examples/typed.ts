// From TypeScript: the same entry points, with their types (compiled with tsc, module nodenext).
import { type ModelChecks, type Simulation, simulate, validateTrace } from "lockstep";
import * as raft from "lockstep/raft";

const run: Simulation = simulate("raft", { seed: 2, steps: 80, faults: ["drop", "crash"] });
const verdict = await validateTrace(run.trace, { engine: "embedded" });
console.log(`seed 2: ${run.report.summary}; valid: ${verdict.ok}`);

const start: raft.Cluster = raft.initCluster({
  servers: ["s1"],
  initConfig: ["s1"],
  bugs: raft.noBugs,
});
const timeout: raft.Action = { name: "Timeout", i: "s1" };
const next = raft.perform(start, timeout);
console.log(`Timeout(s1) from Init is ${next._tag === "Some" ? "enabled" : "not enabled"}`);

// @ts-expect-error a misspelt action name is a type error
const typo: raft.Action = { name: "Timout", i: "s1" };
const later = (checks: ModelChecks): boolean => checks.ok;
console.log(typeof later, typo.name.length > 0);
if (!verdict.ok || next._tag !== "Some") throw new Error("unexpected");
