/** Fingerprints: stable, sensitive to every character, and a set that numbers them in order. */
import { describe, expect, it } from "vitest";
import { FingerprintSet, fingerprint, fingerprintHex } from "../../src/conform/fingerprint.js";

describe("fingerprints", () => {
  it("are 64 bits, the same for the same text, different when one character changes", () => {
    const a = '{"x":{"#map":[["s1",1],["s2",2]]}}';
    expect(fingerprintHex(a)).toMatch(/^[0-9a-f]{16}$/);
    expect(fingerprintHex(a)).toBe(fingerprintHex(`${a}`));
    const seen = new Set<string>();
    for (let k = 0; k < a.length; k++) {
      const b = `${a.slice(0, k)}${String.fromCharCode(a.charCodeAt(k) ^ 1)}${a.slice(k + 1)}`;
      seen.add(fingerprintHex(b));
    }
    expect(seen.size).toBe(a.length);
    expect(seen.has(fingerprintHex(a))).toBe(false);
    // Odd and even lengths, and the empty text.
    expect(fingerprintHex("")).not.toBe(fingerprintHex("\0"));
    expect(fingerprintHex("ab")).not.toBe(fingerprintHex("abc"));
  });

  it("number the states of a set in insertion order, through growth, without collisions here", () => {
    const set = new FingerprintSet(4);
    const n = 200_000;
    // One assertion for the lot: 200,000 expect calls would cost seconds.
    const misnumbered: number[] = [];
    for (let k = 0; k < n; k++) {
      fingerprint(`{"n":${k}}`);
      if (set.add() !== k) misnumbered.push(k);
    }
    expect(misnumbered).toEqual([]);
    expect(set.size).toBe(n);
    for (const k of [0, 1, 77, n - 1]) {
      fingerprint(`{"n":${k}}`);
      expect(set.find()).toBe(k);
      expect(set.add()).toBe(-k - 1);
    }
    fingerprint(`{"n":${n}}`);
    expect(set.find()).toBe(-1);
    expect(set.bytes / n).toBeLessThan(40);
  });
});
