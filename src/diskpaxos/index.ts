/**
 * DiskPaxos as a library (`lockstep/diskpaxos`): the pure transitions of processors, one per
 * action of spec/diskpaxos/DiskPaxos.tla (a guard and a next step each), the disks as a
 * component of their own with the block interface (read block, write block), the cluster they
 * act on and its actions, the TypeScript invariants, the io-ts codecs, and the simulator of this
 * protocol with its typed options.
 *
 * The cluster level (`perform`, `enabled`, `transitions`, `initCluster`, `Action`) is exported
 * flat; a processor's transitions are `processor.*`, a disk's operations `disk.*`, ballot and
 * majority operators `operators.*`; codecs `codec.*`.
 */
export * from "./cluster.js";
export * as codec from "./codec.js";
export * as disk from "./disk.js";
export { type InvariantName, invariantNames, violatedInvariants } from "./invariants.js";
export { diskpaxos as protocol } from "./module.js";
export * as operators from "./operators.js";
export * as processor from "./processor.js";
export {
  defaultOptions,
  defaultsFor,
  type Knobs,
  type SimOptions,
  withDefaults,
} from "./sim/options.js";
export { type SimResult, type SimStats, simulate } from "./sim/simulate.js";
export * from "./types.js";
export * as values from "./values.js";
