// Validate a trace against its protocol's TLA+ spec: here a simulated Multi-Paxos run, checked
// by the embedded engine (no Java needed; engine "auto" prefers TLC when it is installed).
import { simulate, validateTrace } from "lockstep";

const { trace } = simulate("paxos", { seed: 3, steps: 60, faults: ["drop", "dup", "crash"] });
const result = await validateTrace(trace, { engine: "embedded", file: "paxos-seed-3.ndjson" });
console.log(`${result.file}: ok=${result.ok}, ${result.events} events, ${result.engine} engine`);

// One value changed: the validator names the first event the spec cannot take. An event
// lists what it changed as updates (traces/FORMAT.md); raise the first logged ballot by 5.
const lines = trace.trimEnd().split("\n");
const k = lines.findIndex((l, i) => i > 1 && l.includes('"ballotNum"'));
const event = JSON.parse(lines[k]);
const [set] = event.updates.ballotNum;
set.value =
  typeof set.value === "number" ? set.value + 5 : { ...set.value, round: set.value.round + 5 };
lines[k] = JSON.stringify(event);
const bad = await validateTrace(`${lines.join("\n")}\n`, { engine: "embedded" });
console.log(`corrupted copy: ok=${bad.ok}, fails at event ${bad.failedAt} (${bad.action})`);
if (!result.ok || bad.ok) throw new Error("unexpected verdicts");
