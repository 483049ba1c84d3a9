import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  counterexampleFromJson,
  jsonToTla,
  parseProgress,
  parseStateVars,
  parseToolOutput,
  ToolOutputParser,
} from "../../src/tla/tlc-output.js";
import { interpretTlc, type TlcContext } from "../../src/tla/tlc-verdict.js";
import { fixtures } from "./helpers.js";

/** Exit codes TLC gave for each recorded run. */
const EXIT: Record<string, number> = {
  pass: 0,
  invariant: 12,
  "action-property": 13,
  assert: 14,
  deadlock: 11,
  "parse-error": 150,
  "semantic-error": 150,
  "undefined-invariant": 151,
  "init-violation": 12,
  liveness: 13,
  "liveness-cycle": 13,
  "eval-error": 76,
  "out-of-memory": 75,
  "parse-unclosed": 150,
  progress: 0,
};

const recorded = (name: string) =>
  readFileSync(join(fixtures, "tlc-output", `${name}.out`), "utf8");

const verdict = (name: string, ctx: Partial<TlcContext> = {}) => {
  const { messages, loose } = parseToolOutput(recorded(name));
  return interpretTlc(messages, loose, {
    exitCode: EXIT[name] ?? 0,
    signal: null,
    stderr: "",
    moduleFile: (m) => `spec/counter/${m}.tla`,
    cfgFile: "spec/counter/M.cfg",
    cfgLine: (n) => (n === "NoSuchInvariant" ? 5 : undefined),
    ...ctx,
  });
};

describe("TLC -tool output on recorded runs", () => {
  it("pass: final statistics", () => {
    expect(verdict("pass")).toEqual({
      outcome: "pass",
      distinctStates: 16,
      generatedStates: 29,
      depth: 7,
    });
  });

  it("invariant violation: name, statistics and counterexample with actions", () => {
    const v = verdict("invariant");
    expect(v).toMatchObject({ outcome: "XSmall", distinctStates: 4, generatedStates: 4, depth: 3 });
    expect(v.counterexample).toEqual([
      { vars: { x: "0", y: "0" } },
      { action: "IncX", vars: { x: "1", y: "0" } },
      { action: "IncX", vars: { x: "2", y: "0" } },
    ]);
  });

  it("action property violation (2112) includes the violating step", () => {
    const v = verdict("action-property");
    expect(v.outcome).toBe("XMonotone");
    expect(v.counterexample?.at(-1)).toEqual({ action: "ResetX", vars: { x: "0", y: "0" } });
  });

  it('Assert with "PROPERTY X" (2132) is a violation of X', () => {
    expect(verdict("assert").outcome).toBe("XMonotone");
  });

  it("any other failed Assert is an error located at the Assert", () => {
    const text = recorded("assert").replace('"PROPERTY XMonotone"', '"queue overflow"');
    const { messages, loose } = parseToolOutput(text);
    const v = interpretTlc(messages, loose, {
      exitCode: 14,
      signal: null,
      stderr: "",
      moduleFile: (m) => `spec/counter/${m}.tla`,
      cfgFile: "M.cfg",
    });
    expect(v.outcome).toBe("error");
    expect(v.error).toMatch(
      /^spec\/counter\/MCCounter\.tla:8:25: Assert failed: "queue overflow"$/,
    );
  });

  it("deadlock (2114)", () => {
    expect(verdict("deadlock")).toMatchObject({ outcome: "deadlock", distinctStates: 9 });
  });

  it("invariant violated by the initial state (2107)", () => {
    expect(verdict("init-violation")).toMatchObject({
      outcome: "Bad0",
      counterexample: [{ vars: { x: "0", y: "0" } }],
    });
  });

  it("temporal property (2116) with stuttering and with a lasso back to an earlier state", () => {
    const v = verdict("liveness");
    expect(v.outcome).toBe("Live");
    expect(v.counterexample?.at(-1)?.action).toBe("Stuttering");
    const c = verdict("liveness-cycle");
    expect(c.outcome).toBe("Live");
    expect(c.counterexample?.at(-1)).toEqual({ action: "Next, back to state 1", vars: { x: "0" } });
  });

  it("SANY parse error → file:line:col and SANY's words", () => {
    expect(verdict("parse-error")).toMatchObject({
      outcome: "error",
      error:
        'spec/counter/BrokenParse.tla:5:1: parse error: encountered "Beginning of definition" after "/\\"',
    });
  });

  it("SANY parse error: the token unescaped, the open bracket it was reading; bad input", () => {
    expect(verdict("parse-unclosed")).toMatchObject({
      outcome: "error",
      badInput: true,
      error:
        'spec/counter/Unclosed.tla:7:5: parse error: encountered "/\\" after "b"; in the Some { } form starting at 6:14',
    });
    expect(verdict("parse-error").badInput).toBe(true);
    expect(verdict("undefined-invariant").badInput).toBe(true);
    expect(verdict("eval-error").badInput).toBeUndefined();
    expect(verdict("out-of-memory").badInput).toBeUndefined();
  });

  it("SANY semantic error → file:line:col and the message", () => {
    expect(verdict("semantic-error").error).toBe(
      "spec/counter/BrokenSemantic.tla:5:18: Unknown operator: `step'.",
    );
  });

  it("undefined invariant in the cfg → cfg file:line", () => {
    expect(verdict("undefined-invariant").error).toBe(
      "spec/counter/M.cfg:5: The invariant NoSuchInvariant specified in the configuration file is not defined in the specification.",
    );
  });

  it("evaluation error inside an invariant (2111 with a nested 2179)", () => {
    expect(verdict("eval-error")).toMatchObject({
      outcome: "error",
      error: "Evaluating invariant DivZ failed. The second argument of \\div is 0.",
    });
  });

  it("out of memory", () => {
    expect(verdict("out-of-memory").error).toMatch(/^TLC ran out of memory; give Java more heap/);
  });

  it("killed by a signal, or no verdict at all", () => {
    const { messages, loose } = parseToolOutput(
      recorded("pass").split("@!@!@STARTMSG 2193")[0] ?? "",
    );
    const base = { stderr: "", moduleFile: (m: string) => m, cfgFile: "M.cfg" };
    expect(
      interpretTlc(messages, loose, { ...base, exitCode: null, signal: "SIGKILL" }).error,
    ).toBe("TLC was killed by SIGKILL (out of memory?)");
    expect(
      interpretTlc(messages, loose, { ...base, exitCode: 255, signal: null, stderr: "boom\n" })
        .error,
    ).toBe("TLC stopped without a verdict (exit code 255): boom");
    // The line that names the exception, not the Java stack under it.
    const stack = [
      'Exception in thread "main" java.lang.IllegalStateException: no model',
      "\tat tlc2.TLC.main(TLC.java:1)",
      "\t... 3 more",
      "",
    ].join("\n");
    expect(interpretTlc([], [], { ...base, exitCode: 1, signal: null, stderr: stack }).error).toBe(
      'TLC stopped without a verdict (exit code 1): Exception in thread "main" java.lang.IllegalStateException: no model',
    );
  });

  it("out of memory or a crashed Java VM before any message: one line saying what to do", () => {
    const base = { moduleFile: (m: string) => m, cfgFile: "M.cfg", signal: null };
    const oom =
      'Exception in thread "main" java.lang.OutOfMemoryError: Java heap space\n\tat x.y(Z.java:1)\n';
    expect(interpretTlc([], [], { ...base, exitCode: 1, stderr: oom }).error).toBe(
      "TLC ran out of memory; give Java more heap (e.g. JAVA_TOOL_OPTIONS=-Xmx8g) or shrink the model",
    );
    const crash = [
      "#",
      "# A fatal error has been detected by the Java Runtime Environment:",
      "#  SIGSEGV (0xb) at pc=0x0000000000000000, pid=1, tid=2",
      "# An error report file with more information is saved as:",
      "# /tmp/lockstep-tlc-hs_err_pid1.log",
      "",
    ].join("\n");
    expect(interpretTlc([], [], { ...base, exitCode: 134, stderr: crash }).error).toBe(
      "the Java VM crashed while running TLC (exit code 134; its report: /tmp/lockstep-tlc-hs_err_pid1.log); try another Java 11+ (JAVA_HOME) or more memory",
    );
  });
});

describe("ToolOutputParser", () => {
  it("gives the same messages however the stream is chunked", () => {
    const text = recorded("invariant");
    const whole = parseToolOutput(text).messages;
    const p = new ToolOutputParser();
    for (let i = 0; i < text.length; i += 7) p.push(text.slice(i, i + 7));
    p.end();
    expect(p.messages).toEqual(whole);
    expect(whole.map((m) => m.code)).toContain(2110);
  });

  it("nests messages and keeps unframed lines apart", () => {
    const { messages, loose } = parseToolOutput(
      "hello\n@!@!@STARTMSG 2111:1 @!@!@\nouter\n@!@!@STARTMSG 2179:0 @!@!@\ninner\n@!@!@ENDMSG 2179 @!@!@\n@!@!@ENDMSG 2111 @!@!@\n",
    );
    expect(loose).toEqual(["hello"]);
    expect(messages).toEqual([
      {
        code: 2111,
        severity: 1,
        text: "outer\n",
        children: [{ code: 2179, severity: 0, text: "inner\n", children: [] }],
      },
    ]);
  });
});

describe("progress and states", () => {
  it("parses progress lines from a long run", () => {
    const msgs = parseToolOutput(recorded("progress")).messages.filter((m) => m.code === 2200);
    expect(msgs.length).toBeGreaterThan(2);
    const last = parseProgress(msgs.at(-1)?.text ?? "");
    expect(last).toEqual({
      depth: 451,
      generated: 10260451,
      perMinute: 52026287,
      distinct: 3442951,
      queue: 0,
    });
  });

  it("accepts other locales' digit grouping", () => {
    const p = parseProgress(
      "Progress(9) at 2024-01-01 00:00:00: 1.234.567 states generated (99.000 s/min), 7.654 distinct states found (1 ds/min), 0 states left on queue.",
    );
    expect(p).toMatchObject({ generated: 1234567, distinct: 7654, perMinute: 99000, depth: 9 });
  });

  it("joins wrapped values and reads single-variable states", () => {
    expect(parseStateVars(["/\\ log = << [a |-> 1],", "   [a |-> 2] >>", "/\\ t = 0"])).toEqual({
      log: "<< [a |-> 1], [a |-> 2] >>",
      t: "0",
    });
    expect(parseStateVars(["x = 3", ""])).toEqual({ x: "3" });
  });
});

describe("-dumpTrace json fallback", () => {
  it("reads states and action names from the dump", () => {
    const steps = counterexampleFromJson(
      readFileSync(join(fixtures, "tlc-output", "action-property.json"), "utf8"),
    );
    expect(steps).toHaveLength(5);
    expect(steps[0]).toEqual({ vars: { x: "0", y: "0" } });
    expect(steps[4]).toEqual({ action: "ResetX", vars: { x: "0", y: "0" } });
  });

  it("is used when no states were printed", () => {
    const json = readFileSync(join(fixtures, "tlc-output", "invariant.json"), "utf8");
    const stripped = recorded("invariant").replace(
      /@!@!@STARTMSG 2217:4 @!@!@[\s\S]*?@!@!@ENDMSG 2217 @!@!@\n/g,
      "",
    );
    const { messages, loose } = parseToolOutput(stripped);
    const v = interpretTlc(messages, loose, {
      exitCode: 12,
      signal: null,
      stderr: "",
      moduleFile: (m) => m,
      cfgFile: "M.cfg",
      jsonTrace: json,
    });
    expect(v.counterexample?.map((s) => s.vars.x)).toEqual(["0", "1", "2"]);
  });

  it("renders JSON values back as TLA+ (lossy for sets)", () => {
    expect(jsonToTla({ a: [1, "x"], b: true })).toBe('[a |-> <<1, "x">>, b |-> TRUE]');
  });
});
