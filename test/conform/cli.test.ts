/** `npm run conform`: bad input is one line and exit 2; a model compares and exits by verdict. */
import { describe, expect, it } from "vitest";
import { main } from "../../src/conform/cli.js";
import { defaultSpecDir } from "../../src/conform/run.js";
import { protocols } from "../../src/registry.js";
import { main as tlcMain } from "../../src/tla/cli.js";
import { discoverModels } from "../../src/tla/models.js";

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: {
      stdout: { write: (s: string) => out.push(s) },
      stderr: { write: (s: string) => err.push(s) },
    },
    out: () => out.join(""),
    err: () => err.join(""),
  };
}

/** The registry's cheapest conformance case with a bug, of a model as its cfg has it (by the
 * header's embedded count), and its protocol. */
const cheapest = (() => {
  const models = discoverModels(defaultSpecDir);
  const states = (name: string) =>
    models.find((m) => m.name === name)?.states?.embedded ?? Number.POSITIVE_INFINITY;
  return protocols()
    .flatMap((p) =>
      (p.model?.cases ?? [])
        .filter((c) => c.constants === undefined && c.bugs.length > 0)
        .map((c) => ({ p, c, states: states(c.model) })),
    )
    .sort((a, b) => a.states - b.states)[0];
})();
const withModel = cheapest?.p;

describe("npm run conform", () => {
  it.each([
    [["NoSuchModel"], /no model matches "NoSuchModel"/],
    [["--frob"], /unknown option '--frob'/],
    [["--constant", "nonsense"], /--constant nonsense: expected NAME=VALUE/],
    [["--explore", "NoSuchModel"], /no model NoSuchModel/],
  ])("%j: one line, exit 2", async (argv, message) => {
    const x = io();
    expect(await main(argv, x.io)).toBe(2);
    expect(x.err()).toMatch(message);
    expect(x.err().trim().split("\n")).toHaveLength(1);
  });

  it.skipIf(withModel === undefined)(
    "--json reports one object per model; a bug makes it exit 1",
    async () => {
      const c = cheapest?.c;
      if (c === undefined || withModel === undefined) return;
      const args = [
        c.model,
        ...Object.entries(c.constants ?? {}).flatMap(([k, v]) => ["--constant", `${k}=${v}`]),
        "--json",
      ];
      const good = io();
      expect(await main(args, good.io)).toBe(0);
      const [row] = JSON.parse(good.out()) as Record<string, unknown>[];
      expect(Object.keys(row ?? {})).toEqual(
        expect.arrayContaining([
          "model",
          "engine",
          "specStates",
          "implStates",
          "specEdges",
          "implEdges",
          "equal",
        ]),
      );
      expect(row?.equal).toBe(true);
      const bug = c.bugs[0];
      if (bug === undefined) return;
      const bad = io();
      expect(await main([...args, "--bug", bug], bad.io)).toBe(1);
      const [diff] = JSON.parse(bad.out()) as {
        equal: boolean;
        firstDifference?: { trace: unknown[] };
      }[];
      expect(diff?.equal).toBe(false);
      expect(diff?.firstDifference?.trace.length).toBeGreaterThan(1);
      const unknownBug = io();
      expect(await main([...args, "--bug", "noSuchBug"], unknownBug.io)).toBe(2);
      expect(unknownBug.err()).toMatch(/unknown bug noSuchBug/);
    },
    120_000,
  );

  const plainCase = cheapest?.c;
  it.skipIf(plainCase === undefined)(
    "npm run tlc --conform: the check's own run gives the graph, compared",
    async () => {
      const name = plainCase?.model as string;
      const out: string[] = [];
      const err: string[] = [];
      const stream = (xs: string[]) =>
        ({ write: (s: string) => xs.push(s), isTTY: false }) as unknown as NodeJS.WriteStream;
      const code = await tlcMain([name, "--engine", "embedded", "--conform", "--json"], {
        stdout: stream(out),
        stderr: stream(err),
        env: {},
      });
      expect(code).toBe(0);
      const [row] = JSON.parse(out.join("")) as {
        conform?: { equal: boolean; specStates: number };
      }[];
      expect(row?.conform?.equal).toBe(true);
      expect(row?.conform?.specStates).toBeGreaterThan(1);
      expect(err.join("")).toMatch(/graph ok/);
    },
    120_000,
  );
});
