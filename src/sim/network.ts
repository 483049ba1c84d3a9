/**
 * The simulated network, protocol-neutral: the message copies in flight (oldest first, the
 * order "deliver oldest first" follows) and a partition that cuts the processes in two for a
 * while. Drivers decide what delivering, dropping and duplicating mean in their protocol; the
 * network offers them as candidates according to the faults switched on.
 */
import type { Candidates } from "./candidates.js";
import type { SimContext } from "./engine.js";
import type { Fault } from "./faults.js";

/** Where a message goes, and its identity (equal keys = copies of one message). */
export interface Addressing<M> {
  readonly source: (m: M) => string;
  readonly dest: (m: M) => string;
  readonly key: (m: M) => string;
}

/** Candidate kinds and weights the driver gives network events (weights are split per copy). */
export interface NetworkEvents {
  readonly deliver: readonly [kind: number, weight: number];
  readonly drop: readonly [kind: number, weight: number];
  readonly dup: readonly [kind: number, weight: number];
}

/** NetworkEvents from the driver's candidate kinds and weights for the three events. */
export const networkEvents = (
  kinds: readonly [deliver: number, drop: number, dup: number],
  weights: { readonly deliver: number; readonly drop: number; readonly dup: number },
): NetworkEvents => ({
  deliver: [kinds[0], weights.deliver],
  drop: [kinds[1], weights.drop],
  dup: [kinds[2], weights.dup],
});

export class Network<M> {
  /** Copies in flight, oldest first. */
  readonly queue: M[] = [];
  partition: { side: ReadonlySet<string>; until: number } | undefined;

  constructor(
    private readonly ctx: SimContext,
    private readonly faults: ReadonlySet<Fault>,
    private readonly addressing: Addressing<M>,
  ) {}

  /** Each tick: end the partition when its time is up, or maybe start one among `ids`. */
  environment(
    ids: ReadonlyArray<string>,
    perTick: number,
    length: readonly [number, number],
  ): void {
    if (!this.faults.has("partition")) return;
    const { rng, tick } = this.ctx;
    if (this.partition !== undefined && tick >= this.partition.until) this.partition = undefined;
    else if (this.partition === undefined && rng.chance(perTick)) {
      const side = ids.filter(() => rng.chance(0.5));
      if (side.length > 0 && side.length < ids.length)
        this.partition = { side: new Set(side), until: tick + rng.range(length[0], length[1]) };
    }
  }

  /** The partition separates m's sender from its receiver. */
  cut(m: M): boolean {
    const p = this.partition;
    return (
      p !== undefined &&
      p.side.has(this.addressing.source(m)) !== p.side.has(this.addressing.dest(m))
    );
  }

  send(m: M): void {
    this.queue.push(m);
  }

  /** One copy of m left the network (delivered or lost). */
  discard(m: M): void {
    const q = this.queue;
    const k = this.oldestCopy(m);
    if (k < 0) return;
    // In place: splice would allocate the array of removed items, for every message handled.
    if (k === 0) q.shift();
    else {
      q.copyWithin(k, k + 1);
      q.pop();
    }
  }

  /** Index of m's oldest copy (equal key), -1 if none; m itself at the head needs no key. */
  private oldestCopy(m: M): number {
    if (this.queue[0] === m) return 0;
    const key = this.addressing.key(m);
    return this.queue.findIndex((x) => this.addressing.key(x) === key);
  }

  /**
   * Delivery of the oldest copy, or of any copy with reorder; drop and duplicate of any copy
   * with those faults. A candidate's `b` is the index of the copy in `queue`.
   */
  enumerate(out: Candidates, e: NetworkEvents): void {
    const q = this.queue.length;
    if (q === 0) return;
    const [deliver, wDeliver] = e.deliver;
    if (this.faults.has("reorder"))
      for (let k = 0; k < q; k++) out.add(deliver, 0, k, wDeliver / q);
    else out.add(deliver, 0, 0, wDeliver);
    if (this.faults.has("drop"))
      for (let k = 0; k < q; k++) out.add(e.drop[0], 0, k, e.drop[1] / q);
    if (this.faults.has("dup")) for (let k = 0; k < q; k++) out.add(e.dup[0], 0, k, e.dup[1] / q);
  }

  /** The first tick a network change may enable something (the partition healing). */
  nextWake(): number {
    return this.partition?.until ?? Number.POSITIVE_INFINITY;
  }
}
