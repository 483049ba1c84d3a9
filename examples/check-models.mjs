// Model-check TLA+ models shipped with the package, as `npm run tlc` does, and compare each
// outcome with what its cfg header expects.
import { checkModels } from "lockstep";

const { engine, results, ok } = await checkModels({
  filter: "MCRaftBugForgetVote", // a bug model and its control (the same bounds, bug off)
  engine: "embedded",
});
for (const r of results) {
  const seconds = r.seconds.toFixed(1);
  console.log(`${r.model} (${engine}): expected ${r.expected}, got ${r.outcome}, ${seconds} s`);
}
console.log(ok ? "every check as expected" : "some check was not as expected");
if (!ok) process.exitCode = 1;
