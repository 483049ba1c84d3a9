// Simulate one seed of a protocol: its NDJSON trace and a report, the same bytes as `npm run sim`.
import { protocols, simulate } from "lockstep";

for (const p of protocols()) {
  const sizes = p.sim.sizes.map((f) => `${f.name} ${f.min}..${f.max} (default ${f.default})`);
  console.log(`${p.name}: ${sizes.join(", ")}; faults ${p.sim.faults.join(", ")}`);
}

const { trace, report } = simulate("raft", {
  seed: 7,
  steps: 300,
  faults: "all",
  sizes: { servers: 5 },
});
console.log(report.summary); // events=300 leaders=… maxTerm=… maxCommit=… …
console.log(`${trace.trimEnd().split("\n").length} lines, header ${trace.slice(0, 60)}…`);
if (report.violation._tag === "Some") throw new Error("an invariant broke");
