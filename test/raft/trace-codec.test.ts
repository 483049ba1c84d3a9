import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { protocols } from "../../src/registry.js";
import { encodeTrace, parseTrace, readTrace } from "../../src/trace/codec.js";
import { printTla } from "../../src/trace/itf.js";
import { formatNdjson } from "../../src/trace/ndjson.js";
import { traceFixtures } from "../trace/helpers.js";

const { good } = traceFixtures("raft");

const text = readFileSync(good("reconfig"), "utf8");
const lines = text.trimEnd().split("\n");
/** The reconfiguration trace with line `n` (1-based) replaced. */
const withLine = (n: number, edit: (o: Record<string, unknown>) => unknown) =>
  lines
    .map((l, k) =>
      k === n - 1 ? JSON.stringify(edit(JSON.parse(l) as Record<string, unknown>)) : l,
    )
    .join("\n");
const rejects = (t: string) => expect(() => parseTrace(t, "t.ndjson"));

describe("reading traces", () => {
  it("decodes a trace: header constants, events with action, parameters and state", () => {
    const t = readTrace(good("reconfig"));
    expect(t.header.protocol.name).toBe("raft");
    expect(printTla(t.header.constants.InitConfig as never)).toBe('{"s1", "s2"}');
    // Validation is against the correct spec, whatever a header says about the Bug* switches.
    expect(printTla(t.header.constants.BugForgetVote as never)).toBe("FALSE");
    expect(t.events).toHaveLength(21);
    expect(t.events[1]).toMatchObject({ i: 1, line: 3, action: "Timeout" });
    expect(printTla(t.events[1]?.params.i as never)).toBe('"s2"');
    expect(Object.keys(t.events[0]?.state ?? {})).toEqual([
      "currentTerm",
      "state",
      "votedFor",
      "log",
      "commitIndex",
      "votesGranted",
      "nextIndex",
      "matchIndex",
      "messages",
      "snapshot",
    ]);
  });

  it("writes what it reads", () => {
    const t = readTrace(good("reconfig"));
    expect(parseTrace(formatNdjson(encodeTrace(t)), "again").events).toEqual(t.events);
  });

  it("rejects a line that is not JSON, naming file:line", () => {
    rejects(`${lines.slice(0, 4).join("\n")}\n{"i":4,\n`).toThrow(
      /^t\.ndjson:5: not valid JSON .*; each line of a trace must be one complete JSON object$/,
    );
  });

  it("rejects a file that does not start with a header", () => {
    rejects(lines.slice(1).join("\n")).toThrow(/^t\.ndjson:1: not a lockstep trace header/);
    rejects(withLine(1, (h) => ({ ...h, version: 4 }))).toThrow(
      /^t\.ndjson:1: trace format version 4 is not supported \(this validator reads versions 1 to 3\)/,
    );
  });

  it("rejects an unknown protocol and unknown constants", () => {
    rejects(withLine(1, (h) => ({ ...h, protocol: "zab" }))).toThrow(
      new RegExp(
        `^t\\.ndjson:1: unknown protocol "zab" \\(traces can be validated for: ${protocols()
          .map((p) => p.name)
          .join(", ")}\\)$`,
      ),
    );
    rejects(
      withLine(1, (h) => ({ ...h, constants: { ...(h.constants as object), Servers: [] } })),
    ).toThrow(/^t\.ndjson:1: header: constants\.Servers is not a constant of Raft/);
  });

  it("rejects an unknown action, naming the event and line", () => {
    rejects(withLine(4, (e) => ({ ...e, action: "Elect" }))).toThrow(
      /^t\.ndjson:4: event 2: unknown action "Elect" for protocol raft \(expected one of Restart, Timeout,/,
    );
  });

  it("rejects parameters the action does not have or of the wrong type", () => {
    rejects(withLine(3, (e) => ({ ...e, params: { i: "s2", j: "s1" } }))).toThrow(
      /^t\.ndjson:3: event 1: Timeout has no parameter "j" \(its parameters: i\)$/,
    );
    rejects(withLine(3, (e) => ({ ...e, params: { i: 2 } }))).toThrow(
      /^t\.ndjson:3: event 1: params\.i: expected a string, got an integer 2$/,
    );
  });

  it("rejects a missing or mistyped variable", () => {
    rejects(
      withLine(3, (e) => {
        const { log: _, ...state } = e.state as Record<string, unknown>;
        return { ...e, state };
      }),
    ).toThrow(/^t\.ndjson:3: event 1: state\.log is missing; every event carries the post-state/);
    rejects(
      withLine(3, (e) => ({
        ...e,
        state: { ...(e.state as object), currentTerm: { "#map": [["s1", "one"]] } },
      })),
    ).toThrow(
      /^t\.ndjson:3: event 1: state\.currentTerm\["s1"\]: expected an integer, got a string "one"$/,
    );
  });

  it("rejects events out of order and an event 0 that is not Init", () => {
    rejects(withLine(3, (e) => ({ ...e, i: 5 }))).toThrow(
      /^t\.ndjson:3: event 1: "i" is 5, expected 1/,
    );
    rejects(withLine(2, (e) => ({ ...e, action: "Timeout" }))).toThrow(
      /^t\.ndjson:2: event 0: the first event must be "Init"/,
    );
    rejects(withLine(3, (e) => ({ ...e, action: "Init" }))).toThrow(/"Init" may only be event 0/);
  });

  it("rejects a missing file and an empty one", () => {
    expect(() => readTrace("/nonexistent/x.ndjson", "x.ndjson")).toThrow(
      /^x\.ndjson: no such file; check the path$/,
    );
    rejects("\n").toThrow(/^t\.ndjson: empty file/);
    rejects(lines[0] as string).toThrow(/^t\.ndjson:1: no events after the header/);
  });
});

describe("version 2: only the variables that changed", () => {
  const v1 = readTrace(good("reconfig"));
  const v2text = formatNdjson(encodeTrace(v1, 2));
  const v2lines = v2text.trimEnd().split("\n");
  /** The version-2 trace with line `n` (1-based) replaced. */
  const withLine2 = (n: number, edit: (o: Record<string, unknown>) => unknown) =>
    v2lines
      .map((l, k) =>
        k === n - 1 ? JSON.stringify(edit(JSON.parse(l) as Record<string, unknown>)) : l,
      )
      .join("\n");

  it("writes Init with the full state, then per event only the variables that differ", () => {
    const [header, init, timeout] = v2lines.map((l) => JSON.parse(l));
    expect(header.version).toBe(2);
    expect(Object.keys(init.state)).toHaveLength(10);
    expect(timeout).toMatchObject({ i: 1, action: "Timeout" });
    expect(timeout.state).toBeUndefined();
    expect(Object.keys(timeout.changed).sort()).toEqual([
      "currentTerm",
      "state",
      "votedFor",
      "votesGranted",
    ]);
  });

  it("reads back every state of the version-1 file: event k = event k-1 updated by changed", () => {
    const t = parseTrace(v2text, "v2.ndjson");
    expect(t.header.version).toBe(2);
    expect(t.events).toEqual(v1.events);
    // An unchanged variable is the previous event's value, not a copy.
    expect(t.events[1]?.state.log).toBe(t.events[0]?.state.log);
    expect(formatNdjson(encodeTrace(t))).toBe(v2text);
  });

  it("rejects a version-2 event that logs a full state, or an unknown variable", () => {
    rejects(withLine2(3, ({ changed, ...e }) => ({ ...e, state: changed as object }))).toThrow(
      /^t\.ndjson:3: event 1: changed: expected UnknownRecord, got nothing; in version 2/,
    );
    rejects(
      withLine2(3, (e) => ({ ...e, changed: { ...(e.changed as object), term: 1 } })),
    ).toThrow(/^t\.ndjson:3: event 1: changed\.term is not a variable of Raft/);
  });

  it("names the file line and variable of a mistyped change", () => {
    rejects(
      withLine2(3, (e) => ({
        ...e,
        changed: { ...(e.changed as object), currentTerm: { "#map": [["s1", "one"]] } },
      })),
    ).toThrow(
      /^t\.ndjson:3: event 1: changed\.currentTerm\["s1"\]: expected an integer, got a string "one"$/,
    );
  });
});
