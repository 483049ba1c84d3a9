/** A transition's result: the next state and what the runtime must do (its effects). */
export interface Step<S, E> {
  readonly next: S;
  readonly effects: ReadonlyArray<E>;
}
