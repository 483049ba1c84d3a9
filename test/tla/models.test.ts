import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { discoverModels, type Model, parseMetadata, selectModels } from "../../src/tla/models.js";
import { UserError } from "../../src/tla/types.js";
import { specRoot } from "./helpers.js";

describe("parseMetadata", () => {
  it("reads the leading comment block", () => {
    const meta = parseMetadata(
      [
        "\\* model: MCFoo",
        "\\* expect: ElectionSafety",
        "\\* engines: tlc",
        "\\* why: uses ACTION_CONSTRAINT",
        "\\* tier: deep",
        "\\* about: a bug variant",
        "CONSTANT N = 3",
        "\\* expect: pass",
      ].join("\n"),
      "x.cfg",
    );
    expect(meta).toEqual({
      model: "MCFoo",
      expect: "ElectionSafety",
      engines: ["tlc"],
      why: "uses ACTION_CONSTRAINT",
      tier: "deep",
      about: "a bug variant",
    });
  });

  it("stops at the first non-comment line and ignores free-form comments", () => {
    const meta = parseMetadata(
      "\n\\* A model of things\n\\* expect: pass\nINIT Init\n\\* tier: deep\n",
      "x.cfg",
    );
    expect(meta).toEqual({ expect: "pass" });
  });

  it("reads state counts, a control and its counts", () => {
    const meta = parseMetadata(
      [
        "\\* expect: Inv",
        "\\* tier: tlc",
        "\\* states: embedded 24271, tlc 24270",
        "\\* note: one note",
        "\\* control: BugX = FALSE, S = {a, b}, T = <<1, 2>>",
        "\\* note: and another",
        "\\* control-states: tlc 12",
        "\\* control-tier: deep",
      ].join("\n"),
      "x.cfg",
    );
    expect(meta).toEqual({
      expect: "Inv",
      tier: "tlc",
      states: { embedded: 24271, tlc: 24270 },
      statesLine: 3,
      control: {
        assignments: [
          { name: "BugX", value: "FALSE" },
          { name: "S", value: "{a, b}" },
          { name: "T", value: "<<1, 2>>" },
        ],
        line: 5,
        states: { tlc: 12 },
        statesLine: 7,
        tier: "deep",
      },
    });
    expect(parseMetadata("\\* states: embedded 3\n", "x.cfg").states).toEqual({ embedded: 3 });
  });

  it("rejects bad values with file:line", () => {
    expect(() => parseMetadata("\\* expect: pass\n\\* tier: nightly\n", "spec/a/M.cfg")).toThrow(
      'spec/a/M.cfg:2: tier: expects "ci", "tlc" or "deep", got "nightly"',
    );
    for (const bad of ["many", "embedded", "embedded 3 tlc 4", "embedded 3, embedded 4", "TLC 3"])
      expect(() => parseMetadata(`\\* states: ${bad}\n`, "M.cfg"), bad).toThrow(
        `M.cfg:1: states: expects "embedded N, tlc M"`,
      );
    for (const bad of ["BugX", "BugX = ", "= FALSE", "BugX = FALSE, BugX = TRUE", "1x = 2"])
      expect(() => parseMetadata(`\\* control: ${bad}\n`, "M.cfg"), bad).toThrow(
        /^M\.cfg:1: control: expects comma-separated NAME = VALUE/,
      );
    expect(() => parseMetadata("\\* expect: pass\n\\* control-states: tlc 3\n", "M.cfg")).toThrow(
      'M.cfg:2: control-states: given without a "\\* control:" line',
    );
    expect(() => parseMetadata("\\* control: B = 1\n\\* control-tier: nightly\n", "M.cfg")).toThrow(
      'M.cfg:2: control-tier: expects "ci", "tlc" or "deep", got "nightly"',
    );
    expect(() => parseMetadata("\\* state: tlc 3\n", "M.cfg")).toThrow(
      /^M\.cfg:1: unknown header field "state:"/,
    );
    expect(() => parseMetadata("\\* expect: pass\n\\* expect: Inv\n", "M.cfg")).toThrow(
      "M.cfg:2: expect: given twice (first on line 1); keep one",
    );
    expect(() =>
      parseMetadata("\\* engines: tlc\n\\* why: x\n\\* states: embedded 3\n", "M.cfg"),
    ).toThrow('M.cfg:3: states for embedded, but "engines:" leaves embedded out');
    expect(() => parseMetadata("\\* engines: tlc apalache\n", "M.cfg")).toThrow(
      /M\.cfg:1: engines:/,
    );
    expect(() => parseMetadata("\\* expect: two words\n", "M.cfg")).toThrow(UserError);
  });
});

describe("discoverModels", () => {
  it("finds every cfg, with defaults applied; one without an expect line is reported", () => {
    const models = discoverModels(specRoot);
    const names = models.map((m) => m.name);
    expect(names).toContain("MCCounter");
    expect(models.find((m) => m.name === "Harness")?.broken).toMatch(
      /counter\/Harness\.cfg:1: no "\\\* expect:" line, so this cfg is not a model and is not checked; add "\\\* expect: pass"/,
    );
    const mc = models.find((m) => m.name === "MCCounter") as Model;
    expect(mc).toMatchObject({
      protocol: "counter",
      module: "MCCounter",
      expect: "pass",
      tier: "ci",
    });
    expect(mc.engines).toEqual(["tlc", "embedded"]);
    const bad = models.find((m) => m.name === "MCCounterBadInv") as Model;
    expect(bad).toMatchObject({ module: "MCCounter", expect: "XSmall" });
    expect(bad.tlaPath.endsWith("MCCounter.tla")).toBe(true);
    const only = models.find((m) => m.name === "MCCounterTlcOnly") as Model;
    expect(only.engines).toEqual(["tlc"]);
    expect(only.why).toMatch(/ACTION_CONSTRAINT/);
  });

  describe("with a scratch spec directory", () => {
    let dir = "";
    afterEach(() => rmSync(dir, { recursive: true, force: true }));
    const scratch = (files: Record<string, string>) => {
      dir = mkdtempSync(join(tmpdir(), "lockstep-models-"));
      for (const [f, text] of Object.entries(files)) {
        mkdirSync(join(dir, f, ".."), { recursive: true });
        writeFileSync(join(dir, f), text);
      }
      return dir;
    };

    const broken = (name: string) => discoverModels(dir).find((m) => m.name === name)?.broken;

    it("reports a missing module with the cfg's name, and keeps the folder's other models", () => {
      scratch({
        "p/A.cfg": "\\* expect: pass\n",
        "p/A.tla": "",
        "p/M.cfg": "\\* model: Nope\n\\* expect: pass\n",
        "p/Z.cfg": "\\* expect: pass\n",
        "p/Z.tla": "",
      });
      expect(discoverModels(dir).map((m) => [m.name, m.broken !== undefined])).toEqual([
        ["A", false],
        ["M", true],
        ["Z", false],
      ]);
      expect(broken("M")).toMatch(/M\.cfg:1: module Nope not found/);
    });

    it("reports a cfg that cannot be read, and keeps the folder's other models", () => {
      scratch({ "p/A.cfg": "\\* expect: pass\n", "p/A.tla": "" });
      mkdirSync(join(dir, "p", "Dir.cfg"));
      symlinkSync(join(dir, "p", "gone.cfg"), join(dir, "p", "Gone.cfg"));
      expect(discoverModels(dir).map((m) => [m.name, m.broken !== undefined])).toEqual([
        ["A", false],
        ["Dir", true],
        ["Gone", true],
      ]);
      expect(broken("Dir")).toMatch(/p\/Dir\.cfg: cannot read \(EISDIR\); fix or remove the file$/);
      expect(broken("Gone")).toMatch(/p\/Gone\.cfg: cannot read \(ENOENT\)/);
    });

    it("says what to do about a spec directory that is missing or not a directory", () => {
      scratch({ "file.txt": "" });
      expect(() => discoverModels(join(dir, "nope"))).toThrow(
        /nope: spec directory not found; run from the project's root or pass --spec-dir DIR/,
      );
      expect(() => discoverModels(join(dir, "file.txt"))).toThrow(/file\.txt: not a directory/);
    });

    it("requires a why line when an engine is excluded", () => {
      scratch({ "p/M.cfg": "\\* expect: pass\n\\* engines: tlc\n", "p/M.tla": "" });
      expect(broken("M")).toMatch(/needs a "\\\* why:" line/);
    });

    it("rejects a model name used by two protocols", () => {
      scratch({
        "a/M.cfg": "\\* expect: pass\n",
        "a/M.tla": "",
        "b/M.cfg": "\\* expect: pass\n",
        "b/M.tla": "",
      });
      const [first, second] = discoverModels(dir);
      expect(first?.broken).toBeUndefined();
      expect(second?.broken).toMatch(/model name M is also used/);
    });

    it("lists a control after its model, with the constants replaced in place", () => {
      const cfg = [
        "\\* expect: Inv",
        "\\* states: tlc 9",
        "\\* control: Bug = FALSE, S = {a, b}",
        "\\* control-states: embedded 4",
        "CONSTANTS",
        "    S = {a}  \\* one element",
        "    Bug = TRUE",
        "    Op <- Other",
        "INIT Init",
      ].join("\n");
      scratch({ "p/M.cfg": cfg, "p/M.tla": "" });
      const [model, control] = discoverModels(dir);
      expect(model).toMatchObject({ name: "M", expect: "Inv", states: { tlc: 9 } });
      expect(model?.states?.at).toMatch(/M\.cfg:2$/);
      expect(model?.cfgText).toBeUndefined();
      expect(control).toMatchObject({
        name: "M/control",
        controlOf: "M",
        expect: "pass",
        cfgPath: model?.cfgPath,
        states: { embedded: 4 },
      });
      expect(control?.states?.at).toMatch(/M\.cfg:4$/);
      expect(control?.cfgText).toBe(
        cfg.replace("S = {a}", "S = {a, b}").replace("Bug = TRUE", "Bug = FALSE"),
      );
    });

    it("reports a control naming an unknown or unchanged constant as a broken control", () => {
      const header = (control: string) =>
        `\\* expect: Inv\n\\* control: ${control}\nCONSTANTS Bug = TRUE\nINIT Init\n`;
      scratch({
        "p/A.cfg": header("Bugg = FALSE"),
        "p/B.cfg": header("Bug = TRUE"),
        "p/A.tla": "",
        "p/B.tla": "",
      });
      expect(broken("A")).toBeUndefined();
      expect(broken("A/control")).toMatch(
        /A\.cfg:2: control: Bugg is not among the cfg's CONSTANTS \(Bug\)$/,
      );
      expect(broken("B/control")).toMatch(
        /B\.cfg:2: control: Bug is already TRUE \(line 3\); a control must change the model$/,
      );
    });
  });
});

describe("selectModels", () => {
  const models = discoverModels(specRoot);
  const names = (s: { models: Model[] }) => s.models.map((m) => m.name);

  it("takes the ci tier by default and everything with --deep", () => {
    expect(names(selectModels(models, undefined, false))).not.toContain("MCCounterDeep");
    expect(names(selectModels(models, undefined, true))).toContain("MCCounterDeep");
  });

  it("selects a deep model by its exact name", () => {
    expect(names(selectModels(models, "MCCounterDeep", false))).toEqual(["MCCounterDeep"]);
  });

  it("matches a regular expression, or a substring when the filter is not one", () => {
    expect(names(selectModels(models, "^MCCounterBad", false))).toEqual([
      "MCCounterBadAction",
      "MCCounterBadInv",
    ]);
    expect(names(selectModels(models, "Bad", false))).toEqual([
      "MCCounterBadAction",
      "MCCounterBadInv",
    ]);
    expect(() => selectModels(models, "Counter(", false)).toThrow(/no model matches/);
  });

  it("selects a protocol's models by its folder name", () => {
    const relay = names(selectModels(models, "relay", false));
    expect(relay.length).toBeGreaterThan(0);
    expect(relay.every((n) => models.find((m) => m.name === n)?.protocol === "relay")).toBe(true);
    expect(models.filter((m) => m.protocol !== "relay").length).toBeGreaterThan(0);
  });

  it("names the available models when nothing matches", () => {
    expect(() => selectModels(models, "Zab", false)).toThrow(
      /^no model matches "Zab"; available: .*MCCounter, .*MCCounterTlcOnly/,
    );
  });

  it("takes the tlc tier on TLC only, and names what it leaves to TLC", () => {
    expect(names(selectModels(models, "^SwitchTlc", false, "tlc"))).toEqual(["SwitchTlcTier"]);
    expect(selectModels(models, "^Switch", false, "embedded")).toMatchObject({
      leftToTlc: ["SwitchSlowControl/control", "SwitchTlcTier"],
    });
    const embedded = names(selectModels(models, "^Switch", false, "embedded"));
    expect(embedded).toContain("SwitchSlowControl");
    expect(embedded).not.toContain("SwitchSlowControl/control");
    expect(embedded).not.toContain("SwitchTlcTier");
    expect(names(selectModels(models, "^SwitchSlow", false, "tlc"))).toEqual([
      "SwitchSlowControl",
      "SwitchSlowControl/control",
    ]);
    expect(selectModels(models, "^Switch", false, "tlc").leftToTlc).toEqual([]);
    expect(names(selectModels(models, "^Switch", true, "embedded"))).toContain("SwitchTlcTier");
    expect(names(selectModels(models, "SwitchTlcTier", false, "embedded"))).toEqual([
      "SwitchTlcTier",
    ]);
    expect(() => selectModels(models, "TlcTier$", false, "embedded")).toThrow(
      /^only models left to TLC match "TlcTier\$" \(SwitchTlcTier\); run them with --engine tlc/,
    );
  });

  it("takes a control with its model, and a control alone by its exact name", () => {
    expect(names(selectModels(models, "SwitchBug", false))).toEqual([
      "SwitchBug",
      "SwitchBug/control",
    ]);
    expect(names(selectModels(models, "^Switch[BF]", false))).toEqual([
      "SwitchBrokenHeader",
      "SwitchBug",
      "SwitchBug/control",
      "SwitchFailingControl",
      "SwitchFailingControl/control",
    ]);
    expect(names(selectModels(models, "SwitchBug/control", false))).toEqual(["SwitchBug/control"]);
  });

  it("leaves a model the engine cannot check out of a pattern, and refuses it by exact name", () => {
    const s = selectModels(models, "^MCCounter", false, "embedded");
    expect(names(s)).not.toContain("MCCounterTlcOnly");
    expect(s.otherEngine).toEqual([
      { name: "MCCounterTlcOnly", why: "ACTION_CONSTRAINT is not supported by tla-checker" },
    ]);
    expect(names(selectModels(models, "^MCCounter", false, "tlc"))).toContain("MCCounterTlcOnly");
    expect(() => selectModels(models, "MCCounterTlcOnly", false, "embedded")).toThrow(
      /^MCCounterTlcOnly cannot be checked on the embedded engine \(.*counter\/MCCounterTlcOnly\.cfg: ACTION_CONSTRAINT is not supported by tla-checker\); to check it, set TLA2TOOLS_JAR to a tla2tools\.jar or run `npm run tlc:install` \(Java 11\+ needed\), then `npm run tlc -- MCCounterTlcOnly --engine tlc`$/,
    );
    expect(() => selectModels(models, "TlcOnly$", false, "embedded")).toThrow(
      /^only models the embedded engine cannot check match "TlcOnly\$" \(MCCounterTlcOnly\)/,
    );
  });

  it("says when only deep models match", () => {
    expect(() => selectModels(models, "Deep$", false)).toThrow(
      /only deep-tier models match "Deep\$" \(MCCounterDeep\)/,
    );
  });
});
