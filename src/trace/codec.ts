/**
 * The trace format (traces/FORMAT.md) as io-ts codecs: a header line, then one event per line.
 * The envelope (field names and JSON types) is checked by io-ts; the protocol part (known
 * action, its parameters, every spec variable with the right type) by the protocol's
 * description. Every failure is one TraceError naming file:line and what to change.
 */
import { isLeft } from "fp-ts/lib/Either.js";
import * as t from "io-ts";
import { canonicalJson, type ItfValue } from "../core/itf.js";
import { equals, fromItf, fun, printTla, seq, toItf, type Value } from "./itf.js";
import { arrayElements, objectMembers } from "./json-scan.js";
import {
  type NdjsonLine,
  parseLine,
  type RawLine,
  readText,
  shownPath,
  splitLines,
  TraceError,
} from "./ndjson.js";
import { INIT_ACTION, type ParamSpec, type Protocol, traceProtocols } from "./protocol.js";
import { checkSchema, type Schema } from "./schema.js";
import { applyUpdates, diffText } from "./updates.js";

export const TRACE_FORMAT = "lockstep-trace";
/** The newest format version; every version up to it is read. */
export const TRACE_VERSION = 3;
export type TraceVersion = 1 | 2 | 3;

const Int = t.refinement(t.number, Number.isInteger, "Int");

export const HeaderC = t.intersection([
  t.type({
    format: t.literal(TRACE_FORMAT),
    version: t.union([t.literal(1), t.literal(2), t.literal(3)]),
    protocol: t.string,
    constants: t.UnknownRecord,
  }),
  t.partial({
    seed: t.union([Int, t.string]),
    servers: t.array(t.string),
    logged: t.array(t.string),
    unlogged: t.type({ actions: t.array(t.string), steps: Int }),
  }),
]);
export type HeaderJson = t.TypeOf<typeof HeaderC>;

export const EventC = t.type({
  i: Int,
  action: t.string,
  params: t.UnknownRecord,
  state: t.UnknownRecord,
});
export type EventJson = t.TypeOf<typeof EventC>;

/** A version-2 event after Init: only the variables that changed. */
export const ChangedEventC = t.type({
  i: Int,
  action: t.string,
  params: t.UnknownRecord,
  changed: t.UnknownRecord,
});
export type ChangedEventJson = t.TypeOf<typeof ChangedEventC>;

/** A version-3 event after Init: per changed variable, the operations that changed it. */
export const UpdatesEventC = t.type({
  i: Int,
  action: t.string,
  params: t.UnknownRecord,
  updates: t.UnknownRecord,
});
export type UpdatesEventJson = t.TypeOf<typeof UpdatesEventC>;

/** What an event after Init logs of the state, per version, and how the line must look. */
const LOGGED: Record<TraceVersion, { member: string; shape: string }> = {
  1: { member: "state", shape: 'an event is {"i":n,"action":"…","params":{…},"state":{…}}' },
  2: {
    member: "changed",
    shape: 'in version 2 an event after Init is {"i":n,"action":"…","params":{…},"changed":{…}}',
  },
  3: {
    member: "updates",
    shape:
      'in version 3 an event after Init is {"i":n,"action":"…","params":{…},"updates":{"<variable>":[operations]}}',
  },
};

export interface TraceHeader {
  /** The file's format version (traces/FORMAT.md); absent means 1, e.g. for generated traces. */
  version?: TraceVersion;
  protocol: Protocol;
  seed?: number | string;
  servers?: string[];
  /** Every constant of the harness, resolved: header values, defaults, fixed values. */
  constants: Readonly<Record<string, Value>>;
  /** The constants as the header gave them. */
  given: Readonly<Record<string, Value>>;
  /**
   * A partial trace (traces/FORMAT.md, "Partial traces"): the variables it logs, when not all.
   * An event's `state` then holds only logged variables (in version 1, and at Init, an event may
   * leave out some of these too: they are not logged at that event).
   */
  logged?: readonly string[];
  /** Actions the trace may leave out (e.g. the network's drops), at most `steps` in a row. */
  unlogged?: { readonly actions: readonly string[]; readonly steps: number };
}

export interface TraceEvent {
  /** Event number (0 = Init). */
  i: number;
  /** Line of the event in its file (null in an ITF file, one JSON document). */
  line: number | null;
  action: string;
  params: Readonly<Record<string, Value>>;
  /**
   * The post-state: every spec variable (in version 2, the previous event's state with the
   * logged changes; an unchanged variable is the previous event's value object).
   */
  state: Readonly<Record<string, Value>>;
}

export interface Trace {
  /** The file as shown in messages. */
  file: string;
  header: TraceHeader;
  events: TraceEvent[];
}

/** One-line reason from io-ts errors: the deepest path and the offending value. */
function ioTsReason(errors: t.Errors): string {
  const e = errors[0];
  if (!e) return "invalid";
  if (e.message) return e.message;
  const path = e.context
    .map((c) => c.key)
    .filter((k) => k !== "" && !/^\d+$/.test(k))
    .join(".");
  const last = e.context.at(-1);
  const shown = e.value === undefined ? "nothing" : JSON.stringify(e.value);
  const want = last?.type.name ?? "a value";
  return `${path || "line"}: expected ${want}, got ${shown.length > 60 ? `${shown.slice(0, 57)}...` : shown}`;
}

export function decodeHeader(line: NdjsonLine, file: string): TraceHeader {
  const fail = (what: string) => new TraceError(file, line.line, what);
  const o = line.value as Record<string, unknown>;
  if (typeof o !== "object" || o === null || Array.isArray(o))
    throw fail('the first line must be the header object {"format":"lockstep-trace",…}');
  if (o.format !== TRACE_FORMAT)
    throw fail(
      `not a lockstep trace header (format is ${JSON.stringify(o.format)}, expected "${TRACE_FORMAT}"); the first line must be the header`,
    );
  if (o.version !== 1 && o.version !== 2 && o.version !== 3)
    throw fail(
      `trace format version ${JSON.stringify(o.version)} is not supported (this validator reads versions 1 to ${TRACE_VERSION})`,
    );
  const r = HeaderC.decode(o);
  if (isLeft(r)) throw fail(`header: ${ioTsReason(r.left)}`);
  const h = r.right;
  const protocol = traceProtocols().get(h.protocol);
  if (!protocol)
    throw fail(
      `unknown protocol "${h.protocol}" (traces can be validated for: ${[...traceProtocols().keys()].join(", ")})`,
    );
  const given: Record<string, Value> = {};
  for (const [k, raw] of Object.entries(h.constants)) {
    const spec = protocol.constants.find((c) => c.name === k);
    if (!spec)
      throw fail(
        `header: constants.${k} is not a constant of ${protocol.module} (expected ${protocol.constants.map((c) => c.name).join(", ")})`,
      );
    const v = fromItf(raw, `constants.${k}`);
    if ("path" in v) throw fail(`header: ${v.path}: ${v.message}`);
    const bad = checkSchema(v, spec.schema, `constants.${k}`);
    if (bad) throw fail(`header: ${bad}`);
    given[k] = v;
  }
  const constants: Record<string, Value> = {};
  for (const c of protocol.constants) {
    const v = c.fixed ?? given[c.name] ?? c.default;
    if (!v) throw fail(`header: constants.${c.name} is missing; give the value the run used`);
    constants[c.name] = v;
  }
  const varNames = protocol.variables.map((v) => v.name);
  const notVar = h.logged?.find((n) => !varNames.includes(n));
  if (notVar !== undefined)
    throw fail(
      `header: logged lists "${notVar}", which is not a variable of ${protocol.module} (its variables: ${varNames.join(", ")})`,
    );
  const notAction = h.unlogged?.actions.find((a) => protocol.actions[a] === undefined);
  if (notAction !== undefined)
    throw fail(
      `header: unlogged.actions lists "${notAction}", which is not an action of ${protocol.module} (its actions: ${Object.keys(protocol.actions).join(", ")})`,
    );
  if (h.unlogged && (h.unlogged.steps < 0 || h.unlogged.steps > 16))
    throw fail(
      `header: unlogged.steps is ${h.unlogged.steps}; give the most unlogged steps in a row, from 0 to 16`,
    );
  return {
    version: h.version,
    protocol,
    constants,
    given,
    ...(h.seed === undefined ? {} : { seed: h.seed }),
    ...(h.servers === undefined ? {} : { servers: h.servers }),
    ...(h.logged === undefined ? {} : { logged: varNames.filter((n) => h.logged?.includes(n)) }),
    ...(h.unlogged === undefined
      ? {}
      : { unlogged: { actions: [...h.unlogged.actions], steps: h.unlogged.steps } }),
  };
}

/** Whether a trace logs less than every variable of every event (see TraceHeader.logged). */
export const isPartial = (h: Pick<TraceHeader, "logged" | "unlogged">): boolean =>
  h.logged !== undefined || h.unlogged !== undefined;

/**
 * What decoding the previous event's variables produced, to reuse for the next event: most of a
 * state does not change from one event to the next, and decoding (canonicalising sets and maps,
 * checking types) is most of the cost of reading a long trace. Reused values are the same
 * objects, which also makes comparing consecutive states cheap.
 */
export type DecodeMemo = Map<
  string,
  {
    text: string;
    value: Value;
    parts: Map<string, readonly [Value, Value]>;
    /** Elements of sequence values (log entries) by their text. */
    elems: Map<string, Value>;
  }
>;

/** A value to decode: its JSON text (from the trace line) or its parsed JSON. */
type Source = { text: string } | { json: unknown };

/** Thrown when a piece of a line turns out not to be JSON: the caller reports the whole line. */
class BadJson extends Error {}

const parse = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    throw new BadJson();
  }
};

/** The [key, value] pairs of an ITF map, each with its text; null if `src` is no `{"#map":…}`. */
function mapPairs(src: Source): { text: string; json: () => unknown }[] | null {
  if ("text" in src) {
    const members = objectMembers(src.text, skipSpaceAt(src.text));
    const body = members?.size === 1 ? members.get("#map") : undefined;
    const spans = body ? arrayElements(src.text, body[0]) : null;
    if (!spans) return null;
    return spans.map(([a, b]) => {
      const text = src.text.slice(a, b);
      return { text, json: () => parse(text) };
    });
  }
  const raw = src.json;
  if (!raw || typeof raw !== "object" || Object.keys(raw).length !== 1 || !("#map" in raw))
    return null;
  const body = (raw as { "#map": unknown })["#map"];
  if (!Array.isArray(body)) return null;
  return body.map((p) => ({ text: JSON.stringify(p), json: () => p }));
}

const skipSpaceAt = (text: string) => text.length - text.trimStart().length;

/**
 * Decode one variable's value, reusing the previous event's where its text is unchanged, and
 * for a map the previous pairs whose text is unchanged (log["s1"] when only s2 appended).
 */
function decodeVariable(
  src: Source,
  name: string,
  path: string,
  schema: Schema,
  memo: DecodeMemo | undefined,
): Value | string {
  const text = "text" in src ? src.text : JSON.stringify(src.json);
  const before = memo?.get(name);
  if (before && before.text === text) return before.value;
  const parts = new Map<string, readonly [Value, Value]>();
  const elems = new Map<string, Value>();
  let value: Value | undefined;
  const pairsIn = schema.t === "fun" ? mapPairs(src) : null;
  if (schema.t === "fun" && pairsIn) {
    const pairs: (readonly [Value, Value])[] = [];
    for (let k = 0; k < pairsIn.length; k++) {
      const { text: pt, json } = pairsIn[k] as (typeof pairsIn)[number];
      const at = `${path}.#map[${k}]`;
      let pair = before?.parts.get(pt);
      if (!pair && schema.val.t === "seq" && "text" in src) {
        const p = seqPair(pt, at, path, schema.key, schema.val.of, before?.elems, elems);
        if (typeof p === "string") return p;
        if (p) pair = p;
      }
      if (!pair) {
        const p = json();
        if (!Array.isArray(p) || p.length !== 2)
          return `${at}: "#map" entries must be [key, value] pairs`;
        const key = fromItf(p[0], `${at}[0]`);
        if ("path" in key) return `${key.path}: ${key.message}`;
        const val = fromItf(p[1], `${at}[1]`);
        if ("path" in val) return `${val.path}: ${val.message}`;
        const bad =
          checkSchema(key, schema.key, `${path} key`) ??
          checkSchema(val, schema.val, `${path}[${shortText(key)}]`);
        if (bad) return bad;
        pair = [key, val];
      }
      parts.set(pt, pair);
      pairs.push(pair);
    }
    try {
      value = fun(pairs);
    } catch (e) {
      return `${path}: ${(e as Error).message}`;
    }
  } else {
    const v = fromItf("text" in src ? parse(src.text) : src.json, path);
    if ("path" in v) return `${v.path}: ${v.message}`;
    const bad = checkSchema(v, schema, path);
    if (bad) return bad;
    value = v;
  }
  memo?.set(name, { text, value, parts, elems });
  return value;
}

/**
 * A [key, sequence] pair decoded element by element, reusing the elements whose text the
 * previous event had (a log that grew by one entry decodes one entry); null when the text does
 * not split, to decode it whole. Errors name the same places as decoding it whole.
 */
function seqPair(
  text: string,
  at: string,
  path: string,
  keySchema: Schema,
  elemSchema: Schema,
  seen: Map<string, Value> | undefined,
  out: Map<string, Value>,
): readonly [Value, Value] | string | null {
  const spans = arrayElements(text, skipSpaceAt(text));
  const [ks, vs] = spans ?? [];
  if (spans?.length !== 2 || !ks || !vs) return null;
  const items = arrayElements(text, vs[0]);
  if (!items) return null;
  const key = fromItf(parse(text.slice(ks[0], ks[1])), `${at}[0]`);
  if ("path" in key) return `${key.path}: ${key.message}`;
  const badKey = checkSchema(key, keySchema, `${path} key`);
  if (badKey) return badKey;
  const xs: Value[] = [];
  for (let k = 0; k < items.length; k++) {
    const [a, b] = items[k] as [number, number];
    const et = text.slice(a, b);
    let x = seen?.get(et) ?? out.get(et);
    if (!x) {
      const v = fromItf(parse(et), `${at}[1][${k}]`);
      if ("path" in v) return `${v.path}: ${v.message}`;
      const bad = checkSchema(v, elemSchema, `${path}[${shortText(key)}][${k}]`);
      if (bad) return bad;
      x = v;
    }
    out.set(et, x);
    xs.push(x);
  }
  return [key, seq(xs)];
}

const shortText = (v: Value) => {
  const t = printTla(v);
  return t.length > 60 ? `${t.slice(0, 57)}...` : t;
};

export function decodeEvent(
  line: NdjsonLine,
  file: string,
  protocol: Protocol,
  expectedIndex: number,
  memo?: DecodeMemo,
  /** The state's (or changes') members as JSON text, when the line was split, not parsed. */
  stateText?: Map<string, string>,
  /** Versions 2 and 3 after Init: the previous event's state, which the event changes. */
  previous?: Readonly<Record<string, Value>>,
  /** The file's version (default: 2 when `previous` is given, else 1). */
  version: TraceVersion = previous ? 2 : 1,
  /** A partial trace's logged variables (TraceHeader.logged); undefined: every variable. */
  loggedVars?: readonly string[],
): TraceEvent {
  const fail = (what: string) => new TraceError(file, line.line, `event ${expectedIndex}: ${what}`);
  const v = previous ? version : 1;
  const r =
    v === 3
      ? UpdatesEventC.decode(line.value)
      : v === 2
        ? ChangedEventC.decode(line.value)
        : EventC.decode(line.value);
  if (isLeft(r)) throw fail(`${ioTsReason(r.left)}; ${LOGGED[v].shape}`);
  const e = r.right;
  const logged = "updates" in e ? e.updates : "changed" in e ? e.changed : e.state;
  const member = LOGGED[v].member;
  if (e.i !== expectedIndex)
    throw fail(
      `"i" is ${e.i}, expected ${expectedIndex} (events are numbered 0, 1, 2, … in order)`,
    );
  const names = Object.keys(protocol.actions);
  let paramSpecs: readonly ParamSpec[];
  if (expectedIndex === 0) {
    if (e.action !== INIT_ACTION)
      throw fail(
        `the first event must be "${INIT_ACTION}" with the initial state, got "${e.action}"`,
      );
    paramSpecs = [];
  } else {
    const specs = protocol.actions[e.action];
    if (!specs)
      throw fail(
        e.action === INIT_ACTION
          ? `"${INIT_ACTION}" may only be event 0`
          : `unknown action "${e.action}" for protocol ${protocol.name} (expected one of ${names.join(", ")})`,
      );
    paramSpecs = specs;
  }
  const params: Record<string, Value> = {};
  for (const [k, raw] of Object.entries(e.params)) {
    const spec = paramSpecs.find((p) => p.name === k);
    if (!spec)
      throw fail(
        `${e.action} has no parameter "${k}" (its parameters: ${paramSpecs.map((p) => p.name).join(", ") || "none"})`,
      );
    const v = fromItf(raw, `params.${k}`);
    if ("path" in v) throw fail(`${v.path}: ${v.message}`);
    const bad = checkSchema(v, spec.schema, `params.${k}`);
    if (bad) throw fail(bad);
    params[k] = v;
  }
  const state: Record<string, Value> = {};
  const varNames = protocol.variables.map((v) => v.name);
  const given = stateText ? [...stateText.keys()] : Object.keys(logged);
  const extra = given.filter((k) => !varNames.includes(k));
  if (extra.length > 0)
    throw fail(
      `${member}.${extra[0]} is not a variable of ${protocol.module} (its variables: ${varNames.join(", ")})`,
    );
  const unlisted = loggedVars && given.find((k) => !loggedVars.includes(k));
  if (unlisted && loggedVars)
    throw fail(
      `${member}.${unlisted} is not logged by this trace (the header's "logged" lists ${loggedVars.join(", ")}); add it there or leave it out`,
    );
  for (const { name, schema } of protocol.variables) {
    if (!given.includes(name)) {
      const kept = previous?.[name];
      if (kept) {
        state[name] = kept;
        continue;
      }
      // A partial trace leaves it out: not logged at this event (the spec chooses it).
      if (loggedVars) continue;
      throw fail(
        `state.${name} is missing; ${expectedIndex === 0 ? "Init" : "every event"} carries the post-state of every spec variable`,
      );
    }
    if (v === 3) {
      const x = applyUpdates(previous?.[name] as Value, schema, logged[name], `updates.${name}`);
      if (typeof x === "string") throw fail(x);
      state[name] = x;
      continue;
    }
    const text = stateText?.get(name);
    const src: Source = text === undefined ? { json: logged[name] } : { text };
    const x = decodeVariable(src, name, `${member}.${name}`, schema, memo);
    if (typeof x === "string") throw fail(x);
    state[name] = x;
  }
  return { i: e.i, line: line.line, action: e.action, params, state };
}

/** Decode parsed NDJSON lines into a trace. */
export function decodeTrace(lines: NdjsonLine[], file: string): Trace {
  const [first, ...rest] = lines;
  if (!first) throw new TraceError(file, null, "empty file; a trace has a header line and events");
  const header = decodeHeader(first, file);
  if (rest.length === 0)
    throw new TraceError(file, first.line, "no events after the header; event 0 must be Init");
  const memo: DecodeMemo = new Map();
  const events: TraceEvent[] = [];
  for (const l of rest) {
    const k = events.length;
    const previous = (header.version ?? 1) > 1 ? events[k - 1]?.state : undefined;
    events.push(
      decodeEvent(
        l,
        file,
        header.protocol,
        k,
        memo,
        undefined,
        previous,
        header.version,
        header.logged,
      ),
    );
  }
  return { file, header, events };
}

/**
 * Decode one event line, parsing only what changed since the previous event: the line is split
 * into its envelope and the state's variables by position, and a variable whose text equals the
 * previous event's is not parsed again. Falls back to parsing the whole line when the split
 * fails, so malformed lines get the same error either way.
 */
function decodeEventLine(
  raw: RawLine,
  file: string,
  protocol: Protocol,
  expectedIndex: number,
  memo: DecodeMemo,
  previous: Readonly<Record<string, Value>> | undefined,
  version: TraceVersion,
  logged: readonly string[] | undefined,
): TraceEvent {
  const whole = () =>
    decodeEvent(
      { line: raw.line, value: parseLine(raw, file) },
      file,
      protocol,
      expectedIndex,
      memo,
      undefined,
      previous,
      version,
      logged,
    );
  // A version-3 line holds only what changed: it is short, and parsed whole.
  if (previous && version === 3) return whole();
  const text = raw.text;
  const top = objectMembers(text, skipSpaceAt(text));
  const span = top?.get(previous ? "changed" : "state");
  const members = span ? objectMembers(text, span[0]) : null;
  if (!span || !members) return whole();
  let envelope: unknown;
  try {
    envelope = JSON.parse(`${text.slice(0, span[0])}{}${text.slice(span[1])}`);
  } catch {
    return whole();
  }
  const stateText = new Map([...members].map(([k, [a, b]]) => [k, text.slice(a, b)]));
  try {
    return decodeEvent(
      { line: raw.line, value: envelope },
      file,
      protocol,
      expectedIndex,
      memo,
      stateText,
      previous,
      version,
      logged,
    );
  } catch (e) {
    if (e instanceof BadJson) return whole();
    throw e;
  }
}

export interface ReadOptions {
  /** Called after each decoded event with the number decoded so far (e.g. for progress). */
  onEvent?: (events: number) => void;
}

/** Decode a trace from its NDJSON text. */
export function decodeTraceText(text: string, file: string, opts: ReadOptions = {}): Trace {
  const [first, ...rest] = splitLines(text);
  if (!first) throw new TraceError(file, null, "empty file; a trace has a header line and events");
  const header = decodeHeader({ line: first.line, value: parseLine(first, file) }, file);
  if (rest.length === 0)
    throw new TraceError(file, first.line, "no events after the header; event 0 must be Init");
  const memo: DecodeMemo = new Map();
  const events: TraceEvent[] = [];
  const version = header.version ?? 1;
  for (const l of rest) {
    const k = events.length;
    const previous = version > 1 ? events[k - 1]?.state : undefined;
    events.push(
      decodeEventLine(l, file, header.protocol, k, memo, previous, version, header.logged),
    );
    opts.onEvent?.(events.length);
  }
  return { file, header, events };
}

export function readTrace(path: string, shown = shownPath(path), opts: ReadOptions = {}): Trace {
  return decodeTraceText(readText(path, shown), shown, opts);
}

export function parseTrace(text: string, file: string): Trace {
  return decodeTraceText(text, file);
}

// ---------------------------------------------------------------------------------------------
// Encoding

export function encodeHeader(h: TraceHeader, version: TraceVersion = h.version ?? 1): HeaderJson {
  return {
    format: TRACE_FORMAT,
    version,
    protocol: h.protocol.name,
    ...(h.seed === undefined ? {} : { seed: h.seed }),
    ...(h.servers === undefined ? {} : { servers: h.servers }),
    ...(h.logged === undefined ? {} : { logged: [...h.logged] }),
    ...(h.unlogged === undefined
      ? {}
      : { unlogged: { actions: [...h.unlogged.actions], steps: h.unlogged.steps } }),
    constants: Object.fromEntries(Object.entries(h.given).map(([k, v]) => [k, toItf(v)])),
  };
}

/**
 * One event line's object: with every variable (version 1, or any version's Init), or, given the
 * previous event's state, with those that differ from it (version 2) or their updates (3).
 */
export function encodeEvent(
  e: Omit<TraceEvent, "line">,
  protocol: Protocol,
  previous?: Readonly<Record<string, Value>>,
  version: TraceVersion = previous ? 2 : 1,
  /** A partial trace: a variable the event does not log is left out. */
  partial = false,
): EventJson | ChangedEventJson | UpdatesEventJson {
  const vars: Record<string, unknown> = {};
  for (const { name, schema } of protocol.variables) {
    const v = e.state[name];
    if (!v && partial && previous?.[name] !== undefined && version > 1)
      throw new Error(
        `event ${e.i}: ${name} is logged before but not here, which only version 1 can say (in versions 2 and 3 an absent variable kept its value)`,
      );
    if (!v && partial) continue;
    if (!v) throw new Error(`event ${e.i}: no value for ${name}`);
    const before = previous?.[name];
    if (before && equals(before, v)) continue;
    if (before && version === 3) {
      const ops = diffText(schema, canonicalText(before), canonicalText(v));
      if (ops !== "") vars[name] = JSON.parse(ops);
    } else if (previous && version === 3)
      // A partial trace's variable logged for the first time: its whole value.
      vars[name] = [{ op: "set", path: [], value: toItf(v) }];
    else vars[name] = toItf(v);
  }
  const head = {
    i: e.i,
    action: e.action,
    params: Object.fromEntries(Object.entries(e.params).map(([k, v]) => [k, toItf(v)])),
  };
  if (!previous) return { ...head, state: vars };
  return version === 3 ? { ...head, updates: vars } : { ...head, changed: vars };
}

/** The canonical JSON (core/itf.ts) of a value: the text trace writers print. */
const canonicalText = (v: Value): string => canonicalJson(toItf(v) as ItfValue);

/** The trace as NDJSON lines (header first), in the header's version unless one is given. */
export function encodeTrace(
  tr: Pick<Trace, "header" | "events">,
  version: TraceVersion = tr.header.version ?? 1,
): unknown[] {
  return [
    encodeHeader(tr.header, version),
    ...tr.events.map((e, k) =>
      encodeEvent(
        e,
        tr.header.protocol,
        version > 1 ? tr.events[k - 1]?.state : undefined,
        version,
        isPartial(tr.header),
      ),
    ),
  ];
}

/** Short TLA+ text of a parameter list, e.g. `Timeout("s1")`, for messages. */
export function describeEvent(
  e: Pick<TraceEvent, "action" | "params">,
  protocol: Protocol,
): string {
  const specs = protocol.actions[e.action] ?? [];
  if (specs.length === 0) return e.action;
  const args = specs.map((p) => {
    const v = e.params[p.name];
    if (!v) return `${p.name}: any`;
    const text = printTla(v);
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
  });
  return `${e.action}(${args.join(", ")})`;
}
