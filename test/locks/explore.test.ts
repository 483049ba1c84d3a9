/**
 * The TS lock service against spec/locks on every model: where the spec passes (MCLocks and
 * each bug's control), the TS reaches exactly the distinct states the cfg header gives for
 * both engines and breaks no invariant or step property; where a bug breaks one, the TS with
 * that bug on breaks exactly that one. A TS with one guard made stricter, or one action gone,
 * reaches a different count, so equal counts are evidence and not an accident.
 */
import { describe, expect, it } from "vitest";
import type { ImplModel } from "../../src/conform/model.js";
import { stepPropertyNames } from "../../src/locks/invariants.js";
import type { Action } from "../../src/locks/service.js";
import type { State } from "../../src/locks/types.js";
import type { Model } from "../../src/tla/models.js";
import { implOf, models, run } from "./helpers.js";

const byName = (name: string): Model => {
  const m = models.find((x) => x.name === name);
  if (m === undefined) throw new Error(`no model ${name} in spec/locks`);
  return m;
};

const passing = models.filter((m) => m.expect === "pass");
const failing = models.filter((m) => m.expect !== "pass");

describe("the TS lock service reaches the spec's states", () => {
  it("finds every model of spec/locks", () => {
    expect(passing.map((m) => m.name)).toContain("MCLocks");
    expect(passing.length).toBeGreaterThanOrEqual(6);
    expect(failing.length).toBeGreaterThanOrEqual(6);
  });

  it.each(passing.map((m) => [m.name, m] as const))(
    "%s: the header's count, no violation",
    (_n, m) => {
      const counts = m.states;
      expect(counts?.embedded).toBeDefined();
      expect(counts?.tlc).toBe(counts?.embedded);
      const x = run(implOf(m));
      expect(x).toMatchObject({ complete: true, invariants: [], steps: [] });
      expect(x.distinct).toBe(counts?.tlc);
    },
  );

  it.each(failing.map((m) => [m.name, m] as const))(
    "%s: the TS breaks what the spec breaks",
    (_n, m) => {
      const x = run(implOf(m));
      const stepProperty = (stepPropertyNames as ReadonlyArray<string>).includes(m.expect);
      if (stepProperty) expect(x).toMatchObject({ invariants: [], steps: [m.expect] });
      else expect(x).toMatchObject({ complete: false, invariants: [m.expect], steps: [] });
    },
  );
});

/** `model` with the steps `drop` names taken out. */
const without = (
  model: ImplModel<State, Action>,
  drop: (s: State, a: Action) => boolean,
): ImplModel<State, Action> => ({
  ...model,
  next: (s) => model.next(s).filter((x) => !drop(s, x.action)),
});

describe("a TS that differs from the spec reaches a different count", () => {
  it("GrantLock with one more condition (no grant of the lock in flight)", () => {
    const m = byName("MCLocksBugNoFencing/control");
    const x = run(
      without(
        implOf(m),
        (s, a) => a.name === "GrantLock" && s.network.grants.some((g) => g.lock === a.l),
      ),
    );
    expect(x.complete).toBe(true);
    expect(x.distinct).not.toBe(m.states?.tlc);
  });

  it("HandleReleaseCopy missing", () => {
    const m = byName("MCLocksBugReleaseByName/control");
    const x = run(without(implOf(m), (_s, a) => a.name === "HandleReleaseCopy"));
    expect(x.complete).toBe(true);
    expect(x.distinct).not.toBe(m.states?.tlc);
  });

  it("a bug switched on where the spec has it off", () => {
    const m = byName("MCLocksBugNoDriftMargin/control");
    const x = run(implOf(m, ["noDriftMargin"]));
    expect(x.invariants).toEqual(["ClientLeaseSafe"]);
  });
});
