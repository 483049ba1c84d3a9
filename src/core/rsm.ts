/** The replicated state machine: what consensus orders commands for. */

/**
 * A deterministic state machine over states S, commands C and results R. `apply` must be pure:
 * replicas that apply the same commands in the same order reach the same state.
 */
export interface StateMachine<S, C, R> {
  readonly initial: S;
  apply(state: S, command: C): readonly [S, R];
}

/** Apply commands in order, returning the final state and the results. */
export const applyAll = <S, C, R>(
  sm: StateMachine<S, C, R>,
  state: S,
  commands: Iterable<C>,
): readonly [S, ReadonlyArray<R>] => {
  let s = state;
  const results: R[] = [];
  for (const c of commands) {
    const [next, r] = sm.apply(s, c);
    s = next;
    results.push(r);
  }
  return [s, results];
};
