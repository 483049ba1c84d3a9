/**
 * One source for each action list: the trace descriptor (each module's action table, typed
 * against its TS Action union), the spec's Next
 * and the finite model's MCNext must name the same actions with the same parameters, and the
 * generated harness and trace generator are built from them (src/tla/next.ts).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { S } from "../../src/core/schema.js";
import type { ProtocolModule } from "../../src/protocol.js";
import { protocols } from "../../src/registry.js";
import {
  type ActionCall,
  checkActionLists,
  readActions,
  unwrapActions,
} from "../../src/tla/next.js";
import { UserError } from "../../src/tla/types.js";
import { modelActions } from "../../src/trace/generate.js";
import { traceProtocol } from "../../src/trace/protocol.js";

const fixtures = "test/fixtures/action-lists";

/** The lists of one protocol module, as its spec and descriptor have them. */
function lists(m: ProtocolModule) {
  const p = traceProtocol(m);
  const next = readActions(p.specDir, p.module);
  const mcNext = unwrapActions(
    p.specDir,
    m.spec.model,
    "MCNext",
    next.map((c) => c.action),
  );
  return { p, next, mcNext };
}

describe("the action lists of each protocol", () => {
  for (const m of protocols())
    it(`agree for ${m.name}: descriptor (the TS Action union's table), Next and MCNext (unwrapped)`, () => {
      const { p, next, mcNext } = lists(m);
      expect(next.length).toBeGreaterThan(0);
      expect(checkActionLists(p.actions, next, mcNext).map((d) => d.message)).toEqual([]);
    });

  for (const m of protocols())
    it(`give ${m.name}'s trace generator MCNext's disjuncts, one per action of Next`, () => {
      const { p, next } = lists(m);
      const actions = modelActions(p, m.spec.model);
      expect(actions.map(([a]) => a)).toEqual(next.map((c) => c.action));
    });
});

describe("reading a next-state disjunction", () => {
  const toy = readActions(fixtures, "Toy");

  it("reads bullets, line breaks, comments, nested lists, parentheses and infix \\/", () => {
    const shown = toy.map(
      (c) => `${c.line} ${c.action} ${c.binders.map((b) => `${b.name}:${b.domain}`).join(",")}`,
    );
    expect(shown).toEqual([
      "25 Tick ",
      "27 Send i:Server,v:Value",
      "29 Pair i:Server,j:Server",
      "32 Receive m:msgs",
      "33 Drop m:msgs",
      "34 Crash i:Server",
      "34 Restart i:Server",
    ]);
    expect(toy.find((c) => c.action === "Send")).toMatchObject({
      call: "Send(i, v)",
      args: ["i", "v"],
      operator: "Send",
      via: [],
      file: `${fixtures}/Toy.tla`,
    });
    expect(toy[0]).toMatchObject({ call: "Tick", args: [] });
  });

  it("follows MCNext's wrappers to the action of Next they call", () => {
    const mc = unwrapActions(
      fixtures,
      "MCToy",
      "MCNext",
      toy.map((c) => c.action),
    );
    expect(mc.map((c) => c.action)).toEqual(toy.map((c) => c.action));
    expect(mc.find((c) => c.operator === "GuardedSend")).toMatchObject({
      action: "Send",
      via: ["GuardedSend", "FreshSend"],
      call: "GuardedSend(i, v)",
      line: 15,
    });
    expect(mc.find((c) => c.operator === "FaultCrash")?.action).toBe("Crash");
  });

  const dir = mkdtempSync(join(tmpdir(), "lockstep-next-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const module = (name: string, body: string) =>
    writeFileSync(join(dir, `${name}.tla`), `---- MODULE ${name} ----\n${body}\n====\n`);
  const error = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      expect(e).toBeInstanceOf(UserError);
      return (e as Error).message;
    }
    throw new Error("expected an error");
  };

  it("names file and line of a disjunct it cannot read", () => {
    module(
      "Guarded",
      "EXTENDS Naturals\nVARIABLE x\nA == x' = x\nNext ==\n    \\/ A\n    \\/ x' = x + 1\n",
    );
    expect(error(() => readActions(dir, "Guarded"))).toMatch(
      /Guarded\.tla:7: Next: cannot read "x' = x \+ 1"; expected a disjunction of actions/,
    );
    module("Unbound", "Next == \\E i : A(i)\n");
    expect(error(() => readActions(dir, "Unbound"))).toMatch(
      /Unbound\.tla:2: Next: the binder i has no "\\in <domain>"/,
    );
    module("Misaligned", "Next ==\n    \\/ A\n  \\/ B\n");
    expect(error(() => readActions(dir, "Misaligned"))).toMatch(
      /Misaligned\.tla:4: Next: this line is not inside the \\\/ list above it/,
    );
    expect(error(() => readActions(dir, "Guarded", "MCNext"))).toMatch(
      /Guarded\.tla: no definition "MCNext ==" in Guarded/,
    );
    expect(error(() => readActions(dir, "Absent"))).toMatch(/Absent\.tla: no such module file/);
  });

  it("rejects a wrapper that calls no action, or several", () => {
    module(
      "Base",
      "VARIABLE x\nA(i) == x' = i\nB(i) == x' = i + 1\nNext == \\E i \\in {1} : A(i) \\/ B(i)\n",
    );
    module(
      "MCBase",
      "EXTENDS Base\nNone(i) == UNCHANGED x\nBoth(i) == A(i) \\/ B(i)\nMCNext ==\n    \\/ \\E i \\in {1} : None(i)\n    \\/ \\E i \\in {1} : Both(i)\n",
    );
    const base = readActions(dir, "Base").map((c) => c.action);
    expect(base).toEqual(["A", "B"]);
    expect(error(() => unwrapActions(dir, "MCBase", "MCNext", base))).toMatch(
      /MCBase\.tla:6: MCNext calls None\(i\), whose definition \(.*MCBase\.tla:3\) calls no action of Next/,
    );
    module(
      "MCBoth",
      "EXTENDS Base\nBoth(i) == A(i) \\/ B(i)\nMCNext == \\E i \\in {1} : Both(i)\n",
    );
    expect(error(() => unwrapActions(dir, "MCBoth", "MCNext", base))).toMatch(
      /MCBoth\.tla:4: MCNext calls Both\(i\), whose definition calls several actions of Next \(A, B\)/,
    );
  });
});

describe("the differences checkActionLists reports", () => {
  const toy = readActions(fixtures, "Toy");
  const mcToy = unwrapActions(
    fixtures,
    "MCToy",
    "MCNext",
    toy.map((c) => c.action),
  );
  /** Toy's actions as a descriptor would list them. */
  const descriptor: Record<string, { name: string }[]> = {
    Tick: [],
    Send: [{ name: "i" }, { name: "v" }],
    Pair: [{ name: "i" }, { name: "j" }],
    Receive: [{ name: "m" }],
    Drop: [{ name: "m" }],
    Crash: [{ name: "i" }],
    Restart: [{ name: "i" }],
  };
  const without = <T>(r: Record<string, T>, k: string) =>
    Object.fromEntries(Object.entries(r).filter(([x]) => x !== k));

  it("give the generator a disjunct without a quantifier for an action without parameters", () => {
    const p = {
      name: "toy",
      specDir: fixtures,
      module: "Toy",
      harness: "TraceToy",
      variables: [],
      actions: Object.fromEntries(
        Object.entries(descriptor).map(([a, ps]) => [a, ps.map((x) => ({ ...x, schema: S.str }))]),
      ),
      constants: [],
    };
    const actions = modelActions(p, "MCToy");
    expect(actions).toContainEqual(["Tick", "", "Tick"]);
    // One quantifier per domain, nested: a later domain may name an earlier binder.
    expect(actions.find(([a]) => a === "Send")?.[1]).toBe("\\E i \\in Server : \\E v \\in Value");
  });

  it("none when the lists agree", () => {
    expect(checkActionLists(descriptor, toy, mcToy)).toEqual([]);
    expect(checkActionLists(descriptor, toy, mcToy, Object.keys(descriptor))).toEqual([]);
  });

  it("an action the descriptor has and Next lacks", () => {
    const next = toy.filter((c) => c.action !== "Crash");
    const ds = checkActionLists(descriptor, next, undefined);
    expect(ds).toEqual([
      {
        kind: "missing",
        action: "Crash",
        list: `Next (${fixtures}/Toy.tla)`,
        message: `Crash is in the trace descriptor but not in Next (${fixtures}/Toy.tla)`,
      },
    ]);
  });

  it("an action Next has and the descriptor lacks", () => {
    const ds = checkActionLists(without(descriptor, "Drop"), toy, mcToy, undefined, {
      descriptor: "the toy descriptor",
    });
    expect(ds.map((d) => d.message)).toEqual([
      `Drop is in Next (${fixtures}/Toy.tla:33) but not in the toy descriptor`,
    ]);
  });

  it("parameters named or ordered differently from Next's binders", () => {
    const ds = checkActionLists({ ...descriptor, Pair: [{ name: "j" }, { name: "i" }] }, toy);
    expect(ds.map((d) => [d.kind, d.message])).toEqual([
      [
        "params",
        `Pair: the trace descriptor names its parameters j, i; Next (${fixtures}/Toy.tla:29) binds i, j`,
      ],
    ]);
  });

  it("an action MCNext lacks, one it adds, one bound differently, one twice", () => {
    const rebound = (c: ActionCall): ActionCall =>
      c.action === "Pair" ? { ...c, binders: [...c.binders].reverse() } : c;
    const extra: ActionCall = { ...(mcToy[0] as ActionCall), action: "Bogus", line: 99 };
    const mc = [
      ...mcToy.filter((c) => c.action !== "Tick").map(rebound),
      extra,
      mcToy[6] as ActionCall,
    ];
    const ds = checkActionLists(descriptor, toy, mc);
    expect(ds.map((d) => [d.kind, d.action])).toEqual([
      ["duplicate", "Restart"],
      ["missing", "Tick"],
      ["params", "Pair"],
      ["extra", "Bogus"],
    ]);
    expect(ds.find((d) => d.kind === "extra")?.message).toBe(
      `Bogus is in MCNext (${fixtures}/MCToy.tla:99) but not in Next (${fixtures}/Toy.tla)`,
    );
  });

  it("an MCNext disjunct that names an unknown wrapper (an error naming file:line)", () => {
    expect(() =>
      unwrapActions(
        fixtures,
        "MCToyBadWrapper",
        "MCNext",
        toy.map((c) => c.action),
      ),
    ).toThrow(
      `${fixtures}/MCToyBadWrapper.tla:10: MCNext calls FaultBogus(i), which is neither an action of Next nor defined in ${fixtures}/MCToyBadWrapper.tla or the modules it extends`,
    );
  });

  it("the implementation's action names, missing or extra", () => {
    const names = [...Object.keys(descriptor).filter((a) => a !== "Tick"), "Tock"];
    const ds = checkActionLists(descriptor, toy, mcToy, names, { ts: "the toy Action union" });
    expect(ds.map((d) => d.message)).toEqual([
      `Tick is in Next (${fixtures}/Toy.tla:25) but not in the toy Action union`,
      `Tock is in the toy Action union but not in Next (${fixtures}/Toy.tla)`,
    ]);
  });
});
