/**
 * The spec's reachable graph as an engine prints it (Graphviz DOT: one node per distinct state,
 * labelled with its variables as TLA+ text, one edge per step), read into the same
 * fingerprints as the implementation's states: each value is turned into the ITF value the
 * protocol's abstraction would print for it, guided by the variable's schema (an empty bag
 * prints as `<<>>`, a function over 1..n as a sequence, a model value as a name), and the
 * state into the same canonical JSON.
 */
import { canonicalJson, type ItfValue } from "../core/itf.js";
import type { Schema } from "../core/schema.js";
import { parseValue, type TlaValue } from "../tla/value.js";
import { FingerprintSet, fingerprint } from "./fingerprint.js";

export interface SpecGraph {
  readonly states: FingerprintSet;
  /** Per state (by fingerprint index): its variables as TLA+ text. */
  readonly labels: ReadonlyArray<Readonly<Record<string, string>>>;
  /** Per state: the states it steps to (distinct, by index). */
  readonly succ: ReadonlyArray<ReadonlyArray<number>>;
  readonly edges: number;
  readonly selfLoops: number;
}

export interface SchemaVar {
  readonly name: string;
  readonly schema: Schema;
}

/** Whether v can be read as a value of schema s (shallow enough to pick a oneOf's option). */
function fits(v: TlaValue, s: Schema): boolean {
  switch (s.t) {
    case "int":
      return v.k === "int";
    case "bool":
      return v.k === "bool";
    case "str":
      return v.k === "str" || v.k === "model";
    case "set":
      return v.k === "set" && v.elems.every((e) => fits(e, s.of));
    case "seq":
      return v.k === "seq" || (v.k === "fun" && v.pairs.length === 0);
    case "rec": {
      if (v.k !== "rec") return false;
      const names = Object.keys(s.fields);
      return (
        v.fields.length === names.length &&
        v.fields.every(([f, x]) => s.fields[f] !== undefined && fits(x, s.fields[f] as Schema))
      );
    }
    case "fun":
      return v.k === "fun" || v.k === "seq" || v.k === "rec";
    case "oneOf":
      return s.options.some((o) => fits(v, o));
  }
}

/** The ITF value of v as a value of schema s. Throws on a value that is not one. */
export function toItf(v: TlaValue, s: Schema): ItfValue {
  const bad = (): never => {
    throw new Error(`a ${v.k} where the schema has a ${s.t}`);
  };
  switch (s.t) {
    case "int":
      return v.k === "int" ? Number(v.v) : bad();
    case "bool":
      return v.k === "bool" ? v.v : bad();
    case "str":
      return v.k === "str" || v.k === "model" ? v.v : bad();
    case "set":
      return v.k === "set" ? { "#set": v.elems.map((e) => toItf(e, s.of)) } : bad();
    case "seq":
      if (v.k === "seq") return v.elems.map((e) => toItf(e, s.of));
      if (v.k === "fun" && v.pairs.length === 0) return [];
      if (v.k === "fun") {
        const sorted = [...v.pairs].sort(
          (a, b) => Number(a[0].k === "int" ? a[0].v : 0) - Number(b[0].k === "int" ? b[0].v : 0),
        );
        if (sorted.every(([k], i) => k.k === "int" && k.v === String(i + 1)))
          return sorted.map(([, x]) => toItf(x, s.of));
      }
      return bad();
    case "rec":
      return v.k === "rec"
        ? Object.fromEntries(
            v.fields.map(([f, x]) => {
              const fs = s.fields[f];
              if (fs === undefined) throw new Error(`field ${f} is not in the schema`);
              return [f, toItf(x, fs)];
            }),
          )
        : bad();
    case "fun":
      if (v.k === "fun")
        return { "#map": v.pairs.map(([k, x]) => [toItf(k, s.key), toItf(x, s.val)] as const) };
      if (v.k === "seq")
        return {
          "#map": v.elems.map(
            (x, i) => [toItf({ k: "int", v: String(i + 1) }, s.key), toItf(x, s.val)] as const,
          ),
        };
      if (v.k === "rec")
        return {
          "#map": v.fields.map(
            ([f, x]) => [toItf({ k: "str", v: f }, s.key), toItf(x, s.val)] as const,
          ),
        };
      return bad();
    case "oneOf": {
      const o = s.options.find((x) => fits(v, x));
      return o === undefined ? bad() : toItf(v, o);
    }
  }
}

/** The canonical JSON of a state given as TLA+ text per variable, as the encoder prints it. */
export function specStateJson(
  vars: ReadonlyArray<SchemaVar>,
  text: Readonly<Record<string, string>>,
): string {
  const sorted = [...vars].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return `{${sorted
    .map((v) => {
      const t = text[v.name];
      if (t === undefined) throw new Error(`the state has no variable ${v.name}`);
      let itf: ItfValue;
      try {
        itf = toItf(parseValue(t), v.schema);
      } catch (e) {
        throw new Error(`${v.name} = ${t.slice(0, 200)}: ${(e as Error).message}`);
      }
      return `${JSON.stringify(v.name)}:${canonicalJson(itf)}`;
    })
    .join(",")}}`;
}

/** A DOT label's text: `\"`, `\n`, `\\` undone. */
function unescapeLabel(s: string): string {
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === "\\" && i + 1 < s.length) {
      const d = s[++i];
      out += d === "n" || d === "l" ? "\n" : d;
    } else out += c;
  }
  return out;
}

/** `a=1\nb=<<>>` (or TLC's `/\ a = 1\n/\ b = <<>>`) as variable → text. */
export function labelVariables(label: string, names: ReadonlySet<string>): Record<string, string> {
  const out: Record<string, string> = {};
  let current: string | undefined;
  for (const raw of label.split("\n")) {
    const line = raw.replace(/^\s*\/\\\s*/, "");
    const m = /^([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/s.exec(line);
    // A variable not asked for (an engine's own, a history variable) is skipped, with the
    // lines its value continues on (no printed value has a line of the form `x = …`).
    if (m?.[1]) {
      current = names.has(m[1]) ? m[1] : undefined;
      if (current !== undefined) out[current] = m[2] ?? "";
    } else if (current !== undefined) out[current] += `\n${raw}`;
  }
  return out;
}

// Node ids: the embedded engine's are names, TLC's are (signed) fingerprints.
const NODE = /^\s*(-?\w+)\s*\[label="((?:[^"\\]|\\.)*)"(.*)$/;
const EDGE = /^\s*(-?\w+)\s*->\s*(-?\w+)/;
/** How TLC marks an initial state's node. */
const FILLED = /\bstyle\s*=\s*filled\b/;

/**
 * The graph in a DOT text: nodes with labels, edges between them (their labels ignored; the
 * embedded engine names every edge after the next-state relation). Variables not in `vars`
 * are left out of the state: an engine's own, or the history variables of a module that
 * extends the protocol's (src/conform/projection.ts says when that projection is sound), so
 * that states differing only there are one state. `marked` collects the nodes the DOT marks
 * as initial (TLC's filled nodes), by state index.
 */
export function readDot(
  dot: Iterable<string>,
  vars: ReadonlyArray<SchemaVar>,
  marked?: Set<number>,
): SpecGraph {
  const names = new Set(vars.map((v) => v.name));
  const states = new FingerprintSet(1 << 12);
  const labels: Record<string, string>[] = [];
  const byNode = new Map<string, number>();
  const edgeLines: [number, string][] = [];
  const pending: [string, string][] = [];
  for (const line of dot) {
    // A node's label may contain "->" (records), so nodes are tried first.
    const n = NODE.exec(line);
    if (n?.[1] && n[2] !== undefined) {
      const text = labelVariables(unescapeLabel(n[2]), names);
      fingerprint(specStateJson(vars, text));
      let k = states.add();
      if (k < 0) k = -k - 1;
      else labels[k] = text;
      byNode.set(n[1], k);
      if (marked !== undefined && FILLED.test(n[3] ?? "")) marked.add(k);
    } else {
      const e = EDGE.exec(line);
      if (e?.[1] && e[2]) {
        // TLC writes an edge before its target's node: resolve edges once all nodes are read.
        const x = byNode.get(e[1]);
        if (x !== undefined) edgeLines.push([x, e[2]]);
        else pending.push([e[1], e[2]]);
      }
    }
  }
  const succ: Set<number>[] = labels.map(() => new Set<number>());
  let selfLoops = 0;
  const add = (x: number, b: string) => {
    const y = byNode.get(b);
    // A step to a state the engine did not keep (outside the CONSTRAINT) is no edge.
    if (y === undefined) return;
    // A stutter is no edge (the implementation's side leaves them out too), nor is a step
    // that changes only variables left out.
    if (x === y) selfLoops++;
    else succ[x]?.add(y);
  };
  for (const [x, b] of edgeLines) add(x, b);
  for (const [a, b] of pending) {
    const x = byNode.get(a);
    if (x !== undefined) add(x, b);
  }
  const lists = succ.map((s) => [...s]);
  return {
    states,
    labels,
    succ: lists,
    edges: lists.reduce((k, s) => k + s.length, 0),
    selfLoops,
  };
}
