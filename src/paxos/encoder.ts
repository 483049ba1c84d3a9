/**
 * Prints the spec's variables of successive cluster states (a run's trace) as canonical JSON,
 * equal byte for byte to stateJson, but reusing what did not change: a process whose state
 * object is the one of the previous event costs nothing, a variable none of whose processes
 * changed is the same buffer as before, and set elements print as their memoised canonical keys
 * (the transitions keep sets sorted by those keys, which is canonical order).
 */
import { canonicalJson } from "../core/itf.js";
import { partsText, type TextPart } from "../core/text.js";
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
  /** The variable's text, and whether the last encode changed it. */
  out: { parts: TextPart[]; changed: boolean };
}

export class StateEncoder {
  /** The spec's variables in canonical (sorted) order. */
  readonly variables: ReadonlyArray<string> = FIELDS;
  private env: Cluster["env"] | undefined;
  private slots = new Map<string, Slot>();
  private leaderStates: (LeaderState | undefined)[] = [];
  private commanderMemo: WeakMap<Commander, string>[] = [];
  private commandersOut = { parts: [] as TextPart[], changed: true };
  private bag: Bag | undefined;
  private bagOut = { parts: [] as TextPart[], changed: true };
  private out: { parts: TextPart[]; changed: boolean }[] = [];

  encode(c: Cluster): ReadonlyArray<{ parts: ReadonlyArray<TextPart>; changed: boolean }> {
    if (c.env !== this.env) this.reset(c);
    for (const v of perProcess) this.variable(c, v);
    this.commanders(c);
    this.bagOut.changed = c.messages !== this.bag;
    if (this.bagOut.changed) {
      this.bag = c.messages;
      this.bagOut.parts[0] = `{"#map":[${c.messages.items.map((it) => `[${it.key},${it.count}]`).join(",")}]}`;
    }
    return this.out;
  }

  private reset(c: Cluster): void {
    this.env = c.env;
    this.slots = new Map(
      perProcess.map((v) => [
        v.name,
        { states: [], parts: [], texts: [], out: { parts: [], changed: true } },
      ]),
    );
    this.leaderStates = [];
    this.commanderMemo = c.env.leaderOrder.map(() => new WeakMap());
    this.bag = undefined;
    this.commandersOut = { parts: [], changed: true };
    this.bagOut = { parts: [], changed: true };
    this.out = FIELDS.map((name) =>
      name === "messages"
        ? this.bagOut
        : name === "commanders"
          ? this.commandersOut
          : (this.slots.get(name) as Slot).out,
    );
  }

  private variable(c: Cluster, v: PerProcess): void {
    const slot = this.slots.get(v.name) as Slot;
    const procs = c[v.role] as ReadonlyMap<string, unknown>;
    let dirty = slot.out.parts.length === 0;
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
    slot.out.changed = dirty;
    if (!dirty) return;
    let text = '{"#map":[';
    k = 0;
    for (const id of procs.keys())
      text += `${k === 0 ? "" : ","}[${JSON.stringify(id)},${slot.texts[k++]}]`;
    slot.out.parts[0] = `${text}]}`;
  }

  /** The spec's one set of every leader's commanders, as [leader, ballot, slot, cmd, waitFor]. */
  private commanders(c: Cluster): void {
    let dirty = this.commandersOut.parts.length === 0;
    let k = 0;
    for (const l of c.leaders.values()) {
      const before = this.leaderStates[k];
      if (before?.volatile.commanders !== l.volatile.commanders) dirty = true;
      this.leaderStates[k++] = l;
    }
    this.commandersOut.changed = dirty;
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
    this.commandersOut.parts[0] = `{"#set":[${all.join(",")}]}`;
  }
}

/** canonicalJson(abstractState(c)), printed through a fresh encoder. */
export const encodeState = (c: Cluster): string => {
  const e = new StateEncoder();
  const body = e.encode(c).map((v, k) => `${JSON.stringify(e.variables[k])}:${partsText(v.parts)}`);
  return `{${body.join(",")}}`;
};
