/**
 * Breadth-first search over the implementation: from the model's initial states, every step
 * its next-state relation allows, each state identified by the fingerprint of its abstract
 * state (the protocol's variable table, printed as canonical JSON by the one trace encoder).
 * States are numbered in the order found, which is BFS order, so a state's number also orders
 * it by depth; each keeps its parent and the step that reached it, so the shortest path to any
 * state can be replayed.
 *
 * Two uses: graph equality with the spec (`graph`: the edges are kept too) and the explorer
 * (`invariants`: the implementation's invariants on every state). Speed lives here and in the
 * encoder, never in the protocol's folder.
 */
import type { Variable } from "../core/variables.js";
import { stateEncoder, stateText } from "../trace/encoder.js";
import { FingerprintSet, fingerprint, grown } from "./fingerprint.js";
import type { AnyModel, ImplModel, Successor } from "./model.js";

export interface ExploreOptions {
  /** Keep the edges (for graph equality). */
  readonly graph?: boolean;
  /** Check the implementation's invariants on every state; stop at the first that breaks one. */
  readonly invariants?: boolean;
  /** Stop (incomplete) after this many distinct states. */
  readonly maxStates?: number;
  /** Called about every `progressEvery` states. */
  readonly onProgress?: (p: ExploreProgress) => void;
  readonly progressEvery?: number;
}

export interface ExploreProgress {
  readonly states: number;
  readonly depth: number;
  readonly queue: number;
  readonly seconds: number;
}

/** The edges from state k are to[edgeStart[k] … edgeStart[k+1]), each taken by step[e]. */
export interface EdgeList {
  readonly edgeStart: Int32Array;
  readonly to: Int32Array;
  /** The edge's step: its position in the model's `next` of the source state. */
  readonly step: Uint16Array;
  readonly count: number;
}

export interface Exploration {
  readonly states: FingerprintSet;
  /** Distinct states found. */
  readonly distinct: number;
  /** Steps taken (successors generated within the bounds, repeats included). */
  readonly generated: number;
  /** The deepest level (the initial states are depth 0). */
  readonly depth: number;
  /** levelStart[d] is the first state of depth d (states are numbered in BFS order). */
  readonly levelStart: ReadonlyArray<number>;
  /** Per state: its parent (-1 - k for the k-th initial state) and the step from it. */
  readonly parent: Int32Array;
  readonly parentStep: Uint16Array;
  /** With `graph`: every distinct edge between two different states (a step to a state out
   * of bounds is none, nor is a step that leaves the abstract state as it was). */
  readonly edges?: EdgeList;
  /** Self-loops: steps whose successor is the same abstract state. */
  readonly selfLoops: number;
  /** With `invariants`: the first state that breaks one, and which. */
  readonly violation?: { readonly state: number; readonly invariants: ReadonlyArray<string> };
  /** False when the search stopped early (maxStates, or a violation). */
  readonly complete: boolean;
  readonly seconds: number;
  /** CPU seconds of this process during the search (robust where the machine is shared). */
  readonly cpuSeconds: number;
}

/** A state's canonical JSON through one encoder (it reuses text of parts seen last call). */
export function abstraction<S>(table: ReadonlyArray<Variable<S>>): (s: S) => string {
  const enc = stateEncoder(table);
  return (s) => stateText(enc.variables, enc.encode(s));
}

export function explore<S>(
  model: AnyModel,
  table: ReadonlyArray<Variable<S>>,
  opts: ExploreOptions = {},
): Exploration {
  const started = performance.now();
  const cpu0 = process.cpuUsage();
  const json = abstraction(table);
  const states = new FingerprintSet(1 << 14);
  let parent = new Int32Array(1 << 14);
  let parentStep = new Uint16Array(1 << 14);
  const keepGraph = opts.graph === true;
  let edgeStart = new Int32Array(keepGraph ? 1 << 14 : 0);
  let to = new Int32Array(keepGraph ? 1 << 15 : 0);
  let step = new Uint16Array(keepGraph ? 1 << 15 : 0);
  let edges = 0;
  let generated = 0;
  let selfLoops = 0;
  let violation: Exploration["violation"];
  const maxStates = opts.maxStates ?? Number.POSITIVE_INFINITY;
  const every = opts.progressEvery ?? 50_000;
  const levelStart: number[] = [0];
  /** States found but not yet expanded, by number: queue[k - queueBase]. */
  let queue: unknown[] = [];
  let queueBase = 0;

  const record = (s: unknown, from: number, k: number): number => {
    fingerprint(json(s as S));
    const n = states.add();
    if (n < 0) return -n - 1;
    if (n >= parent.length) {
      parent = grown(parent, parent.length * 2);
      parentStep = grown(parentStep, parentStep.length * 2);
    }
    parent[n] = from;
    parentStep[n] = k;
    queue.push(s);
    if (opts.invariants && violation === undefined) {
      const bad = model.violated(s);
      if (bad.length > 0) violation = { state: n, invariants: bad };
    }
    return n;
  };

  model.init.forEach((s, k) => {
    if (model.within(s)) record(s, -1 - k, 0);
  });
  levelStart.push(states.size);
  let complete = true;
  const targets = new Set<number>();
  for (let k = 0; k < states.size; k++) {
    if (violation !== undefined || states.size >= maxStates) {
      complete = false;
      break;
    }
    if (k === levelStart[levelStart.length - 1]) levelStart.push(states.size);
    const s = queue[k - queueBase];
    queue[k - queueBase] = undefined;
    if (k - queueBase > 1 << 16) {
      queue = queue.slice(k - queueBase);
      queueBase = k;
    }
    if (keepGraph) {
      if (k + 1 >= edgeStart.length) edgeStart = grown(edgeStart, edgeStart.length * 2);
      edgeStart[k] = edges;
      targets.clear();
    }
    const succ: ReadonlyArray<Successor<unknown, { readonly name: string }>> = model.next(s);
    for (let j = 0; j < succ.length; j++) {
      const t = (succ[j] as Successor<unknown, { readonly name: string }>).next;
      if (!model.within(t)) continue;
      generated++;
      const n = record(t, k, j);
      if (n === k) selfLoops++;
      // A step to the same abstract state (a stutter) is no edge: the engines leave them out.
      else if (keepGraph && !targets.has(n)) {
        targets.add(n);
        if (edges >= to.length) {
          to = grown(to, to.length * 2);
          step = grown(step, step.length * 2);
        }
        to[edges] = n;
        step[edges] = j;
        edges++;
      }
    }
    if (opts.onProgress && k % every === every - 1)
      opts.onProgress({
        states: states.size,
        depth: levelStart.length - 2,
        queue: states.size - k - 1,
        seconds: (performance.now() - started) / 1000,
      });
  }
  // The last level pushed may be empty (the search ended there).
  while (levelStart.length > 1 && levelStart[levelStart.length - 1] === states.size)
    levelStart.pop();
  if (keepGraph) {
    if (states.size >= edgeStart.length) edgeStart = grown(edgeStart, states.size + 1);
    edgeStart[states.size] = edges;
  }
  return {
    states,
    distinct: states.size,
    generated,
    depth: levelStart.length - 1,
    levelStart,
    parent,
    parentStep,
    ...(keepGraph ? { edges: { edgeStart, to, step, count: edges } } : {}),
    selfLoops,
    ...(violation === undefined ? {} : { violation }),
    complete,
    seconds: (performance.now() - started) / 1000,
    cpuSeconds: (() => {
      const u = process.cpuUsage(cpu0);
      return (u.user + u.system) / 1e6;
    })(),
  };
}

/** The depth of state n. */
export function depthOf(x: Exploration, n: number): number {
  let d = 0;
  while (d + 1 < x.levelStart.length && (x.levelStart[d + 1] as number) <= n) d++;
  return d;
}

/**
 * The shortest path to state n, replayed on the model: the initial state, then each step's
 * action and successor (states are not kept by the search, only how each was reached).
 */
export function pathTo<S, A extends { readonly name: string }>(
  model: ImplModel<S, A>,
  x: Exploration,
  n: number,
): { readonly init: S; readonly steps: ReadonlyArray<Successor<S, A>> } {
  const chain: number[] = [];
  let k = n;
  while (k >= 0) {
    chain.push(k);
    k = x.parent[k] as number;
  }
  const init = model.init[-1 - k] as S;
  chain.reverse();
  const steps: Successor<S, A>[] = [];
  let s = init;
  for (const c of chain.slice(1)) {
    const next = model.next(s)[x.parentStep[c] as number] as Successor<S, A>;
    steps.push(next);
    s = next.next;
  }
  return { init, steps };
}
