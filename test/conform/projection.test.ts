/**
 * Graph equality through a history module: the projection is taken only when the spec's text
 * shows the history cannot restrict behaviour; each way of restricting it is refused in one
 * line that names where. Made-up modules, no engine run.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { projectionOf } from "../../src/conform/projection.js";
import { readDot } from "../../src/conform/spec-graph.js";
import { S } from "../../src/core/schema.js";
import { parseCfg } from "../../src/tla/cfg.js";
import type { Model } from "../../src/tla/models.js";

const dir = mkdtempSync(join(tmpdir(), "lockstep-projection-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const write = (name: string, text: string) => writeFileSync(join(dir, name), text);

write(
  "Toy.tla",
  `---- MODULE Toy ----
EXTENDS Naturals
VARIABLES x, y
Init == x = 0 /\\ y = 0
Inc(i) == x' = x + i /\\ UNCHANGED y
Bump == y' = y + 1 /\\ UNCHANGED x
Next == \\/ \\E i \\in {1, 2} : Inc(i)
        \\/ Bump
====
`,
);
write(
  "MCToy.tla",
  `---- MODULE MCToy ----
EXTENDS Toy
FaultBump == Bump
Small == x < 4 /\\ y < 2
MCNext ==
    \\/ \\E i \\in {1, 2} : Inc(i)
    \\/ FaultBump
====
`,
);

/** A history module over MCToy with these definitions. */
function history(body: string): Model {
  write(
    "MCToyHistory.tla",
    `---- MODULE MCToyHistory ----
EXTENDS MCToy
VARIABLE steps
${body}
====
`,
  );
  return {
    name: "MCToyHistory",
    protocol: "toy",
    dir,
    cfgPath: join(dir, "MCToyHistory.cfg"),
    module: "MCToyHistory",
    tlaPath: join(dir, "MCToyHistory.tla"),
    expect: "pass",
    engines: ["tlc"],
    tier: "ci",
  };
}

const cfg = (constraint = "Small", init = "HInit", next = "HNext") =>
  parseCfg(`INIT ${init}\nNEXT ${next}\nCONSTRAINT ${constraint}\n`);

const wrappers = `
HInit == Init /\\ steps = 0
Record == steps' = steps + 1
HInc(i) == Inc(i) /\\ Record
HFaultBump == FaultBump /\\ Record
HNext ==
    \\/ \\E i \\in {1, 2} : HInc(i)
    \\/ HFaultBump
`;

describe("projection onto the protocol's variables", () => {
  it("accepts per-action wrappers that only record, mapping INIT and NEXT to the protocol's", () => {
    const p = projectionOf(history(wrappers), cfg(), "MCToy", "MCToyHistory.cfg");
    expect(p).toEqual({
      relations: { init: "Init", next: "MCNext", constraints: ["Small"] },
      history: ["steps"],
    });
  });

  it("accepts the protocol's next-state relation with the history's equations beside it", () => {
    const m = history(`
HInit == /\\ Init
         /\\ steps = 0
HNext == MCNext /\\ steps' = steps + 1
`);
    expect(projectionOf(m, cfg(), "MCToy", "MCToyHistory.cfg").relations.next).toBe("MCNext");
  });

  it.each([
    [
      "a CONSTRAINT that reads the history",
      wrappers.replace("HInit ==", "Few == steps < 3\nHInit =="),
      cfg("Small Few"),
      /MCToyHistory\.cfg:3: CONSTRAINT Few reads the history variable steps/,
    ],
    [
      "a wrapper that guards on the history",
      wrappers.replace(
        "HInc(i) == Inc(i) /\\ Record",
        "HInc(i) == Inc(i) /\\ steps < 3 /\\ Record",
      ),
      cfg(),
      /MCToyHistory\.tla:\d+: HInc is not one action of MCToy and the history it records/,
    ],
    [
      "a wrapper that calls the action with other arguments",
      wrappers.replace("HInc(i) == Inc(i) /\\ Record", "HInc(i) == Inc(1) /\\ Record"),
      cfg(),
      /HInc calls Inc with 1, which is not one of its parameters/,
    ],
    [
      "a next-state relation that leaves out an action",
      wrappers.replace("    \\/ HFaultBump\n", ""),
      cfg(),
      /HNext's wrapped actions are not MCNext's: FaultBump is missing/,
    ],
    [
      "an INIT that restricts the protocol's initial states",
      wrappers.replace("HInit == Init /\\ steps = 0", "HInit == Init /\\ steps = 0 /\\ x > 0"),
      cfg(),
      /HInit is not one operator of MCToy and one equation per history variable/,
    ],
    [
      "a wrapper that leaves the history without a value",
      wrappers.replace("HFaultBump == FaultBump /\\ Record", "HFaultBump == FaultBump"),
      cfg(),
      /HFaultBump gives the history variable steps no value/,
    ],
    [
      "a module that does not extend the protocol's",
      wrappers,
      cfg(),
      /module MCToyHistory does not extend Other/,
    ],
  ])("refuses %s in one line", (_what, body, c, message) => {
    const m = history(body);
    const protocol = String(message).includes("Other") ? "Other" : "MCToy";
    let error: Error | undefined;
    try {
      projectionOf(m, c, protocol, "MCToyHistory.cfg");
    } catch (e) {
      error = e as Error;
    }
    expect(error?.name).toBe("UserError");
    expect(error?.message).toMatch(message);
    expect(error?.message.split("\n")).toHaveLength(1);
  });
});

describe("reading TLC's graph dump", () => {
  // TLC's shape: signed fingerprints as node ids, initial nodes filled, an edge written before
  // its target's node, values over several lines, a history variable beside the protocol's.
  const dot = [
    "strict digraph DiskGraph {",
    "nodesep=0.35;",
    "subgraph cluster_graph {",
    '1 [label="/\\\\ x = 0\\n/\\\\ steps = 0\\n/\\\\ y = [a |-> 1,\\n  b |-> \\"s\\"]",style = filled]',
    '1 -> -2 [label="Inc(1)",color="black",fontcolor="black"];',
    '-2 [label="/\\\\ x = 1\\n/\\\\ steps = 1\\n/\\\\ y = [a |-> 1,\\n  b |-> \\"s\\"]",tooltip="…"];',
    '-2 -> 3 [label="MCNext",color="black",fontcolor="black"];',
    '3 [label="/\\\\ x = 1\\n/\\\\ steps = 2\\n/\\\\ y = [a |-> 1, b |-> \\"s\\"]",tooltip="…"];',
    '1 -> 1 [label="MCNext"];',
    "}",
    "}",
  ];
  const vars = [
    { name: "x", schema: S.int },
    { name: "y", schema: S.rec({ a: S.int, b: S.str }) },
  ];

  it("projects states onto the variables asked for, marking the initial ones", () => {
    const marked = new Set<number>();
    const g = readDot(dot, vars, marked);
    // States 2 and 3 differ only in the history: one state, and the step between them none.
    expect(g.states.size).toBe(2);
    expect(g.edges).toBe(1);
    expect(g.selfLoops).toBe(2);
    expect([...marked]).toEqual([0]);
    expect(g.labels[1]).toEqual({ x: "1", y: '[a |-> 1,\n  b |-> "s"]' });
  });
});
