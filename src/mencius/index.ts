/**
 * Mencius as a library (`lockstep/mencius`): the pure transitions of a server — owner of its
 * instances, revoker of others', acceptor and learner of all — one per action of
 * spec/mencius/Mencius.tla (a guard and a next step each), the cluster they act on and its
 * actions, the TypeScript invariants and step properties, the io-ts codecs, and the simulator
 * of this protocol with its typed options (a wide-area network with latency classes).
 *
 * The cluster level (`perform`, `enabled`, `transitions`, `initCluster`, `Action`) is exported
 * flat; a server's transitions are `server.*`; ownership, ballot and vote operators
 * `operators.*`; codecs `codec.*`.
 */
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
export { mencius as protocol } from "./module.js";
export * as operators from "./operators.js";
export * as server from "./server.js";
export {
  type CheckName,
  checkNames,
  defaultOptions,
  type Knobs,
  linkLatency,
  type SimOptions,
  withDefaults,
} from "./sim/options.js";
export { type SimResult, type SimStats, simulate } from "./sim/simulate.js";
export * from "./types.js";
export * as values from "./values.js";
