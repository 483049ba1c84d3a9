/**
 * The checker on hand-written histories: known violations (a stale read, a lost write, two
 * exclusive holders) are rejected with the failing partition and a minimal sub-history; good
 * histories that need reordering or pending operations are accepted.
 */
import { describe, expect, it } from "vitest";
import { bruteForce } from "../../src/history/brute.js";
import { check, checkOps } from "../../src/history/check.js";
import type { Operation } from "../../src/history/history.js";
import { kv, mutex, register } from "../../src/history/models.js";
import { done, ids, pending } from "./helpers.js";

const read = { op: "read" };
const write = (value: number) => ({ op: "write", value });
const get = (key: string) => ({ op: "get", key });
const put = (key: string, value: string) => ({ op: "put", key, value });
const acquire = (owner: string, lock = "l", mode = "exclusive") => ({
  op: "acquire",
  lock,
  owner,
  mode,
});
const release = (owner: string, lock = "l") => ({ op: "release", lock, owner });

describe("register", () => {
  it("rejects a stale read, and the minimal sub-history is the two writes and the read", () => {
    const w1 = done("a", write(1), 0, 1, {});
    const w2 = done("a", write(2), 2, 3, {});
    const r = done("b", read, 4, 5, { value: 1 });
    const extra = done("c", read, 0, 10, { value: 0 });
    const h = [w1, w2, r, extra];
    const res = check(register, h);
    expect(res.verdict).toBe("violation");
    if (res.verdict !== "violation") return;
    expect(res.partition).toBeUndefined();
    expect(ids(res.minimal)).toEqual(ids([w1, w2, r]));
    expect(res.minimalComplete).toBe(true);
    expect(bruteForce(register, res.minimal)).toBe(false);
    // The longest linearization found is a real one of a prefix: here w1, w2 (and the
    // concurrent read of 0 before them), never the stale read.
    expect(res.longest.map((o) => o.id)).not.toContain(r.id);
    expect(res.longest.length).toBeGreaterThanOrEqual(2);
  });

  it("plain deletion would be wrong: a lone read of 1 is a violation, with the write it is not", () => {
    const w = done("a", write(1), 0, 1, {});
    const r = done("b", read, 2, 3, { value: 1 });
    expect(checkOps(register, [w, r])).toBe("linearizable");
    expect(checkOps(register, [r])).toBe("violation");
  });

  it("accepts concurrent operations that must be reordered to explain the reads", () => {
    // The read starts first and returns last but sees 2; the writes overlap.
    const h = [
      done("a", write(1), 1, 4, {}),
      done("b", write(2), 2, 6, {}),
      done("c", read, 0, 10, { value: 2 }),
      done("a", read, 5, 7, { value: 2 }),
    ];
    expect(check(register, h).verdict).toBe("linearizable");
    // Moving the second read before the second write's call makes it stale... unless the write
    // of 1 is after it: it sees 1 or 0 only. A read of 2 there is a violation.
    const bad = [
      done("a", write(1), 1, 2, {}),
      done("c", read, 3, 4, { value: 2 }),
      done("b", write(2), 5, 6, {}),
    ];
    expect(check(register, bad).verdict).toBe("violation");
  });

  it("a pending write may have taken effect, or not", () => {
    const w = pending("a", write(7), 0);
    const seen = done("b", read, 5, 6, { value: 7 });
    const notSeen = done("c", read, 1, 2, { value: 0 });
    expect(check(register, [w, seen]).verdict).toBe("linearizable");
    expect(check(register, [w, notSeen]).verdict).toBe("linearizable");
    expect(check(register, [w, notSeen, seen]).verdict).toBe("linearizable");
    // …but once seen, it cannot be unseen.
    const after = done("c", read, 7, 8, { value: 0 });
    expect(check(register, [w, seen, after]).verdict).toBe("violation");
  });

  it("a pending op cannot take effect before its call", () => {
    const r = done("b", read, 0, 1, { value: 7 });
    const w = pending("a", write(7), 2);
    expect(check(register, [r, w]).verdict).toBe("violation");
  });

  it("equal times are concurrent: a return at t and a call at t may go in either order", () => {
    const r = done("b", read, 5, 6, { value: 0 });
    const w = done("a", write(1), 0, 5, {});
    // The read is called at 5, when the write returned: it may be ordered before the write.
    expect(check(register, [w, r]).verdict).toBe("linearizable");
    // One unit later it may not.
    const late = done("b", read, 6, 7, { value: 0 });
    expect(check(register, [w, late]).verdict).toBe("violation");
  });

  it("cas swaps only on the expected value", () => {
    const h = [
      done("a", { op: "cas", expected: 0, value: 3 }, 0, 1, { swapped: true }),
      done("b", { op: "cas", expected: 0, value: 4 }, 2, 3, { swapped: true }),
    ];
    expect(check(register, h).verdict).toBe("violation");
    const ok = [
      h[0] as Operation,
      done("b", { op: "cas", expected: 0, value: 4 }, 2, 3, { swapped: false }),
    ];
    expect(check(register, ok).verdict).toBe("linearizable");
  });
});

describe("kv", () => {
  it("rejects a stale read and names the key", () => {
    const h = [
      done("a", put("x", "1"), 0, 1, { value: null }),
      done("b", put("y", "9"), 0, 1, { value: null }),
      done("a", put("x", "2"), 2, 3, { value: "1" }),
      done("b", get("x"), 4, 5, { value: "1" }),
      done("b", get("y"), 4, 5, { value: "9" }),
    ];
    const res = check(kv, h);
    expect(res.verdict).toBe("violation");
    if (res.verdict !== "violation") return;
    expect(res.partition).toBe("x");
    expect(res.ops).toHaveLength(3);
    // The read and put(x, 2) are the culprits (forget either and the key is linearizable);
    // put(x, 1) stays too: without it put(x, 2)'s answer "1" would be a second, invented
    // violation, and forgetting the read would no longer repair the history.
    expect(res.minimal.map((o) => o.input)).toEqual([put("x", "1"), put("x", "2"), get("x")]);
    expect(bruteForce(kv, res.minimal)).toBe(false);
    // Plain deletion would have shrunk it to the lone read, a violation of its own making.
    expect(bruteForce(kv, res.minimal.slice(2))).toBe(false);
  });

  it("rejects a lost write: put acknowledged, no other write, later reads never see it", () => {
    const h = [
      done("a", put("x", "1"), 0, 1, { value: null }),
      done("b", get("x"), 2, 3, { value: null }),
      done("c", get("x"), 4, 5, { value: null }),
    ];
    const res = check(kv, h);
    expect(res.verdict).toBe("violation");
    if (res.verdict !== "violation") return;
    // One later read suffices to show it.
    expect(res.minimal).toHaveLength(2);
    expect(res.minimal[0]?.input).toEqual(put("x", "1"));
  });

  it("put answers the previous value; a wrong one is a violation", () => {
    const h = [
      done("a", put("x", "1"), 0, 1, { value: null }),
      done("a", put("x", "2"), 2, 3, { value: null }),
    ];
    expect(check(kv, h).verdict).toBe("violation");
  });

  it("delete and cas as the service answers them", () => {
    const h = [
      done("a", put("x", "1"), 0, 1, { value: null }),
      done("b", { op: "cas", key: "x", expected: "1", value: "2" }, 2, 3, {
        value: "1",
        swapped: true,
      }),
      done("c", { op: "delete", key: "x" }, 4, 5, { value: "2" }),
      done("c", { op: "cas", key: "x", expected: null, value: "3" }, 6, 7, {
        value: null,
        swapped: true,
      }),
      done("a", get("x"), 8, 9, { value: "3" }),
    ];
    expect(check(kv, h).verdict).toBe("linearizable");
    const wrong = h.with(
      1,
      done("b", { op: "cas", key: "x", expected: "1", value: "2" }, 2, 3, {
        value: "1",
        swapped: false,
      }),
    );
    expect(check(kv, wrong).verdict).toBe("violation");
  });
});

describe("mutex", () => {
  it("rejects two exclusive holders with no release between", () => {
    const h = [
      done("a", acquire("a"), 0, 1, { ok: true }),
      done("b", acquire("b"), 2, 3, { ok: true }),
      done("c", acquire("c", "other"), 0, 1, { ok: true }),
    ];
    const res = check(mutex, h);
    expect(res.verdict).toBe("violation");
    if (res.verdict !== "violation") return;
    expect(res.partition).toBe("l");
    expect(res.minimal).toHaveLength(2);
  });

  it("accepts a grant after a release, overlapping ones in either order, and shared holders", () => {
    expect(
      check(mutex, [
        done("a", acquire("a"), 0, 1, { ok: true }),
        done("a", release("a"), 2, 5, { ok: true }),
        // Overlaps the release: it may come after it.
        done("b", acquire("b"), 3, 6, { ok: true }),
        done("c", acquire("c"), 7, 8, { ok: false }),
      ]).verdict,
    ).toBe("linearizable");
    expect(
      check(mutex, [
        done("a", acquire("a", "l", "shared"), 0, 1, { ok: true }),
        done("b", acquire("b", "l", "shared"), 2, 3, { ok: true }),
        done("c", acquire("c"), 4, 5, { ok: false }),
      ]).verdict,
    ).toBe("linearizable");
  });

  it("a try-acquire fails only when the lock is held", () => {
    expect(check(mutex, [done("a", acquire("a"), 0, 1, { ok: false })]).verdict).toBe("violation");
    // A pending release may have freed it.
    expect(
      check(mutex, [
        done("a", acquire("a"), 0, 1, { ok: true }),
        pending("a", release("a"), 2),
        done("b", acquire("b"), 3, 4, { ok: true }),
      ]).verdict,
    ).toBe("linearizable");
  });
});

describe("budget", () => {
  it("a search over its step budget is unknown, not an answer", () => {
    const h = Array.from({ length: 8 }, (_, k) => done(`c${k}`, write(k), 0, 100, {}));
    const r = done("x", read, 101, 102, { value: 99 });
    const res = check(register, [...h, r], { steps: 20 });
    expect(res.verdict).toBe("unknown");
    expect(check(register, [...h, r]).verdict).toBe("violation");
  });
});
