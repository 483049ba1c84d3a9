import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runEmbedded } from "../../src/tla/embedded.js";
import { checkModel, resolveEngine } from "../../src/tla/engine.js";
import { discoverModels, type Model } from "../../src/tla/models.js";
import {
  cachedJarPath,
  findJar,
  findJava,
  locateTlc,
  runTlc,
  type TlcSetup,
} from "../../src/tla/tlc.js";
import { specRoot, tlcAvailable } from "./helpers.js";

const models = discoverModels(specRoot);
const model = (name: string) => models.find((m) => m.name === name) as Model;

describe("locating TLC and Java", () => {
  let dir = "";
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "lockstep-locate-"));
    mkdirSync(join(dir, "bin"));
    writeFileSync(join(dir, "bin", "java"), "#!/bin/sh\n");
    chmodSync(join(dir, "bin", "java"), 0o755);
    writeFileSync(join(dir, "tla2tools.jar"), "");
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("uses the per-user cache under XDG_CACHE_HOME or HOME", () => {
    expect(cachedJarPath({ XDG_CACHE_HOME: "/c" })).toBe("/c/lockstep/tla2tools.jar");
    expect(cachedJarPath({ HOME: "/h" })).toBe("/h/.cache/lockstep/tla2tools.jar");
    expect(findJar({ HOME: dir })).toBeNull();
  });

  it("insists that TLA2TOOLS_JAR exists", () => {
    expect(findJar({ TLA2TOOLS_JAR: join(dir, "tla2tools.jar") })).toBe(join(dir, "tla2tools.jar"));
    expect(() => findJar({ TLA2TOOLS_JAR: join(dir, "missing.jar") })).toThrow(
      /^TLA2TOOLS_JAR points to .*missing\.jar, which does not exist/,
    );
  });

  it("finds Java in JAVA_HOME, then on PATH", () => {
    expect(findJava({ JAVA_HOME: dir, PATH: "" })).toBe(join(dir, "bin", "java"));
    expect(findJava({ PATH: join(dir, "bin") })).toBe(join(dir, "bin", "java"));
    expect(findJava({ PATH: join(dir, "nothing") })).toBeNull();
  });

  it("says what is missing", () => {
    expect(() => locateTlc({ HOME: join(dir, "nohome"), PATH: join(dir, "bin") })).toThrow(
      /^TLC not found: set TLA2TOOLS_JAR .*npm run tlc:install/,
    );
    expect(() => locateTlc({ TLA2TOOLS_JAR: join(dir, "tla2tools.jar"), PATH: "" })).toThrow(
      /^Java not found: install Java 11\+/,
    );
  });

  it("auto falls back to the embedded engine with a notice", () => {
    const r = resolveEngine("auto", { HOME: join(dir, "nohome"), PATH: join(dir, "bin") });
    expect(r.engine).toBe("embedded");
    expect(r.notice).toBe(
      "TLC not found (set TLA2TOOLS_JAR or run `npm run tlc:install`); using the embedded engine (tla-checker, WASM).",
    );
    expect(
      resolveEngine("auto", { TLA2TOOLS_JAR: join(dir, "tla2tools.jar"), PATH: join(dir, "bin") }),
    ).toMatchObject({
      engine: "tlc",
      tlc: { jar: join(dir, "tla2tools.jar"), java: join(dir, "bin", "java") },
    });
    expect(() => resolveEngine("tlc", { HOME: join(dir, "nohome") })).toThrow(/TLC not found/);
  });

  // Needs a real JVM to try loading the jar.
  it.skipIf(findJava() === null)(
    "reports a jar without tlc2.TLC once, as a setup error",
    async () => {
      const java = findJava() ?? "java";
      await expect(
        runTlc(model("MCCounter"), { java, jar: join(dir, "tla2tools.jar") }, { workers: 1 }),
      ).rejects.toThrow(/is not (a TLC|a valid) jar/);
    },
  );
});

describe.skipIf(!tlcAvailable)("TLC on fixture models", () => {
  let setup: TlcSetup;
  beforeAll(() => {
    setup = locateTlc();
  });
  const tlc = (name: string) => runTlc(model(name), setup, { workers: 1 });

  it("passes MCCounter with statistics", async () => {
    const r = await tlc("MCCounter");
    expect(r).toMatchObject({
      engine: "tlc",
      outcome: "pass",
      distinctStates: 16,
      generatedStates: 29,
      depth: 7,
    });
  });

  it("reports invariant, action-property, Assert and deadlock outcomes by name", async () => {
    expect((await tlc("MCCounterBadInv")).outcome).toBe("XSmall");
    const action = await tlc("MCCounterBadAction");
    expect(action.outcome).toBe("XMonotone");
    expect(action.counterexample?.at(-1)).toEqual({ action: "ResetX", vars: { x: "0", y: "0" } });
    expect((await tlc("MCCounterAssert")).outcome).toBe("XMonotone");
    expect((await tlc("MCCounterDeadlock")).outcome).toBe("deadlock");
  });

  it("checks the invariants of a successor outside CONSTRAINT without counting it", async () => {
    const r = await tlc("Boundary");
    expect(r).toMatchObject({ outcome: "BelowTwo", distinctStates: 2 });
    expect(r.counterexample?.at(-1)?.vars).toEqual({ x: "2" });
  });

  it("checks ACTION_CONSTRAINT models the embedded engine skips", async () => {
    expect(await tlc("MCCounterTlcOnly")).toMatchObject({ outcome: "pass", distinctStates: 16 });
    const skipped = await checkModel(model("MCCounterTlcOnly"), { engine: "embedded" });
    expect(skipped.outcome).toBe("skipped");
    expect(skipped.skipped).toMatch(/ACTION_CONSTRAINT/);
  });

  it("turns user errors into one line with file:line", async () => {
    expect((await tlc("BrokenParse")).error).toMatch(/broken\/BrokenParse\.tla:5:1: parse error/);
    expect((await tlc("BrokenSemantic")).error).toMatch(
      /broken\/BrokenSemantic\.tla:5:18: Unknown operator/,
    );
    expect((await tlc("BrokenUndefinedInvariant")).error).toMatch(
      /BrokenUndefinedInvariant\.cfg:5: The invariant NoSuchInvariant .* not defined/,
    );
  });

  it("writes nothing into the spec directory", async () => {
    const before = readdirSync(model("MCCounterBadInv").dir).sort();
    await tlc("MCCounterBadInv");
    expect(readdirSync(model("MCCounterBadInv").dir).sort()).toEqual(before);
    expect(existsSync(join(model("MCCounterBadInv").dir, "states"))).toBe(false);
  });

  it("agrees with the embedded engine on distinct states and outcomes", async () => {
    for (const name of ["MCCounter", "MCCounterDeep", "MCCounterDeadlock", "MCCounterBadAction"]) {
      const [t, e] = [
        await runTlc(model(name), setup, { workers: 1 }),
        await runEmbedded(model(name)),
      ];
      expect(e.outcome, name).toBe(t.outcome);
      // Counts are comparable on complete runs (no symmetry): TLC stops mid-level on violations.
      if (t.outcome === "pass") expect(e.distinctStates, name).toBe(t.distinctStates);
    }
  });

  it("reports progress while running", async () => {
    const seen: number[] = [];
    await runTlc(model("MCCounterDeep"), setup, {
      workers: 1,
      onProgress: (p) => seen.push(p.distinctStates ?? -1),
    });
    expect(seen.at(-1)).toBe(49);
  });
});
