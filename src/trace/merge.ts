/**
 * Merging the per-node traces of one real run (traces/FORMAT.md, "Per-node traces of real
 * runs") into one partial trace the validator checks like any other.
 *
 * Each node's file logs its own part of the per-process spec variables; the merge orders every
 * event by its Lamport timestamp (ties by clock, then by node id), which puts each receive
 * after its send, builds Init from the nodes' parts, gathers the set-valued constants the nodes
 * added to (e.g. the client values), and leaves the message bag to the spec. The nodes' events
 * of the spec's actions each change only the acting node's variables (and the bag), so any
 * order consistent with causality gives every logged variable its true value at every event.
 *
 * Each merged event remembers its file and line, so that a divergence or a bad value is
 * reported where the node wrote it.
 */
import { readFileSync } from "node:fs";
import { dirname } from "node:path";
import { decodeTraceText, type Trace } from "./codec.js";
import { parseLine, readText, splitLines, TraceError } from "./ndjson.js";
import { NODE_TRACE_FORMAT, NODE_TRACE_VERSION } from "./node-trace.js";
import { INIT_ACTION } from "./protocol.js";

/** Where a merged event came from. */
export interface Origin {
  readonly file: string;
  readonly line: number;
}

export interface MergedRun {
  readonly trace: Trace;
  /** origins[k]: the node file and line of the merged trace's event k. */
  readonly origins: ReadonlyArray<Origin>;
}

interface NodeHeader {
  readonly protocol: string;
  readonly node: string;
  readonly servers: ReadonlyArray<string>;
  readonly logged: ReadonlyArray<string>;
  readonly constants: Readonly<Record<string, unknown>>;
}

interface NodeEvent {
  readonly file: string;
  readonly line: number;
  readonly node: string;
  readonly lamport: number;
  readonly clock: number;
  readonly action: string;
  readonly params: unknown;
  readonly updates: unknown;
  readonly constants: Readonly<Record<string, unknown>> | undefined;
}

interface NodeFile {
  readonly file: string;
  readonly header: NodeHeader;
  readonly init: Readonly<Record<string, unknown>>;
  readonly events: ReadonlyArray<NodeEvent>;
}

const isObject = (x: unknown): x is Record<string, unknown> =>
  typeof x === "object" && x !== null && !Array.isArray(x);
const isStrings = (x: unknown): x is string[] =>
  Array.isArray(x) && x.every((s) => typeof s === "string");
const isItfSet = (x: unknown): x is { "#set": unknown[] } =>
  isObject(x) && Array.isArray(x["#set"]) && Object.keys(x).length === 1;

/** Canonical JSON (object members sorted), to compare values however a writer ordered them. */
const canonical = (x: unknown): string =>
  Array.isArray(x)
    ? `[${x.map(canonical).join(",")}]`
    : isObject(x)
      ? `{${Object.keys(x)
          .sort()
          .map((k) => `${JSON.stringify(k)}:${canonical(x[k])}`)
          .join(",")}}`
      : JSON.stringify(x);

/** Whether the file's first line is a node trace header (false for anything else). */
export function isNodeTrace(path: string): boolean {
  let head: string;
  try {
    const text = readFileSync(path, "utf8");
    head = text.slice(0, text.indexOf("\n") >= 0 ? text.indexOf("\n") : text.length);
  } catch {
    return false;
  }
  try {
    const v: unknown = JSON.parse(head);
    return isObject(v) && v.format === NODE_TRACE_FORMAT;
  } catch {
    return false;
  }
}

function readHeader(value: unknown, file: string, line: number): NodeHeader {
  const fail = (what: string) => new TraceError(file, line, `node trace header: ${what}`);
  if (!isObject(value) || value.format !== NODE_TRACE_FORMAT)
    throw fail(`the first line must be {"format":"${NODE_TRACE_FORMAT}",…}`);
  if (value.version !== NODE_TRACE_VERSION)
    throw fail(
      `version ${JSON.stringify(value.version)} is not supported (this validator reads version ${NODE_TRACE_VERSION})`,
    );
  const { protocol, node, servers, logged, constants } = value;
  if (typeof protocol !== "string") throw fail("protocol must be a string (e.g. the folder name)");
  if (typeof node !== "string") throw fail('node must be the id of the node that wrote it ("s1")');
  if (!isStrings(servers) || !servers.includes(node))
    throw fail(`servers must be the ids of the run's servers, ${node} among them`);
  if (!isStrings(logged)) throw fail("logged must list the variables the node logs its part of");
  if (!isObject(constants)) throw fail("constants must be an object of ITF values");
  return { protocol, node, servers, logged, constants };
}

/** One node's file, checked line by line: what a node may write is checked where it wrote it. */
export function readNodeTrace(path: string, shown: string): NodeFile {
  const lines = splitLines(readText(path, shown));
  const [first, ...rest] = lines;
  if (first === undefined)
    throw new TraceError(shown, null, "empty file; a node trace has a header line and events");
  const header = readHeader(parseLine(first, shown), shown, first.line);
  const key = JSON.stringify(header.node);
  let init: Record<string, unknown> | undefined;
  const events: NodeEvent[] = [];
  let last = 0;
  for (const l of rest) {
    const fail = (what: string) => new TraceError(shown, l.line, what);
    const v = parseLine(l, shown);
    if (!isObject(v)) throw fail("an event must be a JSON object");
    const { lamport, clock, action, params } = v;
    if (typeof lamport !== "number" || !Number.isSafeInteger(lamport) || lamport <= last)
      throw fail(
        `lamport must be an integer above the previous event's (${last}), got ${JSON.stringify(lamport)}`,
      );
    last = lamport;
    if (typeof clock !== "number" || !Number.isFinite(clock))
      throw fail(`clock must be a number (milliseconds), got ${JSON.stringify(clock)}`);
    if (typeof action !== "string") throw fail("action must name the spec action");
    if (!isObject(params)) throw fail("params must be an object of the action's parameters");
    if (init === undefined) {
      if (action !== INIT_ACTION || !isObject(v.state))
        throw fail(`the first event must be ${INIT_ACTION} with the node's own "state"`);
      const missing = header.logged.find((n) => !(isObject(v.state) && n in v.state));
      if (missing !== undefined) throw fail(`state.${missing} is missing (it is in logged)`);
      init = v.state;
      continue;
    }
    if (action === INIT_ACTION)
      throw fail(`${INIT_ACTION} again: a node logs Init once, at its first boot`);
    const updates = v.updates;
    if (!isObject(updates)) throw fail('an event after Init must have "updates"');
    for (const [name, ops] of Object.entries(updates)) {
      if (!header.logged.includes(name))
        throw fail(`updates.${name}: not a variable this node logs (${header.logged.join(", ")})`);
      if (!Array.isArray(ops)) throw fail(`updates.${name} must be a list of operations`);
      ops.forEach((op, k) => {
        const path = isObject(op) ? op.path : undefined;
        if (!Array.isArray(path) || path.length === 0 || JSON.stringify(path[0]) !== key)
          throw fail(
            `updates.${name}[${k}].path must start at the node's own id ([${key}, …]): a node logs only its own part of a variable`,
          );
      });
    }
    const constants = v.constants;
    if (constants !== undefined) {
      if (!isObject(constants)) throw fail("constants must be an object of ITF sets");
      for (const [name, add] of Object.entries(constants))
        if (!isItfSet(add) || !isItfSet(header.constants[name]))
          throw fail(
            `constants.${name}: an event may only add elements ({"#set":[…]}) to a set the header gives`,
          );
    }
    events.push({
      file: shown,
      line: l.line,
      node: header.node,
      lamport,
      clock,
      action,
      params,
      updates,
      constants: constants as NodeEvent["constants"],
    });
  }
  if (init === undefined)
    throw new TraceError(
      shown,
      first.line,
      `no events after the header; the first is ${INIT_ACTION}`,
    );
  return { file: shown, header, init, events };
}

/** A short name for a run: its files' folder, or the files. */
const runName = (files: ReadonlyArray<NodeFile>): string => {
  const dirs = new Set(files.map((f) => dirname(f.file)));
  const names = files.map((f) => f.file.slice(dirname(f.file).length + 1));
  return dirs.size === 1
    ? `${[...dirs][0]}/{${names.join(",")}}`
    : files.map((f) => f.file).join(" + ");
};

/** The one partial trace of a run from its nodes' files (a TraceError names the file and line). */
export function mergeNodeTraces(
  inputs: ReadonlyArray<{ readonly path: string; readonly shown: string }>,
): MergedRun {
  const files = inputs.map((i) => readNodeTrace(i.path, i.shown));
  const first = files[0];
  if (first === undefined) throw new TraceError("(no files)", null, "no node traces to merge");
  const h = first.header;
  const fail = (f: NodeFile, what: string) => new TraceError(f.file, 1, what);
  const byNode = new Map<string, NodeFile>();
  for (const f of files) {
    const same =
      f.header.protocol === h.protocol &&
      canonical([...f.header.servers].sort()) === canonical([...h.servers].sort()) &&
      canonical(f.header.logged) === canonical(h.logged) &&
      canonical(f.header.constants) === canonical(h.constants);
    if (!same)
      throw fail(
        f,
        `its header (protocol, servers, logged, constants) differs from ${first.file}'s: give the node traces of one run`,
      );
    const twin = byNode.get(f.header.node);
    if (twin !== undefined)
      throw fail(
        f,
        `a second trace of node ${f.header.node} (the first is ${twin.file}): give the node traces of one run`,
      );
    byNode.set(f.header.node, f);
  }
  const servers = [...h.servers].sort();
  const missing = servers.filter((s) => !byNode.has(s));
  if (missing.length > 0)
    throw new TraceError(
      runName(files),
      null,
      `no trace of ${missing.join(", ")} among the files: give every node's trace of the run (a run's Init is every node's)`,
    );

  // Every event, in Lamport order; ties (concurrent events) by clock, then by node id.
  const events = files
    .flatMap((f) => f.events)
    .sort((a, b) =>
      a.lamport !== b.lamport
        ? a.lamport - b.lamport
        : a.clock !== b.clock
          ? a.clock - b.clock
          : a.node < b.node
            ? -1
            : a.node > b.node
              ? 1
              : 0,
    );

  // The constants: the header's, with every element the nodes' events added to a set.
  const constants: Record<string, unknown> = { ...h.constants };
  const added = new Map<string, Map<string, unknown>>();
  for (const e of events)
    for (const [name, add] of Object.entries(e.constants ?? {})) {
      const into = added.get(name) ?? new Map<string, unknown>();
      added.set(name, into);
      for (const x of (add as { "#set": unknown[] })["#set"]) into.set(canonical(x), x);
    }
  for (const [name, into] of added) {
    const base = (constants[name] as { "#set": unknown[] })["#set"];
    const all = new Map(base.map((x) => [canonical(x), x] as const));
    for (const [k, x] of into) all.set(k, x);
    constants[name] = { "#set": [...all.values()] };
  }

  const header = {
    format: "lockstep-trace",
    version: 3,
    protocol: h.protocol,
    servers,
    logged: h.logged,
    constants,
  };
  const init = Object.fromEntries(
    h.logged.map((n) => [
      n,
      { "#map": servers.map((s) => [s, (byNode.get(s) as NodeFile).init[n]]) },
    ]),
  );
  const origins: Origin[] = [{ file: first.file, line: 2 }];
  const lines = [
    JSON.stringify(header),
    JSON.stringify({ i: 0, action: INIT_ACTION, params: {}, state: init }),
  ];
  events.forEach((e, k) => {
    origins.push({ file: e.file, line: e.line });
    lines.push(
      JSON.stringify({ i: k + 1, action: e.action, params: e.params, updates: e.updates }),
    );
  });
  const name = runName(files);
  try {
    return { trace: decodeTraceText(`${lines.join("\n")}\n`, name), origins };
  } catch (e) {
    // A value the protocol's types reject: where the node wrote it.
    if (!(e instanceof TraceError) || e.file !== name) throw e;
    const at = e.line === null ? undefined : origins[e.line - 2];
    if (at === undefined || e.line === 1) throw e;
    throw new TraceError(
      at.file,
      at.line,
      `${e.what} (event ${(e.line ?? 2) - 2} of the merged run)`,
    );
  }
}
