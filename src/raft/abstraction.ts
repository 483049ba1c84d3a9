/**
 * The abstraction from a cluster to the spec's nine variables, as ITF values (traces/FORMAT.md).
 * `abstractState` builds the values; `stateJson` prints their canonical JSON (core/itf.ts)
 * straight from the cluster, reusing the text of every part that did not change — the
 * simulator prints one full state per event. A test holds the two equal.
 */
import * as O from "fp-ts/lib/Option.js";
import { match, P } from "ts-pattern";
import { byTag, narrowed } from "../core/dispatch.js";
import { idSet, type ServerId } from "../core/ids.js";
import { type ItfValue, itfMap, itfSet } from "../core/itf.js";
import { partsText, type TextPart } from "../core/text.js";
import type { Bag } from "./bag.js";
import type { Action, Cluster } from "./cluster.js";
import {
  entryItf,
  entryJson,
  logJson,
  messageItf,
  messageJson,
  NIL,
  serverSetJson,
  str,
} from "./itf.js";
import type { Entry, RaftNode } from "./types.js";

/** The spec's variables, in the order of its VARIABLES line. */
export const raftVariables = [
  "currentTerm",
  "state",
  "votedFor",
  "log",
  "commitIndex",
  "votesGranted",
  "nextIndex",
  "matchIndex",
  "messages",
] as const;
export type RaftVariable = (typeof raftVariables)[number];
export type RaftVars = Readonly<Record<RaftVariable, ItfValue>>;

const votedForOf = (n: RaftNode): string => O.getOrElse(() => NIL)(n.persistent.votedFor);

const indexMap = (servers: ReadonlyArray<ServerId>, m: ReadonlyMap<ServerId, number>): ItfValue =>
  itfMap(servers.map((j) => [j, m.get(j) ?? 0]));

/** The spec's variables for this cluster state. */
export function abstractState(c: Cluster): RaftVars {
  const servers = c.env.servers;
  const fn = (f: (n: RaftNode) => ItfValue): ItfValue =>
    itfMap(servers.map((i) => [i, f(c.nodes.get(i) as RaftNode)]));
  return {
    currentTerm: fn((n) => n.persistent.currentTerm),
    state: fn((n) => n.volatile.state),
    votedFor: fn(votedForOf),
    log: fn((n) => n.persistent.log.map(entryItf)),
    commitIndex: fn((n) => n.volatile.commitIndex),
    votesGranted: fn((n) => itfSet(n.volatile.votesGranted)),
    nextIndex: fn((n) => indexMap(servers, n.volatile.nextIndex)),
    matchIndex: fn((n) => indexMap(servers, n.volatile.matchIndex)),
    messages: itfMap(c.messages.items.map((it) => [messageItf(it.message), it.count])),
  };
}

/** `{"#map":[["s1",x],…]}` for a map defined on every server; `open[k]` is `["sk",` or `,["sk",`. */
function indexMapJson(
  servers: ReadonlyArray<ServerId>,
  open: ReadonlyArray<string>,
  m: ReadonlyMap<ServerId, number>,
): string {
  let s = '{"#map":[';
  for (let k = 0; k < servers.length; k++)
    s += `${open[k] as string}${m.get(servers[k] as ServerId) ?? 0}]`;
  return `${s}]}`;
}

const bagJson = (bag: Bag): string => {
  let s = '{"#map":[';
  for (let k = 0; k < bag.items.length; k++) {
    const it = bag.items[k] as Bag["items"][number];
    s += `${k === 0 ? "[" : ",["}${it.key},${it.count}]`;
  }
  return `${s}]}`;
};

/** The node variables in canonical (sorted) key order; `messages` sorts between log/matchIndex. */
const NODE_VARIABLES = [
  "commitIndex",
  "currentTerm",
  "log",
  "matchIndex",
  "nextIndex",
  "state",
  "votedFor",
  "votesGranted",
] as const;
const LOG = 2;
/** Where `messages` sits among the variables in canonical order. */
const MESSAGES = 4;

/** The part of a node variable v reads: compared by identity to reuse its printed text. */
function part(v: number, n: RaftNode): unknown {
  switch (v) {
    case 0:
      return n.volatile.commitIndex;
    case 1:
      return n.persistent.currentTerm;
    case 2:
      return n.persistent.log;
    case 3:
      return n.volatile.matchIndex;
    case 4:
      return n.volatile.nextIndex;
    case 5:
      return n.volatile.state;
    case 6:
      return n.persistent.votedFor;
    default:
      return n.volatile.votesGranted;
  }
}

/** Canonical JSON of node variable v's value at n (not the log: see logBytes). */
function partJson(
  v: number,
  n: RaftNode,
  servers: ReadonlyArray<ServerId>,
  open: ReadonlyArray<string>,
): string {
  switch (v) {
    case 0:
      return String(n.volatile.commitIndex);
    case 1:
      return String(n.persistent.currentTerm);
    case 3:
      return indexMapJson(servers, open, n.volatile.matchIndex);
    case 4:
      return indexMapJson(servers, open, n.volatile.nextIndex);
    case 5:
      return str(n.volatile.state);
    case 6:
      return str(votedForOf(n));
    default:
      return serverSetJson(n.volatile.votesGranted);
  }
}

const CLOSE = Buffer.from("]");

/**
 * A log's canonical JSON as UTF-8, given the previous log of the same server and its bytes.
 * Logs mostly grow by one entry, so when `log` extends `previous` (same entry objects) the
 * bytes are the previous ones with the entry spliced in.
 */
function logBytes(
  log: ReadonlyArray<Entry>,
  previous: ReadonlyArray<Entry> | undefined,
  prev: Buffer | undefined,
): Buffer {
  const n = log.length;
  if (prev !== undefined && previous !== undefined && previous.length === n - 1 && n > 1) {
    let extends_ = true;
    for (let k = n - 2; k >= 0 && extends_; k--) extends_ = log[k] === previous[k];
    if (extends_)
      return Buffer.concat([
        prev.subarray(0, prev.length - 1),
        Buffer.from(`,${entryJson(log[n - 1] as Entry)}`),
        CLOSE,
      ]);
  }
  return Buffer.from(logJson(log));
}

/**
 * Prints states as canonical JSON, one encoder per run: consecutive states share almost
 * everything, so it keeps each node's printed parts and re-prints one only when the node
 * part it reads changed identity (usually one node per step), then re-joins the variables
 * that changed from those pieces. Each log is its own fragment, as bytes: the writer passes
 * it on by reference. `encode(c)` returns, per variable in canonical order, its fragments and
 * whether it changed since the previous call; the result is reused by the next call.
 */
export class StateEncoder {
  /** The spec's variables in canonical (sorted) key order. */
  readonly variables: ReadonlyArray<string> = [...raftVariables].sort();
  private servers: ReadonlyArray<ServerId> = [];
  /** Per server k, what opens its entry in a map: `["sk",`, after the first `,["sk",`. */
  private open: string[] = [];
  private nodes: (RaftNode | undefined)[] = [];
  /** Per server, per node variable: the part last printed. */
  private parts: unknown[][] = [];
  /** Per node variable but the log, per server: its printed value. */
  private texts: string[][] = [];
  /** Per server: its log's bytes. */
  private logs: Buffer[] = [];
  private readonly dirty: boolean[] = NODE_VARIABLES.map(() => true);
  private bag: Bag | undefined;
  /** Fixed pieces of the log variable: `{"#map":[["s1",` … `],["s2",` … `]]}`. */
  private logGlue: Buffer[] = [];
  /** Per output variable: its fragments and changed flag. */
  private readonly out: { parts: TextPart[]; changed: boolean }[] = this.variables.map(() => ({
    parts: [],
    changed: true,
  }));

  encode(c: Cluster): ReadonlyArray<{ parts: ReadonlyArray<TextPart>; changed: boolean }> {
    const servers = c.env.servers;
    if (servers !== this.servers) this.reset(servers);
    const nv = NODE_VARIABLES.length;
    for (let k = 0; k < servers.length; k++) {
      const n = c.nodes.get(servers[k] as ServerId) as RaftNode;
      if (n === this.nodes[k]) continue;
      this.nodes[k] = n;
      const last = this.parts[k] as unknown[];
      for (let v = 0; v < nv; v++) {
        const p = part(v, n);
        if (p === last[v]) continue;
        if (v === LOG)
          this.logs[k] = logBytes(
            p as ReadonlyArray<Entry>,
            last[v] as ReadonlyArray<Entry> | undefined,
            this.logs[k],
          );
        else (this.texts[v] as string[])[k] = partJson(v, n, servers, this.open);
        last[v] = p;
        this.dirty[v] = true;
      }
    }
    const out = this.out;
    for (let v = 0; v < nv; v++) {
      const o = out[v < MESSAGES ? v : v + 1] as (typeof out)[number];
      o.changed = this.dirty[v] as boolean;
      if (!o.changed) continue;
      this.dirty[v] = false;
      if (v === LOG) {
        o.parts.length = 0;
        for (let k = 0; k < servers.length; k++)
          o.parts.push(this.logGlue[k] as Buffer, this.logs[k] as Buffer);
        o.parts.push(this.logGlue[servers.length] as Buffer);
        continue;
      }
      const texts = this.texts[v] as string[];
      let text = '{"#map":[';
      for (let k = 0; k < servers.length; k++)
        text += `${this.open[k] as string}${texts[k] as string}]`;
      o.parts[0] = `${text}]}`;
    }
    const m = out[MESSAGES] as (typeof out)[number];
    m.changed = c.messages !== this.bag;
    if (m.changed) {
      this.bag = c.messages;
      m.parts[0] = bagJson(c.messages);
    }
    return out;
  }

  private reset(servers: ReadonlyArray<ServerId>): void {
    const n = servers.length;
    this.servers = servers;
    this.open = servers.map((id, k) => `${k === 0 ? "[" : ",["}${str(id)},`);
    this.nodes = new Array(n).fill(undefined);
    this.parts = Array.from({ length: n }, () => new Array(NODE_VARIABLES.length).fill(undefined));
    this.texts = NODE_VARIABLES.map(() => new Array<string>(n).fill(""));
    this.logs = [];
    this.dirty.fill(true);
    this.bag = undefined;
    this.logGlue = [
      ...servers.map((id, k) => Buffer.from(`${k === 0 ? '{"#map":[' : "],"}[${str(id)},`)),
      Buffer.from("]]}"),
    ];
  }
}

/** Each variable's canonical JSON as one string, in canonical order, through a fresh encoder. */
function variableTexts(c: Cluster): [string, string][] {
  const e = new StateEncoder();
  return e.encode(c).map((v, k) => [e.variables[k] as string, partsText(v.parts)]);
}

/** canonicalJson(abstractState(c)), printed directly. */
export const stateJson = (c: Cluster): string =>
  `{${variableTexts(c)
    .map(([k, v]) => `${JSON.stringify(k)}:${v}`)
    .join(",")}}`;

/** Actions by their parameters: one server i; two servers i, j. */
const ONE_SERVER = {
  name: P.union("Restart", "Timeout", "BecomeLeader", "AppendNewConfig", "AdvanceCommitIndex"),
} as const;
const TWO_SERVERS = { name: P.union("RequestVote", "AppendEntries") } as const;

/** An action's parameters as ITF values, named as in the spec (traces/FORMAT.md). */
export const actionParams = (a: Action): Readonly<Record<string, ItfValue>> =>
  match(a)
    .returnType<Readonly<Record<string, ItfValue>>>()
    .with(ONE_SERVER, ({ i }) => ({ i }))
    .with(TWO_SERVERS, ({ i, j }) => ({ i, j }))
    .with({ name: "ClientRequest" }, ({ i, v }) => ({ i, v }))
    .with({ name: "Reconfigure" }, ({ i, newSet }) => ({ i, newSet: itfSet(newSet) }))
    .with({ m: P.nonNullable }, ({ m }) => ({ m: messageItf(m) }))
    .exhaustive();

const onAction = narrowed<Action>();

/** canonicalJson(actionParams(a)), printed directly (per action, the match runs once). */
export const actionParamsJson = (a: Action): string => paramsPrinterOf(a)(a);

const paramsPrinterOf = byTag(
  (a: Action) => a.name,
  (a) =>
    match(a)
      .returnType<(a: Action) => string>()
      .with(ONE_SERVER, (x) => onAction(x, (a) => `{"i":${str(a.i)}}`))
      .with(TWO_SERVERS, (x) => onAction(x, (a) => `{"i":${str(a.i)},"j":${str(a.j)}}`))
      .with({ name: "ClientRequest" }, (x) =>
        onAction(x, (a) => `{"i":${str(a.i)},"v":${str(a.v)}}`),
      )
      .with({ name: "Reconfigure" }, (x) =>
        onAction(x, (a) => `{"i":${str(a.i)},"newSet":${serverSetJson(idSet(a.newSet))}}`),
      )
      .with({ m: P.nonNullable }, (x) => onAction(x, (a) => `{"m":${messageJson(a.m)}}`))
      .exhaustive(),
);
