/**
 * A history of operations as clients saw them: what each asked (`input`), when it asked
 * (`call`), when the answer came (`return`) and what it was (`output`). An operation whose
 * answer never came (a timeout, a dropped connection) is pending: `return` is null and it has
 * no output, because it may or may not have taken effect.
 *
 * On disk a history is NDJSON: a header line `{"history":1,"model":"kv"}`, then one operation a
 * line. Times are numbers on one monotonic clock (any unit); only their order matters.
 */
import { isLeft } from "fp-ts/lib/Either.js";
import * as t from "io-ts";
import { UserError } from "../core/errors.js";

export interface Operation<I = unknown, O = unknown> {
  readonly id: number;
  readonly client: string;
  readonly input: I;
  readonly call: number;
  /** null: pending — no answer came, so the operation may have taken effect or not. */
  readonly return: number | null;
  /** Absent exactly when pending. */
  readonly output?: O;
}

export interface History<I = unknown, O = unknown> {
  readonly model: string;
  readonly ops: ReadonlyArray<Operation<I, O>>;
}

export const isPending = (op: Operation): boolean => op.return === null;

export const HISTORY_VERSION = 1;

const Header = t.strict({ history: t.literal(HISTORY_VERSION), model: t.string });

const OpLine = t.intersection([
  t.strict({
    id: t.number,
    client: t.string,
    input: t.unknown,
    call: t.number,
    return: t.union([t.number, t.null]),
  }),
  t.partial({ output: t.unknown }),
]);

/** How a model's inputs and outputs are checked when a history is read. */
export interface OpShapes<I, O> {
  readonly input: t.Decoder<unknown, I>;
  readonly output: t.Decoder<unknown, O>;
}

/** The first path and expected type io-ts complains about, in a few words. */
function firstComplaint(errors: t.Errors): string {
  const e = errors[0];
  if (e === undefined) return "invalid";
  const path = e.context
    .map((c) => c.key)
    .filter((k) => k !== "" && !/^\d+$/.test(k))
    .join(".");
  const expected = e.context[e.context.length - 1]?.type.name ?? "?";
  const got = JSON.stringify(e.value) ?? "undefined";
  return `${path === "" ? "the line" : `"${path}"`} is ${got.length > 40 ? `${got.slice(0, 40)}…` : got}, expected ${expected}`;
}

/** The model a history file's header names (or a UserError naming file:1). */
export function readHeader(text: string, file: string): { readonly model: string } {
  const first = text.split("\n", 1)[0] ?? "";
  let json: unknown;
  try {
    json = JSON.parse(first);
  } catch {
    throw new UserError(
      `${file}:1: not JSON; a history starts with a header line like {"history":${HISTORY_VERSION},"model":"kv"}`,
    );
  }
  const h = Header.decode(json);
  if (isLeft(h))
    throw new UserError(
      `${file}:1: not a history header (${firstComplaint(h.left)}); the first line must be like {"history":${HISTORY_VERSION},"model":"kv"}`,
    );
  return { model: h.right.model };
}

/**
 * Parse a history file's text, checking each operation's input and output against the model's
 * shapes. A bad line is one UserError naming `file:line`, what is wrong and what to do.
 */
export function decodeHistory<I, O>(
  text: string,
  file: string,
  model: string,
  shapes: OpShapes<I, O>,
): History<I, O> {
  readHeader(text, file);
  const lines = text.split("\n");
  const ops: Operation<I, O>[] = [];
  const seen = new Map<number, number>();
  for (let k = 1; k < lines.length; k++) {
    const raw = (lines[k] as string).trim();
    if (raw === "") continue;
    const where = `${file}:${k + 1}`;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      throw new UserError(`${where}: not JSON; write one operation as a JSON object per line`);
    }
    const line = OpLine.decode(json);
    if (isLeft(line))
      throw new UserError(
        `${where}: not an operation (${firstComplaint(line.left)}); an operation is {"id":N,"client":"c","input":…,"call":T,"return":T|null,"output":…}`,
      );
    const o = line.right;
    const again = seen.get(o.id);
    if (again !== undefined)
      throw new UserError(
        `${where}: id ${o.id} is used on line ${again} too; give each op its own id`,
      );
    seen.set(o.id, k + 1);
    if (o.return !== null && o.return < o.call)
      throw new UserError(`${where}: return ${o.return} is before call ${o.call}; check the clock`);
    const input = shapes.input.decode(o.input);
    if (isLeft(input))
      throw new UserError(
        `${where}: not a ${model} input (${firstComplaint(input.left)}); see the ${model} model's operations`,
      );
    if (o.return === null) {
      if ("output" in o)
        throw new UserError(
          `${where}: a pending op (return null) has no output; drop "output", or give the return time`,
        );
      ops.push({ id: o.id, client: o.client, input: input.right, call: o.call, return: null });
      continue;
    }
    if (!("output" in o))
      throw new UserError(
        `${where}: a completed op needs an "output"; add it, or make the op pending with "return": null`,
      );
    const output = shapes.output.decode(o.output);
    if (isLeft(output))
      throw new UserError(
        `${where}: not a ${model} output (${firstComplaint(output.left)}); see the ${model} model's operations`,
      );
    ops.push({
      id: o.id,
      client: o.client,
      input: input.right,
      call: o.call,
      return: o.return,
      output: output.right,
    });
  }
  return { model, ops };
}

/** A history as NDJSON text (the header, then one operation a line). */
export function encodeHistory(h: History): string {
  const lines = [JSON.stringify({ history: HISTORY_VERSION, model: h.model })];
  for (const op of h.ops) lines.push(JSON.stringify(op));
  return `${lines.join("\n")}\n`;
}

/** An invocation the recorder is waiting to hear the outcome of. */
export type Handle = number;

/**
 * What a real client records: `invoke` when it sends an operation, then `ok` with the answer or
 * `pending` when it gives up (timed out: the operation may still take effect). The clock must
 * be monotonic (the default `performance.now()` is), so that real-time order is right.
 */
export class HistoryRecorder<I = unknown, O = unknown> {
  private readonly ops: Array<{
    id: number;
    client: string;
    input: I;
    call: number;
    return: number | null;
    output?: O;
    settled: boolean;
  }> = [];

  constructor(
    readonly model: string,
    private readonly clock: () => number = () => performance.now(),
  ) {}

  invoke(client: string, input: I): Handle {
    const id = this.ops.length;
    this.ops.push({ id, client, input, call: this.clock(), return: null, settled: false });
    return id;
  }

  ok(handle: Handle, output: O): void {
    const op = this.open(handle);
    op.return = this.clock();
    op.output = output;
    op.settled = true;
  }

  /** No answer will be recorded: the operation stays pending (return null). */
  pending(handle: Handle): void {
    this.open(handle).settled = true;
  }

  private open(handle: Handle) {
    const op = this.ops[handle];
    if (op === undefined) throw new RangeError(`no invocation ${handle}`);
    if (op.settled) throw new Error(`invocation ${handle} already has its outcome`);
    return op;
  }

  /** The history so far; invocations with no outcome yet are pending. */
  toHistory(): History<I, O> {
    return {
      model: this.model,
      ops: this.ops.map(({ settled: _, ...op }) =>
        op.return === null
          ? { id: op.id, client: op.client, input: op.input, call: op.call, return: null }
          : op,
      ),
    };
  }
}
