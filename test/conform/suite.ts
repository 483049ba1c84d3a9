/**
 * Graph equality, for every registered protocol that implements its models: on each of its
 * conformance cases the implementation's graph equals the spec's; each bug switch the case
 * names makes them differ; so does a guard made stricter by one condition (a test-only wrapper
 * of the implementation's steps). Where TLC is found, the explorer's distinct states equal
 * TLC's on the same bounds.
 */
import { describe, expect, it } from "vitest";
import type { SpecRun } from "../../src/conform/engine.js";
import { explore } from "../../src/conform/explore.js";
import { type AnyModel, cfgConstants } from "../../src/conform/model.js";
import { compareWith, conformTarget, implModel, specRun } from "../../src/conform/run.js";
import type { ProtocolModule } from "../../src/protocol.js";
import { protocols } from "../../src/registry.js";
import { findJar, findJava, runTlc } from "../../src/tla/tlc.js";
import { codeBugs } from "../../src/trace/replay.js";
import { tlcAvailable } from "../tla/helpers.js";

/** The protocols of the registry at the given parity of their index that implement models. */
export const implementedAt = (parity: 0 | 1): ReadonlyArray<ProtocolModule> =>
  protocols().filter((p, k) => k % 2 === parity && p.model !== undefined);

/**
 * The implementation with action `name` made stricter by one condition: it is not taken when
 * the variable `v` still has its initial value.
 */
function stricter(m: AnyModel, name: string, v: (s: unknown) => string, init: string): AnyModel {
  return { ...m, next: (s) => m.next(s).filter((x) => x.action.name !== name || v(s) !== init) };
}

export const conformanceSuite = (implemented: ReadonlyArray<ProtocolModule>) =>
  describe.each(implemented.map((p) => [p.name, p] as const))("graph equality: %s", (_, p) => {
    const hook = p.model;
    if (hook === undefined) return;

    it("its conformance cases cover every bug switch", () => {
      const covered = new Set(hook.cases.flatMap((c) => c.bugs));
      expect(codeBugs(p).filter((b) => !covered.has(b))).toEqual([]);
    });

    describe.each(hook.cases.map((c, k) => [`${c.model} #${k + 1}`, c] as const))(
      "%s",
      (_label, c) => {
        const target = () => conformTarget(c.model, c.constants ? { constants: c.constants } : {});
        let spec: SpecRun | undefined;
        const specOf = async () => {
          spec ??= await specRun(target());
          return spec;
        };

        it("the implementation's graph equals the spec's", async () => {
          const r = await compareWith(target(), await specOf());
          expect({
            equal: r.equal,
            onlyInSpec: r.onlyInSpec,
            onlyInImpl: r.onlyInImplementation,
          }).toEqual({
            equal: true,
            onlyInSpec: 0,
            onlyInImpl: 0,
          });
          expect(r.implStates).toBe(r.specStates);
          expect(r.implEdges).toBe(r.specEdges);
          expect(r.specStates).toBeGreaterThan(1);
        }, 120_000);

        it.each(c.bugs)(
          "bug %s makes the graphs differ",
          async (bug) => {
            const r = await compareWith(target(), await specOf(), [bug]);
            expect(r.equal).toBe(false);
            expect(r.firstDifference).toBeDefined();
            // The trace leads from the initial state to the differing step.
            expect(r.firstDifference?.trace.length).toBe((r.firstDifference?.depth ?? 0) + 2);
          },
          120_000,
        );

        it("a guard made stricter by one condition makes the graphs differ, and is named", async () => {
          const t = target();
          const plain = implModel(t);
          // An action of a step from the initial state to a new state no other action reaches:
          // it is now also guarded by "some variable has changed since Init" (false in Init, so
          // that step is lost there).
          const [init] = plain.init;
          const vars = p.trace.variables;
          const whole = (s: unknown) => vars.map((v) => JSON.stringify(v.itf(s))).join("|");
          const steps = plain.next(init).filter((x) => plain.within(x.next));
          const first = steps.find(
            (x) =>
              whole(x.next) !== whole(init) &&
              steps.every(
                (y) => y.action.name === x.action.name || whole(y.next) !== whole(x.next),
              ),
          );
          expect(first).toBeDefined();
          const name = first?.action.name as string;
          const r = await compareWith(t, await specOf(), [], (m) =>
            stricter(m, name, whole, whole(init)),
          );
          expect(r.equal).toBe(false);
          expect(r.firstDifference?.onlyIn).toBe("spec");
          expect(r.firstDifference?.depth).toBe(0);
          expect(r.firstDifference?.action).toBe(name);
        }, 120_000);

        it.skipIf(!tlcAvailable)(
          "the explorer's distinct states equal TLC's on the same bounds",
          async () => {
            const t = target();
            const x = explore(implModel(t), p.trace.variables, {});
            const jar = findJar();
            const java = findJava();
            if (jar === null || java === null) throw new Error("no TLC");
            const noChecks = t.cfgText.replace(/^(INVARIANT|PROPERTY)\b.*$/gm, "");
            const r = await runTlc(
              { ...t.model, cfgText: noChecks, expect: "pass" },
              { jar, java },
              { workers: 1 },
            );
            expect(r.outcome).toBe("pass");
            expect(x.distinct).toBe(r.distinctStates);
            void cfgConstants;
          },
          180_000,
        );
      },
    );
  });
