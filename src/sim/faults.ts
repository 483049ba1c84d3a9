/** The fault kinds every protocol's simulator understands, and crashed servers' downtime. */
import type { SimContext } from "./engine.js";

export const faultNames = ["drop", "dup", "reorder", "partition", "crash", "reconfig"] as const;
export type Fault = (typeof faultNames)[number];

/**
 * Parse "drop,dup" (or "all": every fault of `known`) into faults from `known` (default: every
 * fault kind); throws a one-line Error naming the bad value.
 */
export function parseFaults(
  s: string,
  known: ReadonlyArray<Fault> = faultNames,
): ReadonlyArray<Fault> {
  const names = s
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean);
  if (names.length === 1 && names[0] === "all") return known;
  const bad = names.filter((n) => !(known as ReadonlyArray<string>).includes(n));
  if (bad.length > 0)
    throw new Error(`unknown fault "${bad[0]}" (expected some of ${known.join(", ")}, or all)`);
  return [...new Set(names as Fault[])];
}

/**
 * Which of n processes are down and until when. A crashed process comes back through its
 * protocol's restart action once its downtime is over; at most `maxDown` are down at once
 * (default: a minority), so that the system can still make progress.
 */
export class Outages {
  /** Per process: the tick it may restart at, or -1 while it is up. */
  readonly downUntil: number[];

  constructor(
    private readonly ctx: SimContext,
    readonly n: number,
    /** E.g. n - 1 for a role where one live process suffices (e.g. leaders, where one suffices). */
    readonly maxDown: number = Math.floor((n - 1) / 2),
  ) {
    this.downUntil = new Array(n).fill(-1);
  }

  up(k: number): boolean {
    return (this.downUntil[k] as number) < 0;
  }

  /** Process k may restart now. */
  due(k: number): boolean {
    return !this.up(k) && this.ctx.tick >= (this.downUntil[k] as number);
  }

  /** Process k stops for a downtime drawn from the range (unless more than maxDown would be down). */
  crash(k: number, downtime: readonly [number, number]): void {
    const down = this.downUntil.filter((d) => d >= 0).length;
    if (this.up(k) && down + 1 <= this.maxDown)
      this.downUntil[k] = this.ctx.tick + this.ctx.rng.range(downtime[0], downtime[1]);
  }

  restarted(k: number): void {
    this.downUntil[k] = -1;
  }
}
