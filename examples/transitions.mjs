// Drive the pure Raft transitions by hand: each spec action is a guard and a next step, and
// `perform` returns None when the action is not enabled.
import * as raft from "lockstep/raft";

const servers = ["s1", "s2", "s3"];
let cluster = raft.initCluster({ servers, initConfig: servers, bugs: raft.noBugs });
const inputs = { values: [], newConfigs: [] };

function step(action) {
  const s = raft.perform(cluster, action);
  if (s._tag === "None") throw new Error(`${action.name} is not enabled`);
  cluster = s.value.next;
  const who = "i" in action ? action.i : `${action.m.msource} -> ${action.m.mdest}`;
  console.log(`${action.name} (${who})`);
}

// s1 times out and asks the others for their votes; then deliver every message in flight
// until s1 can become leader.
step({ name: "Timeout", i: "s1" });
step({ name: "RequestVote", i: "s1", j: "s2" });
step({ name: "RequestVote", i: "s1", j: "s3" });
const delivery = new Set(["UpdateTerm", "HandleRequestVoteRequest", "HandleRequestVoteResponse"]);
for (let n = 0; n < 20 && raft.nodeOf(cluster, "s1").volatile.state !== "Leader"; n++) {
  const enabled = raft.enabled(cluster, inputs);
  step(enabled.find((a) => a.name === "BecomeLeader") ?? enabled.find((a) => delivery.has(a.name)));
}
const s1 = raft.nodeOf(cluster, "s1");
console.log(`s1 is ${s1.volatile.state} in term ${s1.persistent.currentTerm}`);
console.log(`invariants broken: ${raft.violatedInvariants(cluster, raft.invariantNames).length}`);
if (s1.volatile.state !== "Leader") throw new Error("s1 was not elected");
