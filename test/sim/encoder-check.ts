/** Drives a StateEncoder over successive states, checking what version-2 traces rely on. */
import { expect } from "vitest";
import { type StateEncoder, stateText } from "../../src/trace/encoder.js";

/**
 * A function printing each state as canonical JSON through `enc`, which checks that every
 * variable is reported changed on the first state and that a variable reported unchanged prints
 * exactly as on the previous state (a v2 trace omits it; the reader keeps the previous value).
 */
export function checkedEncoder<S>(enc: StateEncoder<S>): (s: S) => string {
  let before: string[] | undefined;
  return (s) => {
    const vars = enc.encode(s);
    const texts = vars.map((v) => v.text);
    vars.forEach((v, k) => {
      if (before === undefined) expect(v.changed).toBe(true);
      else if (!v.changed) expect(texts[k]).toBe(before[k]);
    });
    before = texts;
    return stateText(enc.variables, vars);
  };
}
