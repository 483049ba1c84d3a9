/**
 * Clients and state machines of a Paxos run. Clients draw key-value commands from the Raft
 * simulator's generator (each a fresh value id, the spec's opaque Value) and, as in PMMC, send
 * every request to every replica; each replica applies the operations it performs, in slot
 * order, to its own key-value store.
 */
import type { ValueId } from "../../core/ids.js";
import { type KvCommand, type KvState, kvStore } from "../../core/kv.js";
import type { Prng } from "../../core/prng.js";
import { KvClients } from "../raft/clients.js";

export interface Store {
  /** The last slot whose operation was applied. */
  readonly slot: number;
  readonly kv: KvState;
}

export class PaxosClients {
  private readonly gen = new KvClients(0);
  private readonly stores: Store[];

  constructor(replicas: number) {
    this.stores = Array.from({ length: replicas }, () => ({ slot: 0, kv: kvStore.initial }));
  }

  /** Value id → the KV command it stands for. */
  get commands(): ReadonlyMap<ValueId, KvCommand> {
    return this.gen.commands;
  }

  next(rng: Prng): ValueId {
    return this.gen.next(rng);
  }

  /** Replica k performed `op` in `slot` (the replica hands them over in slot order). */
  apply(k: number, slot: number, op: ValueId): void {
    const s = this.stores[k] as Store;
    const cmd = this.gen.commands.get(op);
    this.stores[k] = { slot, kv: cmd === undefined ? s.kv : kvStore.apply(s.kv, cmd)[0] };
  }

  store(k: number): Store {
    return this.stores[k] as Store;
  }
}
