/**
 * Raft values as ITF (traces/FORMAT.md): entries and messages as the spec's records, Nil as
 * "Nil", sets as {"#set": …}. `*Itf` build ITF values; `*Json` print the same values' canonical
 * JSON directly (memoised by identity, since entries and messages are immutable) because the
 * simulator prints every message and log on every step. Tests hold the two paths equal.
 */
import { match } from "ts-pattern";
import { byTag, narrowed } from "../core/dispatch.js";
import type { ServerId } from "../core/ids.js";
import { type ItfValue, itfSet } from "../core/itf.js";
import type { Entry, Message } from "./types.js";

/** The spec's Nil model value. */
export const NIL = "Nil";

export const serverSetItf = (s: ReadonlyArray<ServerId>): ItfValue => itfSet(s);

export const entryItf = (e: Entry): ItfValue => ({
  term: e.term,
  value: e.value ?? NIL,
  old: itfSet(e.old),
  new: itfSet(e.new),
});

export const messageItf = (m: Message): ItfValue =>
  match(m)
    .returnType<ItfValue>()
    .with({ mtype: "AppendEntriesRequest" }, (x) => ({ ...x, mentries: x.mentries.map(entryItf) }))
    .with({ mtype: "AppendEntriesResponse" }, { mtype: "RequestVoteRequest" }, (x) => ({ ...x }))
    .with({ mtype: "RequestVoteResponse" }, (x) => ({ ...x }))
    .exhaustive();

const quoted = new Map<string, string>();

/** JSON.stringify for the few strings printed over and over (ids, roles, action names). */
export function str(s: string): string {
  let q = quoted.get(s);
  if (q === undefined) {
    q = JSON.stringify(s);
    if (quoted.size < 10_000) quoted.set(s, q);
  }
  return q;
}

/** Canonical JSON of a canonical (sorted, unique) set of ids. */
export const serverSetJson = (s: ReadonlyArray<ServerId>): string =>
  s.length === 0 ? '{"#set":[]}' : `{"#set":[${s.map(str).join(",")}]}`;

const entryMemo = new WeakMap<Entry, string>();

/** Canonical JSON of entryItf(e). */
export function entryJson(e: Entry): string {
  let s = entryMemo.get(e);
  if (s === undefined) {
    s = `{"new":${serverSetJson(e.new)},"old":${serverSetJson(e.old)},"term":${e.term},"value":${str(e.value ?? NIL)}}`;
    entryMemo.set(e, s);
  }
  return s;
}

const logMemo = new WeakMap<ReadonlyArray<Entry>, string>();

/** Canonical JSON of a log (a sequence of entries). */
export function logJson(log: ReadonlyArray<Entry>): string {
  // Most AppendEntries carry one entry or none: printing those is cheaper than a memo entry.
  if (log.length === 0) return "[]";
  if (log.length === 1) return `[${entryJson(log[0] as Entry)}]`;
  let s = logMemo.get(log);
  if (s === undefined) {
    s = `[${log.map(entryJson).join(",")}]`;
    logMemo.set(log, s);
  }
  return s;
}

/**
 * The texts of the messages printed last, by identity: a message is printed when sent and
 * asked for again while in flight (trace parameters, the network). A small ring scanned by
 * identity is cheaper here than a WeakMap, whose entry per short-lived message costs more
 * than printing it; a message that fell out is printed again, to the same text.
 */
const RECENT = 32;
const recentMessages: (Message | undefined)[] = new Array(RECENT).fill(undefined);
const recentTexts: string[] = new Array(RECENT).fill("");
let recentNext = 0;

/** Canonical JSON of messageItf(m): keys in code-unit order, as canonicalJson sorts them. */
export function messageJson(m: Message): string {
  for (let k = 0; k < RECENT; k++) if (recentMessages[k] === m) return recentTexts[k] as string;
  const s = printMessage(m);
  recentMessages[recentNext] = m;
  recentTexts[recentNext] = s;
  recentNext = (recentNext + 1) % RECENT;
  return s;
}

const onMessage = narrowed<Message>();

/** Prints a message (per message type, an exhaustive match run once: see core/dispatch.ts). */
const printerOf = byTag(
  (m: Message) => m.mtype,
  (m) =>
    match(m)
      .returnType<(m: Message) => string>()
      .with({ mtype: "RequestVoteRequest" }, (x) =>
        onMessage(
          x,
          (m) =>
            `{"mdest":${str(m.mdest)},"mlastLogIndex":${m.mlastLogIndex},"mlastLogTerm":${m.mlastLogTerm},${tail(m)}}`,
        ),
      )
      .with({ mtype: "RequestVoteResponse" }, (x) =>
        onMessage(
          x,
          (m) => `{"mdest":${str(m.mdest)},${tail(m)},"mvoteGranted":${m.mvoteGranted}}`,
        ),
      )
      .with({ mtype: "AppendEntriesRequest" }, (x) =>
        onMessage(
          x,
          (m) =>
            `{"mcommitIndex":${m.mcommitIndex},"mdest":${str(m.mdest)},"mentries":${logJson(m.mentries)},"mprevLogIndex":${m.mprevLogIndex},"mprevLogTerm":${m.mprevLogTerm},${tail(m)}}`,
        ),
      )
      .with({ mtype: "AppendEntriesResponse" }, (x) =>
        onMessage(
          x,
          (m) =>
            `{"mdest":${str(m.mdest)},"mmatchIndex":${m.mmatchIndex},"msource":${str(m.msource)},"msuccess":${m.msuccess},"mterm":${m.mterm},"mtype":${str(m.mtype)}}`,
        ),
      )
      .exhaustive(),
);

/** The keys every message has that sort after its own (msource, mterm, mtype). */
const tail = (m: Message): string =>
  `"msource":${str(m.msource)},"mterm":${m.mterm},"mtype":${str(m.mtype)}`;

const printMessage = (m: Message): string => printerOf(m)(m);
