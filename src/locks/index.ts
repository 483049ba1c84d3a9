/**
 * The lock service as pure transitions, one per action of spec/locks/Locks.tla: its state,
 * the actions and their guards (`perform`, `enabled`), the invariants and step properties,
 * the abstraction to the spec's variables and the MCLocks model over it.
 */

export { variables } from "./abstraction.js";
export { initState } from "./init.js";
export * from "./invariants.js";
export * as locks from "./locks.js";
export { build as buildModel, envOf } from "./model.js";
export * as operators from "./operators.js";
export * as resource from "./resource.js";
export * from "./service.js";
export * as session from "./session.js";
export * as time from "./time.js";
export * from "./types.js";
export * as values from "./values.js";
