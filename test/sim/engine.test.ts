/** The protocol-neutral engine and network, driven by a toy protocol. */
import * as O from "fp-ts/lib/Option.js";
import { describe, expect, it } from "vitest";
import type { Candidates } from "../../src/sim/candidates.js";
import { runEngine, type SimContext, type SimDriver } from "../../src/sim/engine.js";
import { type Fault, Outages } from "../../src/sim/faults.js";
import { Network } from "../../src/sim/network.js";

interface Msg {
  readonly from: string;
  readonly to: string;
  readonly n: number;
}
type Act = { name: "Send"; from: number; to: number } | { name: "Deliver" | "Drop"; m: Msg };
const IDS = ["p0", "p1", "p2"];

/** Processes send numbered messages to each other; state = messages received, in order. */
class Toy implements SimDriver<ReadonlyArray<number>, Act, "TooMany"> {
  state: ReadonlyArray<number> = [];
  sent = 0;
  readonly net: Network<Msg>;
  readonly outages: Outages;
  constructor(
    private readonly ctx: SimContext,
    faults: ReadonlyArray<Fault>,
    private readonly limit = Number.POSITIVE_INFINITY,
  ) {
    this.net = new Network(ctx, new Set(faults), {
      source: (m) => m.from,
      dest: (m) => m.to,
      key: (m) => `${m.from}>${m.to}#${m.n}`,
    });
    this.outages = new Outages(ctx, IDS.length);
  }
  environment(): void {
    this.net.environment(IDS, 0.05, [5, 10]);
  }
  forced(): Act | undefined {
    return undefined;
  }
  enumerate(out: Candidates<Act>): void {
    // Sending only on even ticks: odd ticks with an empty network are idle.
    if (this.ctx.tick % 2 === 0)
      for (let a = 0; a < IDS.length; a++)
        out.add({ name: "Send", from: a, to: (a + 1) % IDS.length }, 1);
    this.net.enumerate(out, {
      deliver: (m): Act => ({ name: this.net.cut(m) ? "Drop" : "Deliver", m }),
      drop: (m): Act => ({ name: "Drop", m }),
      dup: (m): Act => ({ name: "Drop", m }),
      weights: { deliver: 3, drop: 1, dup: 0 },
    });
  }
  step(a: Act): void {
    if (a.name === "Send")
      this.net.send({ from: IDS[a.from] as string, to: IDS[a.to] as string, n: ++this.sent });
    else {
      this.net.discard(a.m);
      if (a.name === "Deliver") this.state = [...this.state, a.m.n];
    }
  }
  nextWake(): number {
    return this.ctx.tick + 1;
  }
  violations(): ReadonlyArray<"TooMany"> {
    return this.state.length > this.limit ? ["TooMany"] : [];
  }
}

const run = (seed: number, faults: ReadonlyArray<Fault>, limit?: number) => {
  const events: string[] = [];
  const r = runEngine<ReadonlyArray<number>, Act, "TooMany", Toy>(
    seed,
    200,
    (ctx) => new Toy(ctx, faults, limit),
    (i, a, s) => events.push(`${i} ${a?.name ?? "Init"} ${s.join(",")}`),
  );
  return { r, events };
};

describe("the engine with a toy driver", () => {
  it("emits Init and one event per step, deterministically per seed", () => {
    const a = run(7, ["drop", "reorder"]);
    expect(a.events[0]).toBe("0 Init ");
    expect(a.events).toHaveLength(201);
    expect(a.r.steps).toBe(200);
    expect(run(7, ["drop", "reorder"]).events).toEqual(a.events);
    expect(run(8, ["drop", "reorder"]).events).not.toEqual(a.events);
    const counted = Object.values(a.r.actions).reduce((x, y) => x + y, 0);
    expect(counted).toBe(200);
    expect(a.r.actions.Drop ?? 0).toBeGreaterThan(0);
  });

  it("without reorder the network delivers oldest first", () => {
    const { r } = run(3, ["partition"]);
    const got = r.driver.state;
    expect(got.length).toBeGreaterThan(10);
    expect([...got].sort((x, y) => x - y)).toEqual(got);
  });

  it("stops at the first broken invariant, naming seed and step", () => {
    const { r, events } = run(5, [], 4);
    expect(r.violation).toEqual(O.some({ seed: 5, step: r.steps, invariants: ["TooMany"] }));
    expect(r.driver.state).toHaveLength(5);
    expect(events).toHaveLength(r.steps + 1);
  });
});
