/**
 * Partial traces from full ones (traces/FORMAT.md, "Partial traces"): what an implementation
 * that logs only some variables, and does not see the network's own events, would have written
 * of the same run. `npm run sim -- --log VARS --omit ACTIONS` writes them; the tests make them
 * from committed traces.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { encodeTrace, type Trace, type TraceEvent } from "./codec.js";
import { equals, type Value } from "./itf.js";
import { writeNdjson } from "./ndjson.js";
import { INIT_ACTION } from "./protocol.js";

export interface PartialOptions {
  /** The variables to log (default: all). */
  readonly logged?: readonly string[];
  /** Actions whose events are left out (e.g. DropMessage, DuplicateMessage). */
  readonly omit?: readonly string[];
  /**
   * The most steps left out in a row the header allows (default: the most this run left out,
   * at least 1 when `omit` is given).
   */
  readonly steps?: number;
}

/** Why the options cannot make a partial trace of `t`, or undefined. */
export function partialProblem(t: Trace, o: PartialOptions): string | undefined {
  const p = t.header.protocol;
  const vars = p.variables.map((v) => v.name);
  const badVar = o.logged?.find((n) => !vars.includes(n));
  if (badVar !== undefined)
    return `"${badVar}" is not a variable of ${p.module} (its variables: ${vars.join(", ")})`;
  const badAction = o.omit?.find((a) => p.actions[a] === undefined);
  if (badAction !== undefined)
    return `"${badAction}" is not an action of ${p.module} (its actions: ${Object.keys(p.actions).join(", ")})`;
  return undefined;
}

/** The trace as an implementation logging only `logged`, and none of the `omit` events, writes it. */
export function partialTrace(t: Trace, o: PartialOptions): Trace {
  const bad = partialProblem(t, o);
  if (bad) throw new RangeError(bad);
  const vars = t.header.protocol.variables.map((v) => v.name);
  const logged = o.logged === undefined ? vars : vars.filter((n) => o.logged?.includes(n));
  const omit = new Set(o.omit ?? []);
  const events: TraceEvent[] = [];
  let run = 0;
  let longest = 0;
  for (const e of t.events) {
    if (e.action !== INIT_ACTION && omit.has(e.action)) {
      run++;
      longest = Math.max(longest, run);
      continue;
    }
    run = 0;
    const state = Object.fromEntries(
      logged.flatMap((n) => (e.state[n] === undefined ? [] : [[n, e.state[n]] as const])),
    );
    events.push({ ...e, i: events.length, line: events.length + 2, state });
  }
  const steps = o.steps ?? (omit.size > 0 ? Math.max(1, longest) : 0);
  return {
    ...t,
    header: {
      ...t.header,
      ...(o.logged === undefined ? {} : { logged }),
      ...(omit.size > 0 ? { unlogged: { actions: [...omit], steps } } : {}),
    },
    events,
  };
}

/** The middle-most event that changes a logged variable, and that variable. */
export function changedEvent(t: Trace): { k: number; variable: string } {
  const logged = t.header.logged ?? t.header.protocol.variables.map((v) => v.name);
  const mid = t.events.length / 2;
  const order = t.events.map((_, k) => k).sort((a, b) => Math.abs(a - mid) - Math.abs(b - mid));
  for (const k of order) {
    if (k === 0) continue;
    for (const n of logged) {
      const a = t.events[k - 1]?.state[n];
      const b = t.events[k]?.state[n];
      if (a && b && !equals(a, b)) return { k, variable: n };
    }
  }
  throw new Error(`${t.file}: no event changes a logged variable`);
}

/** The trace with event k logging `variable` as the previous event had it. */
export function leftAtPrevious(t: Trace, k: number, variable: string): Trace {
  const prev = t.events[k - 1]?.state[variable] as Value;
  return {
    ...t,
    events: t.events.map((e, i) =>
      i === k ? { ...e, state: { ...e.state, [variable]: prev } } : e,
    ),
  };
}

export const PARTIAL_EXPECTED = "expected.json";

/**
 * The committed partial traces of a protocol (traces/<protocol>/partial), made from its good
 * trace `from`: `good/<from>.ndjson` logs only `logged` and leaves out the `omit` events;
 * `bad/<from>-stale-<variable>.ndjson` is the same with one logged value left at the previous
 * event's, and `expected.json` says at which event it must be rejected.
 */
export function writePartialFixtures(
  dir: string,
  from: Trace,
  name: string,
  o: PartialOptions,
): string[] {
  const good = partialTrace(from, o);
  const { k, variable } = changedEvent(good);
  const bad = leftAtPrevious(good, k, variable);
  mkdirSync(join(dir, "good"), { recursive: true });
  mkdirSync(join(dir, "bad"), { recursive: true });
  const badName = `${name}-stale-${variable}`;
  writeNdjson(join(dir, "good", `${name}.ndjson`), encodeTrace(good, 3));
  writeNdjson(join(dir, "bad", `${badName}.ndjson`), encodeTrace(bad, 3));
  writeFileSync(
    join(dir, PARTIAL_EXPECTED),
    `${JSON.stringify({ [`bad/${badName}.ndjson`]: { failsAt: k, variable } }, null, 2)}\n`,
  );
  return [
    `good/${name}.ndjson (${good.events.length} events)`,
    `bad/${badName}.ndjson (event ${k})`,
  ];
}
