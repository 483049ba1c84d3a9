/**
 * The enabled actions of each process, kept while the process's state is the same object: most
 * steps change one process, and a driver asks about every process on every tick. The protocol
 * computes them (its `enabledAt`, from its guards); this only avoids asking again for a state
 * it already answered. `key` names whatever else the answer depends on (e.g. the inputs).
 */
export class EnabledByProcess<P, A> {
  private readonly procs: (P | undefined)[] = [];
  private readonly keys: string[] = [];
  private readonly actions: ReadonlyArray<A>[] = [];

  constructor(private readonly compute: (k: number) => ReadonlyArray<A>) {}

  /** Process k's enabled actions, given its current state `proc`. */
  of(k: number, proc: P, key: string): ReadonlyArray<A> {
    if (this.procs[k] === proc && this.keys[k] === key) return this.actions[k] as ReadonlyArray<A>;
    const actions = this.compute(k);
    this.procs[k] = proc;
    this.keys[k] = key;
    this.actions[k] = actions;
    return actions;
  }
}
