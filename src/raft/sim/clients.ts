/**
 * The clients and the state machines: each ClientRequest gets a fresh value id ("v1", "v2", …)
 * standing for a random key-value command, and every server applies the commands of its
 * committed entries to its own replica. The value-to-command mapping lives here, not in the
 * Raft log, whose entries carry only the id (the spec's opaque Value).
 */
import type { ValueId } from "../../core/ids.js";
import { valueId } from "../../core/ids.js";
import { type KvCommand, type KvState, kvStore } from "../../core/kv.js";
import type { Prng } from "../../core/prng.js";
import type { Entry, Snapshot } from "../types.js";

export interface Replica {
  /** Entries 1..applied went to the state machine. */
  readonly applied: number;
  readonly kv: KvState;
}

const KEYS = ["a", "b", "c", "d"];
const fresh: Replica = { applied: 0, kv: kvStore.initial };

export class KvClients {
  readonly commands = new Map<ValueId, KvCommand>();
  private readonly replicas: Replica[];

  constructor(servers: number) {
    this.replicas = Array.from({ length: servers }, () => fresh);
  }

  /** The id the next client command gets. */
  nextId(): ValueId {
    return valueId(this.commands.size + 1);
  }

  /** A new client command: 60% put, 30% get, 10% delete over a few keys. */
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

  /** Value ids that re-propose another's command (a client's retry) → the original id. */
  readonly retryOf = new Map<ValueId, ValueId>();

  /** A client sends command `original` again under the next id (its earlier entry was lost). */
  retry(original: ValueId): ValueId {
    const cmd = this.commands.get(original);
    if (cmd === undefined) throw new RangeError(`no command ${original}`);
    const id = this.nextId();
    this.commands.set(id, cmd);
    this.retryOf.set(id, original);
    return id;
  }

  /** The command a value id stands for, as first sent: the original of a retry. */
  originalOf(id: ValueId): ValueId {
    return this.retryOf.get(id) ?? id;
  }

  /** Server k applies a committed entry (configuration entries change no state). */
  apply(k: number, index: number, entry: Entry): void {
    const rep = this.replicas[k] as Replica;
    const cmd = entry.value === null ? undefined : this.commands.get(entry.value);
    this.replicas[k] = {
      applied: index,
      kv: cmd === undefined ? rep.kv : kvStore.apply(rep.kv, cmd)[0],
    };
  }

  /**
   * Server k's replica becomes a snapshot's value: the state after its commands (an installed
   * snapshot, or a restart from one).
   */
  restore(k: number, snapshot: Snapshot): void {
    let kv = kvStore.initial;
    for (const c of snapshot.value) {
      const cmd = c.value === null ? undefined : this.commands.get(c.value);
      if (cmd !== undefined) kv = kvStore.apply(kv, cmd)[0];
    }
    this.replicas[k] = { applied: snapshot.index, kv };
  }

  /** Server k restarted: its replica is volatile and is rebuilt from the log as entries commit. */
  reset(k: number): void {
    this.replicas[k] = fresh;
  }

  replica(k: number): Replica {
    return this.replicas[k] as Replica;
  }
}
