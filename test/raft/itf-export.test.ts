import { describe, expect, it } from "vitest";
import { encodeTrace, parseTrace, readTrace } from "../../src/trace/codec.js";
import { fromItf, printTla, type Value } from "../../src/trace/itf.js";
import { toItfTrace } from "../../src/trace/itf-export.js";
import { formatNdjson } from "../../src/trace/ndjson.js";
import { traceFixtures } from "../trace/helpers.js";

const { good } = traceFixtures("raft");

describe("ITF export", () => {
  const trace = readTrace(good("reconfig"));
  const itf = toItfTrace(trace);

  it("lists the spec variables and one state per event, with the action in #meta", () => {
    expect(itf.vars).toEqual(trace.header.protocol.variables.map((v) => v.name));
    expect(itf.states).toHaveLength(21);
    expect(itf.states[1]?.["#meta"]).toEqual({ index: 1, action: "Timeout", params: { i: "s2" } });
    expect(itf["#meta"]).toMatchObject({ format: "ITF", protocol: "raft", source: trace.file });
  });

  it("writes integers as #bigint and keeps every value", () => {
    expect(itf.states[1]?.currentTerm).toEqual({
      "#map": [
        ["s1", { "#bigint": "0" }],
        ["s2", { "#bigint": "1" }],
        ["s3", { "#bigint": "0" }],
      ],
    });
    trace.events.forEach((e, k) => {
      for (const name of itf.vars) {
        const back = fromItf(itf.states[k]?.[name]);
        expect(printTla(back as Value)).toBe(printTla(e.state[name] as Value));
      }
    });
  });

  it("exports full states from a version-2 file too, the same as from version 1", () => {
    const v2 = parseTrace(formatNdjson(encodeTrace(trace, 2)), trace.file);
    expect(v2.header.version).toBe(2);
    expect(toItfTrace(v2)).toEqual(itf);
  });
});
