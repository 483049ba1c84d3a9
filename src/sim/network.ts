/**
 * The simulated network, protocol-neutral: the message copies in flight (oldest first, the
 * order "deliver oldest first" follows) and a partition that cuts the processes in two for a
 * while. Drivers decide what delivering, dropping and duplicating mean in their protocol; the
 * network offers them as candidates according to the faults switched on.
 *
 * Opt-in, a time model: with `latency` (ticks per link, e.g. from latency classes in which one
 * site is far away) a copy becomes deliverable only once its link's latency has elapsed since
 * it was sent; the oldest deliverable copy is delivered first (any deliverable one with
 * reorder). Without it the network has no time model, and nothing here changes what a run
 * draws or does.
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

/** The actions the network's events stand for in a protocol, and their weights (split per copy). */
export interface NetworkEvents<M, A> {
  /** Delivering m: the receiver's action, decided once this copy is picked. */
  readonly deliver: (m: M) => A;
  readonly drop: (m: M) => A;
  readonly dup: (m: M) => A;
  readonly weights: { readonly deliver: number; readonly drop: number; readonly dup: number };
}

/** The opt-in time model: ticks a copy spends on the link from `source` to `dest`. */
export type Latency = (source: string, dest: string) => number;

export class Network<M> {
  /** Copies in flight, oldest first. */
  readonly queue: M[] = [];
  /** With a latency: per copy of `queue`, the tick it becomes deliverable at. */
  private readonly readyAt: number[] = [];
  partition: { side: ReadonlySet<string>; until: number } | undefined;

  constructor(
    private readonly ctx: SimContext,
    private readonly faults: ReadonlySet<Fault>,
    private readonly addressing: Addressing<M>,
    private readonly latency?: Latency,
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
    if (this.latency !== undefined)
      this.readyAt.push(
        this.ctx.tick + this.latency(this.addressing.source(m), this.addressing.dest(m)),
      );
  }

  /** One copy of m left the network (delivered or lost). */
  discard(m: M): void {
    const k = this.oldestCopy(m);
    if (k < 0) return;
    removeAt(this.queue, k);
    if (this.latency !== undefined) removeAt(this.readyAt, k);
  }

  /** With a latency: whether copy k of the queue is deliverable now. */
  private ready(k: number): boolean {
    return (this.readyAt[k] as number) <= this.ctx.tick;
  }

  /** Index of m's oldest copy (equal key), -1 if none; m itself at the head needs no key. */
  private oldestCopy(m: M): number {
    if (this.queue[0] === m) return 0;
    const key = this.addressing.key(m);
    return this.queue.findIndex((x) => this.addressing.key(x) === key);
  }

  /**
   * Delivery of the oldest copy, or of any copy with reorder; drop and duplicate of any copy
   * with those faults.
   */
  enumerate<A>(out: Candidates<A>, e: NetworkEvents<M, A>): void {
    const q = this.queue;
    if (q.length === 0) return;
    const w = e.weights;
    if (this.latency !== undefined) {
      this.enumerateTimed(out, e);
      return;
    }
    if (this.faults.has("reorder"))
      for (const m of q) out.addMade(m, e.deliver, w.deliver / q.length);
    else out.addMade(q[0] as M, e.deliver, w.deliver);
    if (this.faults.has("drop")) for (const m of q) out.addMade(m, e.drop, w.drop / q.length);
    if (this.faults.has("dup")) for (const m of q) out.addMade(m, e.dup, w.dup / q.length);
  }

  /**
   * With a latency: delivery of the oldest deliverable copy, or of any deliverable copy with
   * reorder; drop and duplicate of any deliverable copy with those faults (a copy still on its
   * way is lost or doubled when it arrives, so that a network in wait does not fill idle ticks
   * with faults).
   */
  private enumerateTimed<A>(out: Candidates<A>, e: NetworkEvents<M, A>): void {
    const q = this.queue;
    const w = e.weights;
    let n = 0;
    for (let k = 0; k < q.length; k++) if (this.ready(k)) n++;
    if (n === 0) return;
    let first = true;
    for (let k = 0; k < q.length; k++) {
      if (!this.ready(k)) continue;
      const m = q[k] as M;
      if (this.faults.has("reorder")) out.addMade(m, e.deliver, w.deliver / n);
      else if (first) out.addMade(m, e.deliver, w.deliver);
      first = false;
      if (this.faults.has("drop")) out.addMade(m, e.drop, w.drop / n);
      if (this.faults.has("dup")) out.addMade(m, e.dup, w.dup / n);
    }
  }

  /**
   * The first tick a network change may enable something: the partition healing or, with a
   * latency, the next copy becoming deliverable.
   */
  nextWake(): number {
    let wake = this.partition?.until ?? Number.POSITIVE_INFINITY;
    if (this.latency !== undefined)
      for (const t of this.readyAt) if (t > this.ctx.tick && t < wake) wake = t;
    return wake;
  }
}

/** Remove element k in place: splice would allocate the array of removed items, every time. */
function removeAt<T>(xs: T[], k: number): void {
  if (k === 0) xs.shift();
  else {
    xs.copyWithin(k, k + 1);
    xs.pop();
  }
}
