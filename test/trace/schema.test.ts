/**
 * traces/schema/<protocol>.schema.json: up to date with the descriptors they are generated from,
 * and in agreement with the reader: every line the simulator writes (all three versions) is
 * accepted by both, and a line with one value of the wrong type, a missing or an unknown member
 * is rejected by both, the reader naming the offending field.
 */
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { protocols } from "../../src/registry.js";
import { faultNames } from "../../src/sim/faults.js";
import { parseTrace } from "../../src/trace/codec.js";
import { TraceError } from "../../src/trace/ndjson.js";
import { main, schemaFiles } from "../../src/trace/schema-cli.js";
import { checkJson } from "./json-schema-check.js";

const files = schemaFiles();

function lines(name: string, version: 1 | 2 | 3, seed: number, steps: number): string[] {
  const p = protocols().find((x) => x.name === name);
  if (!p) throw new Error(`no protocol ${name}`);
  const parts: Buffer[] = [];
  const r = p.sim.prepare({ steps, faults: faultNames, traceVersion: version })(seed, (x) =>
    parts.push(...x),
  );
  return `${r.header}\n${Buffer.concat(parts).toString()}`.trimEnd().split("\n");
}

type Path = (string | number)[];

/** Paths to every scalar, and to every member of an object, in a JSON value. */
function places(v: unknown, at: Path = []): { path: Path; scalar: boolean }[] {
  if (v === null || typeof v !== "object") return [{ path: at, scalar: true }];
  if (Array.isArray(v)) return v.flatMap((x, k) => places(x, [...at, k]));
  return Object.entries(v).flatMap(([k, x]) => [
    { path: [...at, k], scalar: false },
    ...places(x, [...at, k]),
  ]);
}

function edit(
  v: unknown,
  path: Path,
  f: (parent: Record<string | number, unknown>, key: string | number) => void,
) {
  let o = v as Record<string | number, unknown>;
  for (const k of path.slice(0, -1)) o = o[k] as Record<string | number, unknown>;
  f(o, path.at(-1) as string | number);
}

describe.each(protocols().map((p) => p.name))("the JSON Schema of %s traces", (name) => {
  const file = files.find((f) => f.file.endsWith(`/${name}.schema.json`));
  if (!file) throw new Error(`no schema for ${name}`);
  const schema = JSON.parse(file.text);

  it("is committed as generated from the descriptors (npm run traces:schema)", () => {
    expect(readFileSync(file.file, "utf8")).toBe(file.text);
  });

  it("accepts every line the simulator writes, in every version", () => {
    for (const v of [1, 2, 3] as const)
      for (const l of lines(name, v, 5, 150)) expect(checkJson(schema, JSON.parse(l))).toBeNull();
  });

  it("rejects a wrong type, a missing or an unknown member where the reader does, and the reader names the field", () => {
    const text = lines(name, 2, 6, 60);
    const events = text.slice(1);
    let rejected = 0;
    fc.assert(
      fc.property(fc.nat(events.length - 1), fc.nat(10_000), fc.nat(2), (k, pick, how) => {
        const line = JSON.parse(events[k] as string);
        // Places in the logged state or parameters (update paths reach values no schema sees).
        const candidates = places(line).filter(
          ({ path }) =>
            path.length > 1 &&
            (path[0] === "state" || path[0] === "changed" || path[0] === "params"),
        );
        const scalars = candidates.filter((c) => c.scalar);
        const members = candidates.filter((c) => !c.scalar && typeof c.path.at(-1) === "string");
        const target =
          how === 0
            ? scalars[pick % Math.max(1, scalars.length)]
            : members[pick % Math.max(1, members.length)];
        if (!target) return;
        if (how === 0)
          edit(line, target.path, (o, key) => {
            o[key] = typeof o[key] === "string" ? 17 : "seventeen";
          });
        else if (how === 1) edit(line, target.path, (o, key) => delete o[key]);
        else edit(line, target.path, (o) => (o.unexpectedMember = 1));
        const variable = String(target.path[1]);
        const fromSchema = checkJson(schema, line);
        let fromReader: string | null = null;
        try {
          const mutated = [...text];
          mutated[k + 1] = JSON.stringify(line);
          parseTrace(mutated.join("\n"), "t.ndjson");
        } catch (e) {
          if (!(e instanceof TraceError)) throw e;
          fromReader = e.message;
        }
        // Both accept or both reject: e.g. a member removed from `changed` or `params` is
        // allowed (unchanged, searched for), and a message without one of its fields may have
        // the fields of another kind of message (the spec then tells them apart).
        expect(fromSchema === null, `${JSON.stringify(target.path)}: ${fromReader}`).toBe(
          fromReader === null,
        );
        if (fromReader === null) return;
        rejected++;
        expect(fromReader).toMatch(new RegExp(`^t\\.ndjson:${k + 2}: event ${k}: `));
        if (target.path[0] !== "params" && how !== 2)
          expect(fromReader).toContain(`${String(target.path[0])}.${variable}`);
      }),
      { numRuns: 150, seed: 10 },
    );
    expect(rejected).toBeGreaterThan(100);
  });
});

describe("npm run traces:schema -- --check", () => {
  it("passes when the files are up to date", async () => {
    let err = "";
    const code = await main(["--check"], {
      stdout: { write: () => true },
      stderr: { write: (s: string) => (err += s) },
    });
    expect([code, err]).toEqual([0, ""]);
  });
});
