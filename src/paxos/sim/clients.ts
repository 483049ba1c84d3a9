/**
 * Clients and state machines of a Paxos run. Each new client operation gets a fresh value id
 * ("v1", "v2", …: the spec's opaque Value) standing for a random key-value command; as in PMMC,
 * clients send every request to every replica, and each replica applies the operations it
 * performs, in slot order, to its own key-value store.
 */
import { type ValueId, valueId } from "../../core/ids.js";
import { type KvCommand, type KvState, kvStore } from "../../core/kv.js";
import type { Prng } from "../../core/prng.js";

export interface Store {
  /** The last slot whose operation was applied. */
  readonly slot: number;
  readonly kv: KvState;
}

const KEYS = ["a", "b", "c", "d"];

export class PaxosClients {
  /** Value id → the KV command it stands for. */
  readonly commands = new Map<ValueId, KvCommand>();
  private readonly stores: Store[];

  constructor(replicas: number) {
    this.stores = Array.from({ length: replicas }, () => ({ slot: 0, kv: kvStore.initial }));
  }

  /** A new client operation: 60% put, 30% get, 10% delete over a few keys. */
  next(rng: Prng): ValueId {
    const n = this.commands.size + 1;
    const r = rng.next();
    const key = rng.pick(KEYS);
    this.commands.set(
      valueId(n),
      r < 0.6
        ? { op: "put", key, value: `x${n}` }
        : r < 0.9
          ? { op: "get", key }
          : { op: "delete", key },
    );
    return valueId(n);
  }

  /** Replica k performed `op` in `slot` (the replica hands them over in slot order). */
  apply(k: number, slot: number, op: ValueId): void {
    const s = this.stores[k] as Store;
    const cmd = this.commands.get(op);
    this.stores[k] = { slot, kv: cmd === undefined ? s.kv : kvStore.apply(s.kv, cmd)[0] };
  }

  store(k: number): Store {
    return this.stores[k] as Store;
  }
}
