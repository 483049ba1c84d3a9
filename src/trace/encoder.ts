/**
 * The one trace encoder, for every protocol: it prints the spec variables of successive states
 * of a run as canonical JSON, driven by the protocol's variable table (core/variables.ts).
 *
 * Consecutive states share almost everything, so the encoder keeps, per variable, the part of
 * the state each process's value was read from and that part's printed text: a part that is
 * the same object (or the same primitive) as in the previous state is not printed again, and a
 * variable none of whose parts changed keeps its text and is reported unchanged. That is also
 * the meaning of "changed" in a version-2 trace: the variable's state part was replaced (a
 * replaced part may print the same; the trace then repeats an equal value, which is harmless).
 * For version 3 the encoder also derives, from the previous and the new text and the variable's
 * schema, the operations that turn one into the other (src/trace/updates.ts).
 */
import type { Variable } from "../core/variables.js";
import { diffPart, diffText, entryUpdates } from "./updates.js";

/** One spec variable as printed for one state. */
export interface VariableText {
  readonly text: string;
  /** False only if the value's parts are those of the previous call; true on the first call. */
  readonly changed: boolean;
  /**
   * For an encoder made with `updates` (format version 3), after the first call: the JSON text
   * of the operations turning the previous call's value into this one (src/trace/updates.ts),
   * "" when the value is the same. Always "" otherwise.
   */
  readonly updates: string;
}

/** Prints a run's states; one per run, as it reuses text between consecutive states. */
export interface StateEncoder<S> {
  /** The spec's variables in canonical (sorted) order: the order of encode's result. */
  readonly variables: ReadonlyArray<string>;
  /** Each variable's text; valid until the next call. */
  encode(s: S): ReadonlyArray<VariableText>;
}

/** What the encoder keeps of one variable between calls. */
class Kept<S> {
  /** Per process, in `processes` order: its id, the part last printed, and that part's text. */
  readonly ids: string[] = [];
  readonly parts: unknown[] = [];
  readonly shares: string[] = [];
  /** The last answer, updated in place (the caller reads it before the next call). */
  private readonly out: { text: string; changed: boolean; updates: string } = {
    text: "",
    changed: true,
    updates: "",
  };

  /**
   * Version 3, for a function over the processes whose text is `{"#map":[[id, share], …]}`
   * (checked on the first call): the processes whose part was replaced in this call, with their
   * previous share, so that only their shares are compared, not the whole text.
   */
  private byProcess: boolean | undefined;
  private readonly replaced: { k: number; before: string }[] = [];
  /** The whole-state part the last call replaced (for entryChanges). */
  private beforePart: unknown;
  private idsChanged = false;

  /**
   * A whole-state function of scalars that lists its changed entries: its updates come from
   * the two values, not from scanning the two texts (what diffText would give, faster).
   */
  private readonly scalarEntries: boolean;

  constructor(
    readonly v: Variable<S>,
    private readonly updates: boolean,
  ) {
    const s = v.schema;
    this.scalarEntries =
      v.processes === undefined &&
      v.entryChanges !== undefined &&
      s.t === "fun" &&
      (s.val.t === "int" || s.val.t === "str" || s.val.t === "bool");
  }

  /** Whether process k's part is new; if so it is printed and kept. */
  private keep(k: number, id: string, part: unknown): boolean {
    const same = this.ids[k] === id && k < this.shares.length;
    if (same && this.parts[k] === part) return false;
    if (this.updates) {
      if (same) {
        this.replaced.push({ k, before: this.shares[k] as string });
        this.beforePart = this.parts[k];
      } else this.idsChanged = true;
    }
    this.shares[k] = same
      ? this.v.partJsonFrom(id, this.parts[k], this.shares[k] as string, part)
      : this.v.partJson(id, part);
    this.ids[k] = id;
    this.parts[k] = part;
    return true;
  }

  // The visit of one process while encoding (a bound method: no closure per call).
  private n = 0;
  private changed = false;
  private readonly visit = (p: unknown, id: string): void => {
    if (this.keep(this.n++, id, this.v.part(p))) this.changed = true;
  };

  encode(s: S, first: boolean): VariableText {
    this.n = 0;
    this.changed = first;
    this.replaced.length = 0;
    this.idsChanged = false;
    const processes = this.v.processes;
    if (processes === undefined) this.visit(s, "");
    else processes(s).forEach(this.visit);
    const n = this.n;
    let changed = this.changed;
    if (n !== this.ids.length) {
      // Fewer processes than before: forget the rest.
      this.ids.length = n;
      this.parts.length = n;
      this.shares.length = n;
      changed = true;
    }
    const before = this.out.text;
    if (changed) this.out.text = this.v.assemble(this.ids, this.shares);
    this.out.changed = changed;
    this.out.updates = "";
    if (this.updates && first) this.byProcess = this.isByProcess();
    else if (this.updates && changed)
      this.out.updates =
        this.byProcess && !this.idsChanged
          ? this.processUpdates()
          : this.scalarEntries && this.replaced.length === 1
            ? entryUpdates(
                (this.v.entryChanges as NonNullable<Variable<S>["entryChanges"]>)(
                  this.beforePart,
                  this.parts[0],
                ),
                this.out.text,
              )
            : diffText(this.v.schema, before, this.out.text);
    return this.out;
  }

  /** Whether the text is the function from each id (as a JSON string) to its share. */
  private isByProcess(): boolean {
    if (this.v.processes === undefined || this.v.schema.t !== "fun") return false;
    const pairs = this.ids.map((id, k) => [JSON.stringify(id), this.shares[k] as string] as const);
    pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    return this.out.text === `{"#map":[${pairs.map(([k, x]) => `[${k},${x}]`).join(",")}]}`;
  }

  /** The updates of a function over the processes: each replaced share against its previous. */
  private processUpdates(): string {
    const schema = this.v.schema as Extract<Variable<S>["schema"], { t: "fun" }>;
    const keyed = this.replaced.map((r) => ({ ...r, key: JSON.stringify(this.ids[r.k]) }));
    keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const ops: string[] = [];
    for (const { k, before, key } of keyed)
      diffPart(schema.val, before, this.shares[k] as string, [key], ops);
    return ops.length === 0 ? "" : `[${ops.join(",")}]`;
  }
}

/**
 * An encoder for states described by `table`; with `updates`, each changed variable also comes
 * with the operations that changed it (format version 3).
 */
export function stateEncoder<S>(
  table: ReadonlyArray<Variable<S>>,
  { updates = false }: { updates?: boolean } = {},
): StateEncoder<S> {
  const kept = [...table]
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .map((v) => new Kept(v, updates));
  const out: VariableText[] = [];
  let first = true;
  return {
    variables: kept.map((k) => k.v.name),
    encode(s) {
      for (let k = 0; k < kept.length; k++) out[k] = (kept[k] as Kept<S>).encode(s, first);
      first = false;
      return out;
    },
  };
}

/** The canonical JSON of a whole state, from what `encode` returned for it. */
export const stateText = (
  names: ReadonlyArray<string>,
  vars: ReadonlyArray<VariableText>,
): string => `{${vars.map((v, k) => `${JSON.stringify(names[k])}:${v.text}`).join(",")}}`;

/** canonicalJson(abstractState(table, s)), through a fresh encoder. */
export function stateJson<S>(table: ReadonlyArray<Variable<S>>, s: S): string {
  const e = stateEncoder(table);
  return stateText(e.variables, e.encode(s));
}
