/**
 * Read an ITF file (the Informal Trace Format of Apalache and Quint) as a trace to validate: the
 * shape `npm run validate -- --itf` and `npm run sim -- --itf` write (itf-export.ts), or any
 * ITF trace whose top-level "#meta" names the protocol and constants and whose states' "#meta"
 * name the action taken:
 *
 *   {"#meta": {"protocol": "<name>", "constants": {"Node": {"#set": […]}, …}},
 *    "vars": ["counter", …],
 *    "states": [{"#meta": {"action": "Init"}, "counter": …, …},
 *               {"#meta": {"action": "Tick", "params": {"n": "n1"}}, …}, …]}
 *
 * Every state holds every variable. Errors name the file, the event (event k is states[k]) and
 * the field.
 */
import { decodeEvent, decodeHeader, TRACE_FORMAT, type Trace, type TraceEvent } from "./codec.js";
import { readText, shownPath, TraceError } from "./ndjson.js";
import { traceProtocols } from "./protocol.js";

export interface ItfReadOptions {
  /** The protocol, for an ITF file whose "#meta" does not name it. */
  protocol?: string;
  /** Called after each decoded state with the number decoded so far. */
  onEvent?: (events: number) => void;
}

const FORMAT_URL = "https://apalache-mc.org/docs/adr/015adr-trace.html";

/** The 1-based line of offset `pos` in `text`. */
const lineAt = (text: string, pos: number) => {
  let line = 1;
  for (let k = 0; k < pos && k < text.length; k++) if (text.charCodeAt(k) === 10) line++;
  return line;
};

function parseDocument(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const why = (e as Error).message;
    const at = /at position (\d+)/.exec(why);
    const line = at ? lineAt(text, Number(at[1])) : null;
    throw new TraceError(
      file,
      line,
      `not valid JSON (${why.replace(/^JSON\.parse: /, "")}); an ITF file is one JSON document`,
    );
  }
}

const isObject = (u: unknown): u is Record<string, unknown> =>
  typeof u === "object" && u !== null && !Array.isArray(u);

/** Decode an ITF document's text into a trace. */
export function decodeItfText(text: string, file: string, opts: ItfReadOptions = {}): Trace {
  const doc = parseDocument(text, file);
  const fail = (what: string) => new TraceError(file, null, what);
  if (!isObject(doc) || !Array.isArray(doc.states) || !Array.isArray(doc.vars))
    throw fail(`not an ITF trace: expected an object with "vars" and "states" (${FORMAT_URL})`);
  const meta = isObject(doc["#meta"]) ? doc["#meta"] : {};
  const named = typeof meta.protocol === "string" ? meta.protocol : undefined;
  const protocol = opts.protocol ?? named;
  if (protocol === undefined)
    throw fail(
      `#meta.protocol is missing; name the protocol in the file's "#meta" or with --protocol (${[...traceProtocols().keys()].join(", ")})`,
    );
  if (meta.constants !== undefined && !isObject(meta.constants))
    throw fail("#meta.constants: expected an object of ITF values, one per constant of the spec");
  const header = (() => {
    try {
      return decodeHeader(
        {
          line: null,
          value: {
            format: TRACE_FORMAT,
            version: 1,
            protocol,
            constants: meta.constants ?? {},
            ...(typeof meta.seed === "number" || typeof meta.seed === "string"
              ? { seed: meta.seed }
              : {}),
          },
        },
        file,
      );
    } catch (e) {
      if (!(e instanceof TraceError)) throw e;
      throw fail(e.what.replace(/^header: constants\./, "#meta.constants."));
    }
  })();
  const { variables } = header.protocol;
  const names = variables.map((v) => v.name);
  const vars = doc.vars as unknown[];
  const unknown = vars.find((v) => typeof v !== "string" || !names.includes(v));
  if (unknown !== undefined)
    throw fail(
      `vars: ${JSON.stringify(unknown)} is not a variable of ${header.protocol.module} (its variables: ${names.join(", ")})`,
    );
  const missing = names.filter((n) => !vars.includes(n));
  if (missing.length > 0)
    throw fail(`vars: ${missing.join(", ")} missing; every state must hold every spec variable`);
  const states = doc.states as unknown[];
  if (states.length === 0) throw fail("states: empty; the first state is the initial state");
  const events: TraceEvent[] = [];
  for (let k = 0; k < states.length; k++) {
    const s = states[k];
    if (!isObject(s)) throw fail(`states[${k}]: expected an object of the state's variables`);
    const { "#meta": m, ...state } = s;
    const sm = isObject(m) ? m : {};
    const action = sm.action ?? (k === 0 ? "Init" : undefined);
    if (typeof action !== "string")
      throw fail(
        `states[${k}]: "#meta.action" is missing; each state after the first must name the spec action that led to it (as validate --itf writes it)`,
      );
    const params = sm.params ?? {};
    // Event k is states[k]; decodeEvent's messages name it "event k".
    events.push(
      decodeEvent({ line: null, value: { i: k, action, params, state } }, file, header.protocol, k),
    );
    opts.onEvent?.(events.length);
  }
  return { file, header, events };
}

/** Whether a file is read as ITF rather than NDJSON: by its name (*.json, *.itf.json). */
export const isItfPath = (path: string) => /\.json$/i.test(path);

export function readItfTrace(path: string, shown = shownPath(path), opts: ItfReadOptions = {}) {
  return decodeItfText(readText(path, shown), shown, opts);
}
