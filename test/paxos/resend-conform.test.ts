/**
 * ResendPropose under message loss (MCMultiPaxosResend): the implementation's graph equals the
 * spec's, and an implementation whose replicas never resend (PMMC's propose-once) is told
 * apart, at the action, so the model's graph equality can fail on that action.
 */
import { describe, expect, it } from "vitest";
import { compareWith, conformTarget, specRun } from "../../src/conform/run.js";

describe("MCMultiPaxosResend's graph", () => {
  const target = () => conformTarget("MCMultiPaxosResend");

  it("equals the spec's, and not once the replicas stop resending", async () => {
    const spec = await specRun(target());
    const same = await compareWith(target(), spec);
    expect(same.equal).toBe(true);
    expect(same.implEdges).toBe(same.specEdges);
    const once = await compareWith(target(), spec, [], (m) => ({
      ...m,
      next: (s) => m.next(s).filter((x) => x.action.name !== "ResendPropose"),
    }));
    expect(once.equal).toBe(false);
    expect(once.firstDifference?.onlyIn).toBe("spec");
    expect(once.firstDifference?.action).toBe("ResendPropose");
  }, 120_000);
});
