/**
 * Multi-Paxos (PMMC) as a library (`lockstep/paxos`): the pure transitions of replicas, leaders
 * and acceptors, one per action of spec/paxos/MultiPaxos.tla (a guard and a next step each), the
 * cluster they act on and its actions, the TypeScript invariants and step properties, the io-ts
 * codecs, and the simulator of this protocol with its typed options.
 *
 * The cluster level (`perform`, `enabled`, `transitions`, `initCluster`, `Action`) is exported
 * flat; each role's transitions are `replica.*`, `leader.*`, `acceptor.*`; ballot and command
 * operators `operators.*`; codecs `codec.*`.
 */
export * as acceptor from "./acceptor.js";
export * from "./cluster.js";
export * as codec from "./codec.js";
export {
  type InvariantName,
  invariantNames,
  type StepPropertyName,
  stepPropertyNames,
  violatedInvariants,
  violatedStepProperties,
} from "./invariants.js";
export * as leader from "./leader.js";
export { paxos as protocol } from "./module.js";
export * as operators from "./operators.js";
export * as replica from "./replica.js";
export {
  type CheckName,
  checkNames,
  defaultOptions,
  defaultsFor,
  type Knobs,
  type SimOptions,
  withDefaults,
} from "./sim/options.js";
export { type SimResult, type SimStats, simulate } from "./sim/simulate.js";
export * from "./types.js";
export * as values from "./values.js";
