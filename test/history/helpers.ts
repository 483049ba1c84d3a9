/** Small builders for hand-written histories. */
import type { Operation } from "../../src/history/history.js";

let next = 0;

/** A completed operation of `client` from `call` to `ret` that answered `output`. */
export const done = (
  client: string,
  input: unknown,
  call: number,
  ret: number,
  output: unknown,
): Operation => ({ id: next++, client, input, call, return: ret, output });

/** A pending operation (no answer came) called at `call`. */
export const pending = (client: string, input: unknown, call: number): Operation => ({
  id: next++,
  client,
  input,
  call,
  return: null,
});

export const ids = (ops: ReadonlyArray<Operation>): ReadonlyArray<number> =>
  ops.map((o) => o.id).sort((a, b) => a - b);
