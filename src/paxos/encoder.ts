/**
 * Prints the spec's variables of successive cluster states (a run's trace) as canonical JSON,
 * equal byte for byte to stateJson, but reusing what did not change: a process whose state
 * object is the one of the previous event costs nothing, a variable none of whose processes
 * changed is the same buffer as before, and set elements print as their memoised canonical keys
 * (the transitions keep sets sorted by those keys, which is canonical order).
 */
import { canonicalJson } from "../core/itf.js";
import { commanderItf } from "./abstraction.js";
import type { Bag } from "./bag.js";
import type { Cluster } from "./cluster.js";
import { ballotItf, commandKey, pvalueKey, slotCmdKey } from "./itf.js";
import type { Ballot, Commander, LeaderState } from "./types.js";

type Procs = "replicas" | "leaders" | "acceptors";

/** One per-process variable: its role, the part of a process's state it reads, how it prints. */
interface PerProcess {
  readonly name: string;
  readonly role: Procs;
  // biome-ignore lint/suspicious/noExplicitAny: each variable reads its own role's state type
  readonly part: (s: any) => unknown;
  // biome-ignore lint/suspicious/noExplicitAny: the part `part` returned
  readonly json: (p: any) => string;
}

const setJson =
  <T>(key: (x: T) => string) =>
  (xs: ReadonlyArray<T>) =>
    `{"#set":[${xs.map(key).join(",")}]}`;
const idsJson = setJson<string>((x) => JSON.stringify(x));
const ballotMemo = new WeakMap<Ballot, string>();
const ballotJson = (b: Ballot): string => {
  let s = ballotMemo.get(b);
  if (s === undefined) {
    s = canonicalJson(ballotItf(b));
    ballotMemo.set(b, s);
  }
  return s;
};
const scalar = (x: unknown) => String(x);

const perProcess: ReadonlyArray<PerProcess> = [
  { name: "slotIn", role: "replicas", part: (r) => r.slotIn, json: scalar },
  { name: "slotOut", role: "replicas", part: (r) => r.slotOut, json: scalar },
  { name: "requests", role: "replicas", part: (r) => r.requests, json: setJson(commandKey) },
  { name: "proposals", role: "replicas", part: (r) => r.proposals, json: setJson(slotCmdKey) },
  { name: "decisions", role: "replicas", part: (r) => r.decisions, json: setJson(slotCmdKey) },
  { name: "replicaLeaders", role: "replicas", part: (r) => r.leaders, json: idsJson },
  {
    name: "executed",
    role: "replicas",
    part: (r) => r.executed,
    json: (xs) => `[${xs.map(commandKey).join(",")}]`,
  },
  { name: "ballotNum", role: "leaders", part: (l) => l.persistent.ballotNum, json: ballotJson },
  { name: "active", role: "leaders", part: (l) => l.volatile.active, json: scalar },
  {
    name: "leaderProposals",
    role: "leaders",
    part: (l) => l.volatile.proposals,
    json: setJson(slotCmdKey),
  },
  { name: "scouting", role: "leaders", part: (l) => l.volatile.scouting, json: scalar },
  { name: "scoutWaitFor", role: "leaders", part: (l) => l.volatile.scoutWaitFor, json: idsJson },
  {
    name: "scoutPvalues",
    role: "leaders",
    part: (l) => l.volatile.scoutPvalues,
    json: setJson(pvalueKey),
  },
  {
    name: "acceptorBallot",
    role: "acceptors",
    part: (a) => a.persistent.acceptorBallot,
    json: ballotJson,
  },
  {
    name: "accepted",
    role: "acceptors",
    part: (a) => a.persistent.accepted,
    json: setJson(pvalueKey),
  },
];

/** The canonical order of the state record's fields. */
const FIELDS = [...perProcess.map((v) => v.name), "commanders", "messages"].sort();

interface Slot {
  /** Per process: the state object and the part last printed, and its text. */
  states: unknown[];
  parts: unknown[];
  texts: string[];
  buf: Buffer;
}

export class StateEncoder {
  private env: Cluster["env"] | undefined;
  private slots = new Map<string, Slot>();
  private leaderStates: (LeaderState | undefined)[] = [];
  private commanderMemo: WeakMap<Commander, string>[] = [];
  private commandersBuf: Buffer = Buffer.alloc(0);
  private bag: Bag | undefined;
  private bagBuf: Buffer = Buffer.alloc(0);
  private readonly out: Buffer[] = [];

  encode(c: Cluster): ReadonlyArray<Buffer> {
    if (c.env !== this.env) this.reset(c);
    for (const v of perProcess) this.variable(c, v);
    this.commanders(c);
    if (c.messages !== this.bag) {
      this.bag = c.messages;
      this.bagBuf = this.field(
        "messages",
        `{"#map":[${c.messages.items.map((it) => `[${it.key},${it.count}]`).join(",")}]}`,
      );
    }
    FIELDS.forEach((name, k) => {
      this.out[k] =
        name === "messages"
          ? this.bagBuf
          : name === "commanders"
            ? this.commandersBuf
            : (this.slots.get(name) as Slot).buf;
    });
    return this.out;
  }

  private reset(c: Cluster): void {
    this.env = c.env;
    this.slots = new Map(
      perProcess.map((v) => [v.name, { states: [], parts: [], texts: [], buf: Buffer.alloc(0) }]),
    );
    this.leaderStates = [];
    this.commanderMemo = c.env.leaderOrder.map(() => new WeakMap());
    this.bag = undefined;
    this.out.length = 0;
    this.first = FIELDS[0] as string;
    this.last = FIELDS[FIELDS.length - 1] as string;
  }

  private first = "";
  private last = "";

  /** The field's text with the record's punctuation around it. */
  private field(name: string, value: string): Buffer {
    const open = name === this.first ? "{" : ",";
    const close = name === this.last ? "}" : "";
    return Buffer.from(`${open}"${name}":${value}${close}`);
  }

  private variable(c: Cluster, v: PerProcess): void {
    const slot = this.slots.get(v.name) as Slot;
    const procs = c[v.role] as ReadonlyMap<string, unknown>;
    let dirty = slot.buf.length === 0;
    let k = 0;
    for (const s of procs.values()) {
      if (s !== slot.states[k]) {
        slot.states[k] = s;
        const p = v.part(s);
        if (p !== slot.parts[k] || slot.texts[k] === undefined) {
          slot.parts[k] = p;
          slot.texts[k] = v.json(p);
          dirty = true;
        }
      }
      k++;
    }
    if (!dirty) return;
    let text = '{"#map":[';
    k = 0;
    for (const id of procs.keys())
      text += `${k === 0 ? "" : ","}[${JSON.stringify(id)},${slot.texts[k++]}]`;
    slot.buf = this.field(v.name, `${text}]}`);
  }

  /** The spec's one set of every leader's commanders, as [leader, ballot, slot, cmd, waitFor]. */
  private commanders(c: Cluster): void {
    let dirty = this.commandersBuf.length === 0;
    let k = 0;
    for (const l of c.leaders.values()) {
      const before = this.leaderStates[k];
      if (before?.volatile.commanders !== l.volatile.commanders) dirty = true;
      this.leaderStates[k++] = l;
    }
    if (!dirty) return;
    const all: string[] = [];
    k = 0;
    for (const l of c.leaders.values()) {
      const memo = this.commanderMemo[k++] as WeakMap<Commander, string>;
      for (const x of l.volatile.commanders) {
        let s = memo.get(x);
        if (s === undefined) {
          s = canonicalJson(commanderItf(l.id, x));
          memo.set(x, s);
        }
        all.push(s);
      }
    }
    all.sort();
    this.commandersBuf = this.field("commanders", `{"#set":[${all.join(",")}]}`);
  }
}

/** canonicalJson(abstractState(c)), printed through a fresh encoder. */
export const encodeState = (c: Cluster): string =>
  Buffer.concat(new StateEncoder().encode(c)).toString("utf8");
