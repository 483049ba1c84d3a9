// From TypeScript (module NodeNext): the same entry points, with their types.
import { type Simulation, simulate, validateTrace } from "lockstep";
import * as raft from "lockstep/raft";

const run: Simulation = simulate("raft", { seed: 2, steps: 80, faults: ["drop", "crash"] });
const verdict = await validateTrace(run.trace, { engine: "embedded" });
console.log(`seed 2: ${run.report.summary}; valid: ${verdict.ok}`);

const servers = ["s1"];
const start: raft.Cluster = raft.initCluster({ servers, initConfig: servers, bugs: raft.noBugs });
const next = raft.perform(start, { name: "Timeout", i: "s1" });
console.log(`Timeout(s1) at Init: ${next._tag === "Some" ? "enabled" : "not enabled"}`);

// An action the spec does not have does not compile:
// @ts-expect-error
const typo: raft.Action = { name: "Timout", i: "s1" };

if (!verdict.ok || next._tag !== "Some" || typo === undefined) throw new Error("unexpected");
