/**
 * Raft as a library (`lockstep/raft`): the pure transitions, one per action of spec/raft/Raft.tla
 * (a guard and a next step each), the cluster they act on and its actions, the TypeScript
 * invariants, the io-ts codecs, and the simulator of this protocol with its typed options.
 *
 * The cluster level (`perform`, `enabled`, `transitions`, `initCluster`, `Action`) is exported
 * flat; a single server's transitions are `node.*`, log helpers `log.*`, codecs `codec.*`; the
 * runtime half — timers (`timers.*`), the ready batch (`ready.*`), a server a runtime steps
 * (`server.*`) and the replica `npm run node` runs (`service`).
 */

export * from "./cluster.js";
export * as codec from "./codec.js";
export { type InvariantName, invariantNames, violatedInvariants } from "./invariants.js";
export * as log from "./log.js";
export { raft as protocol } from "./module.js";
export * as node from "./node.js";
export * as ready from "./ready.js";
export * as server from "./server.js";
export { raftService as service } from "./service.js";
export {
  defaultOptions,
  defaultsFor,
  type Knobs,
  type SimOptions,
  withDefaults,
} from "./sim/options.js";
export { type SimResult, type SimStats, simulate } from "./sim/simulate.js";
export * as timers from "./timers.js";
export * from "./types.js";
export * as values from "./values.js";
