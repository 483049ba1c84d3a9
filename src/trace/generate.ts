/**
 * Traces from the spec itself: genuine behaviours of a protocol's spec (Raft, Multi-Paxos),
 * produced by TLC and written in the trace format, for fixtures and benchmarks before (and
 * besides) the simulator. A `Generator` says what is protocol-specific: the finite model module,
 * its actions as MCNext quantifies them, and how a model's bounds become cfg constants.
 *
 * A generated module extends the protocol's finite model (MCRaft, MCMultiPaxos) with one variable, `act`, that records the
 * action each step took and its parameters; TLC then either finds the shortest behaviour to a
 * goal (breadth-first, a counterexample to an invariant such as ReconfigNeverCompletes) or walks
 * at random (-simulate) until the behaviour has the requested length. Its counterexample, printed
 * as TLA+ text, is read back into ITF values.
 */
import { copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Model } from "../tla/models.js";
import { runTlc, type TlcSetup } from "../tla/tlc.js";
import type { Step } from "../tla/types.js";
import type { Trace, TraceEvent } from "./codec.js";
import { field, int, set, str, type Value } from "./itf.js";
import { INIT_ACTION, type Protocol, paxos, raft } from "./protocol.js";
import { checkSchema, coerce } from "./schema.js";
import { parseTlaValue } from "./tla-text.js";

/** Constants of MCRaft (besides the Bug* switches, always FALSE here). */
export interface RaftModel {
  servers: string[];
  values: string[];
  initConfig: string[];
  newConfigs: string[][];
  maxTerm: number;
  maxLogLen: number;
  maxMessages: number;
  faults: ("restart" | "drop" | "duplicate")[];
}

export type GenerateMode =
  /** Shortest behaviour that violates `invariant` (a reachability goal), breadth-first. */
  | { kind: "goal"; invariant: string; extraConstraint?: string }
  /** A random behaviour of `events` events (Init included). */
  | { kind: "random"; events: number; seed: number; calm?: boolean };

/** What generation needs of a protocol; M is its model's bounds and constants. */
export interface Generator<M> {
  protocol: Protocol;
  /** The finite model module the generator extends (it defines StateConstraint). */
  mcModule: string;
  /** [action, quantifier, call] as the model's MCNext has them (faults behind their switch). */
  actions: readonly (readonly [string, string, string])[];
  /** Guards of a calm random walk, by action, and definitions they use. */
  calm: Readonly<Record<string, string>>;
  calmDefinitions: string;
  /** The cfg's CONSTANTS lines for a model (Bug* switches all FALSE). */
  constants(m: M): string[];
  /** The constants a trace header records. */
  given(m: M): Record<string, Value>;
  /** The header's servers list, if the protocol has one. */
  servers?(m: M): string[];
}

const RAFT_ACTIONS: readonly [string, string, string][] = [
  // [action, quantifier, call]
  ["Restart", "\\E i \\in Server", "FaultRestart(i)"],
  ["Timeout", "\\E i \\in Server", "Timeout(i)"],
  ["RequestVote", "\\E i, j \\in Server", "RequestVote(i, j)"],
  ["BecomeLeader", "\\E i \\in Server", "BecomeLeader(i)"],
  ["ClientRequest", "\\E i \\in Server, v \\in Value", "ClientRequest(i, v)"],
  ["Reconfigure", "\\E i \\in Server, newSet \\in NewConfigs", "Reconfigure(i, newSet)"],
  ["AppendNewConfig", "\\E i \\in Server", "AppendNewConfig(i)"],
  ["AppendEntries", "\\E i, j \\in Server", "AppendEntries(i, j)"],
  ["AdvanceCommitIndex", "\\E i \\in Server", "AdvanceCommitIndex(i)"],
  ["UpdateTerm", "\\E m \\in DOMAIN messages", "UpdateTerm(m)"],
  ["HandleRequestVoteRequest", "\\E m \\in DOMAIN messages", "HandleRequestVoteRequest(m)"],
  ["HandleRequestVoteResponse", "\\E m \\in DOMAIN messages", "HandleRequestVoteResponse(m)"],
  ["HandleAppendEntriesRequest", "\\E m \\in DOMAIN messages", "HandleAppendEntriesRequest(m)"],
  ["HandleAppendEntriesResponse", "\\E m \\in DOMAIN messages", "HandleAppendEntriesResponse(m)"],
  ["DropStaleResponse", "\\E m \\in DOMAIN messages", "DropStaleResponse(m)"],
  ["DropMessage", "\\E m \\in DOMAIN messages", "FaultDropMessage(m)"],
  ["DuplicateMessage", "\\E m \\in DOMAIN messages", "FaultDuplicateMessage(m)"],
];

const cfgSet = (xs: string[]) => `{${xs.join(", ")}}`;
const strSet = (xs: string[]): Value => set(xs.map(str));
export const raftGenerator: Generator<RaftModel> = {
  protocol: raft,
  mcModule: "MCRaft",
  actions: RAFT_ACTIONS,
  calm: {
    Restart: 'TLCGet("level") % 29 = 0 /\\ ',
    Timeout: 'NoLeader /\\ (\\A s \\in Server : state[s] # "Candidate") /\\ ',
    DropMessage: 'TLCGet("level") % 17 = 0 /\\ ',
    DuplicateMessage: 'TLCGet("level") % 19 = 0 /\\ ',
  },
  calmDefinitions: 'NoLeader == \\A s \\in Server : state[s] # "Leader"',
  constants: (m) => [
    `    Server = ${cfgSet(m.servers)}`,
    `    Value = ${cfgSet(m.values)}`,
    `    InitConfig = ${cfgSet(m.initConfig)}`,
    `    NewConfigs = {${m.newConfigs.map(cfgSet).join(", ")}}`,
    "    Nil = Nil",
    `    MaxTerm = ${m.maxTerm}`,
    `    MaxLogLen = ${m.maxLogLen}`,
    `    MaxMessages = ${m.maxMessages}`,
    `    Faults = {${m.faults.map((f) => `"${f}"`).join(", ")}}`,
    "    BugOldTermCommit = FALSE",
    "    BugNoLogCheck = FALSE",
    "    BugOneStepReconfig = FALSE",
    "    BugForgetVote = FALSE",
  ],
  given: (m) => ({
    Server: strSet(m.servers),
    Value: strSet(m.values),
    InitConfig: strSet(m.initConfig),
    NewConfigs: set(m.newConfigs.map(strSet)),
    Nil: str("Nil"),
  }),
  servers: (m) => m.servers,
};

/** Constants of MCMultiPaxos (besides the Bug* switches, always FALSE here). */
export interface PaxosModel {
  acceptors: string[];
  /** In ballot tie-break order (the spec's LeaderOrder is the set of this list's prefixes). */
  leaders: string[];
  replicas: string[];
  values: string[];
  newLeaderSets: string[][];
  initLeaders: string[];
  window: number;
  maxRound: number;
  maxSlot: number;
  maxMessages: number;
  faults: ("restart" | "drop" | "duplicate")[];
}

const prefixes = (xs: string[]) => xs.map((_, k) => xs.slice(0, k + 1));

export const paxosGenerator: Generator<PaxosModel> = {
  protocol: paxos,
  mcModule: "MCMultiPaxos",
  actions: [
    ["ClientRequest", "\\E r \\in Replica, c \\in Commands", "FreshRequest(r, c)"],
    ["Propose", "\\E r \\in Replica, c \\in Commands", "Propose(r, c)"],
    ["HandleDecision", "\\E r \\in Replica, m \\in DOMAIN messages", "HandleDecision(r, m)"],
    ["Perform", "\\E r \\in Replica", "Perform(r)"],
    ["LeaderTimeout", "\\E l \\in Leader", "LeaderTimeout(l)"],
    ["HandlePropose", "\\E l \\in Leader, m \\in DOMAIN messages", "HandlePropose(l, m)"],
    ["HandleP1b", "\\E l \\in Leader, m \\in DOMAIN messages", "HandleP1b(l, m)"],
    ["HandleP2b", "\\E l \\in Leader, m \\in DOMAIN messages", "HandleP2b(l, m)"],
    ["RestartLeader", "\\E l \\in Leader", "FaultRestartLeader(l)"],
    ["HandleP1a", "\\E a \\in Acceptor, m \\in DOMAIN messages", "HandleP1a(a, m)"],
    ["HandleP2a", "\\E a \\in Acceptor, m \\in DOMAIN messages", "HandleP2a(a, m)"],
    ["DropMessage", "\\E m \\in DOMAIN messages", "FaultDropMessage(m)"],
    ["DuplicateMessage", "\\E m \\in DOMAIN messages", "FaultDuplicateMessage(m)"],
  ],
  calm: {
    LeaderTimeout: "NoActiveLeader /\\ ",
    RestartLeader: 'TLCGet("level") % 29 = 0 /\\ ',
    DropMessage: 'TLCGet("level") % 17 = 0 /\\ ',
    DuplicateMessage: 'TLCGet("level") % 19 = 0 /\\ ',
  },
  calmDefinitions: "NoActiveLeader == \\A x \\in Leader : ~active[x] /\\ ~scouting[x]",
  constants: (m) => [
    `    Acceptor = ${cfgSet(m.acceptors)}`,
    `    Leader = ${cfgSet(m.leaders)}`,
    `    Replica = ${cfgSet(m.replicas)}`,
    `    LeaderOrder = {${prefixes(m.leaders).map(cfgSet).join(", ")}}`,
    `    Value = ${cfgSet(m.values)}`,
    `    NewLeaderSets = {${m.newLeaderSets.map(cfgSet).join(", ")}}`,
    `    InitLeaders = ${cfgSet(m.initLeaders)}`,
    `    Window = ${m.window}`,
    "    Nil = Nil",
    `    MaxRound = ${m.maxRound}`,
    `    MaxSlot = ${m.maxSlot}`,
    `    MaxMessages = ${m.maxMessages}`,
    `    Faults = {${m.faults.map((f) => `"${f}"`).join(", ")}}`,
    "    PairRequests = FALSE",
    "    BugIgnorePvalues = FALSE",
    "    BugAcceptLowerBallot = FALSE",
    "    BugExecuteOutOfOrder = FALSE",
    "    BugMinorityAdoption = FALSE",
  ],
  given: (m) => ({
    Acceptor: strSet(m.acceptors),
    Leader: strSet(m.leaders),
    Replica: strSet(m.replicas),
    LeaderOrder: set(prefixes(m.leaders).map(strSet)),
    Value: strSet(m.values),
    NewLeaderSets: set(m.newLeaderSets.map(strSet)),
    InitLeaders: strSet(m.initLeaders),
    Window: int(m.window),
    Nil: str("Nil"),
  }),
};

const moduleName = <M>(gen: Generator<M>) => `Gen${gen.protocol.module}`;

/** The generator module: the model's next-state relation with `act` recording each step. */
export function generatorModule<M>(
  mode: GenerateMode,
  definitions = "",
  gen: Generator<M> = raftGenerator as unknown as Generator<M>,
): string {
  const calm = mode.kind === "random" && mode.calm;
  const params = (call: string) => {
    const names =
      /\((.*)\)/
        .exec(call)?.[1]
        ?.split(",")
        .map((s) => s.trim()) ?? [];
    return names.length === 0
      ? "[x \\in {} |-> 0]"
      : `[${names.map((n) => `${n} |-> ${n}`).join(", ")}]`;
  };
  const disjuncts = gen.actions.map(([name, q, call], k) => {
    // Calm walks restrict when faults and elections happen so that leaders get elected, logs
    // grow and entries commit; a guard only removes choices, so every step is still a step of
    // the spec.
    const guard = calm ? (gen.calm[name] ?? "") : "";
    return `${k === 0 ? "  /\\ " : "     "}\\/ ${q} : ${guard}${call} /\\ Did("${name}", ${params(call)})`;
  });
  const length =
    mode.kind === "random" ? `GenLength == TLCGet("level") < ${mode.events}` : "GenLength == TRUE";
  return [
    `---- MODULE ${moduleName(gen)} ----`,
    `\\* Generated by lockstep (src/trace/generate.ts): ${gen.mcModule} with the action of each step recorded.`,
    `EXTENDS ${gen.mcModule}`,
    "VARIABLE act",
    "Did(name, params) == act' = [a |-> name, p |-> params]",
    gen.calmDefinitions,
    `GenInit == Init /\\ act = [a |-> "${INIT_ACTION}", p |-> [x \\in {} |-> 0]]`,
    "GenNext ==",
    ...disjuncts,
    "  /\\ StateConstraint'",
    length,
    definitions,
    "====",
    "",
  ].join("\n");
}

export function generatorCfg<M>(
  m: M,
  mode: GenerateMode,
  gen: Generator<M> = raftGenerator as unknown as Generator<M>,
): string {
  const invariants = mode.kind === "goal" ? [mode.invariant] : ["GenLength"];
  const constraints = mode.kind === "goal" && mode.extraConstraint ? [mode.extraConstraint] : [];
  return [
    "CONSTANTS",
    ...gen.constants(m),
    "INIT GenInit",
    "NEXT GenNext",
    ...(constraints.length > 0 ? [`CONSTRAINT ${constraints.join(" ")}`] : []),
    `INVARIANT ${invariants.join(" ")}`,
    "CHECK_DEADLOCK FALSE",
    "",
  ].join("\n");
}

/** Read TLC's counterexample (TLA+ text per variable, plus `act`) into trace events. */
export function stepsToEvents(steps: Step[], protocol: Protocol = raft): TraceEvent[] {
  return steps.map((s, i) => {
    const actText = s.vars.act;
    if (actText === undefined) throw new Error(`state ${i + 1} of the counterexample has no act`);
    const act = parseTlaValue(actText);
    const action = field(act, "a");
    if (action?.kind !== "str") throw new Error(`state ${i + 1}: act has no action name`);
    const specs = i === 0 ? [] : (protocol.actions[action.value] ?? []);
    const given = field(act, "p");
    const params: Record<string, Value> = {};
    for (const p of specs) {
      const v = given ? field(given, p.name) : undefined;
      if (!v) throw new Error(`state ${i + 1}: ${action.value} has no parameter ${p.name}`);
      params[p.name] = coerce(v, p.schema);
    }
    const state: Record<string, Value> = {};
    for (const { name, schema } of protocol.variables) {
      const text = s.vars[name];
      if (text === undefined) throw new Error(`state ${i + 1} has no variable ${name}`);
      const v = coerce(parseTlaValue(text), schema);
      const bad = checkSchema(v, schema, name);
      if (bad) throw new Error(`state ${i + 1}: ${bad}`);
      state[name] = v;
    }
    return { i, line: i + 2, action: action.value, params, state };
  });
}

export interface GenerateResult {
  trace: Trace;
  seconds: number;
}

/** Run TLC on the generator and return the behaviour it printed as a trace. */
export interface GenerateOptions {
  /** Written into the header as the run's seed (default: the walk's seed, or "bfs"). */
  seed?: number | string;
  /** Extra TLA+ definitions for the generator module (e.g. a goal invariant). */
  definitions?: string;
}

export async function generateTrace<M = RaftModel>(
  m: M,
  mode: GenerateMode,
  tlc: TlcSetup,
  opts: GenerateOptions = {},
  gen: Generator<M> = raftGenerator as unknown as Generator<M>,
): Promise<GenerateResult> {
  const seed = opts.seed ?? (mode.kind === "random" ? mode.seed : "bfs");
  const protocol = gen.protocol;
  const name = moduleName(gen);
  const dir = mkdtempSync(join(tmpdir(), "lockstep-gen-"));
  try {
    for (const f of readdirSync(protocol.specDir).filter((f) => f.endsWith(".tla")))
      copyFileSync(join(protocol.specDir, f), join(dir, f));
    writeFileSync(join(dir, `${name}.tla`), generatorModule(mode, opts.definitions, gen));
    writeFileSync(join(dir, `${name}.cfg`), generatorCfg(m, mode, gen));
    const model: Model = {
      name,
      protocol: protocol.name,
      dir,
      cfgPath: join(dir, `${name}.cfg`),
      module: name,
      tlaPath: join(dir, `${name}.tla`),
      expect: mode.kind === "goal" ? mode.invariant : "GenLength",
      engines: ["tlc"],
      tier: "ci",
    };
    const tlcArgs =
      mode.kind === "random"
        ? ["-simulate", "num=1", "-depth", String(mode.events + 1), "-seed", String(mode.seed)]
        : [];
    const r = await runTlc(model, tlc, { workers: 1, tlcArgs });
    if (r.outcome !== model.expect || !r.counterexample)
      throw new Error(
        `TLC did not produce the behaviour (outcome ${r.outcome}${r.error ? `: ${r.error}` : ""})`,
      );
    const events = stepsToEvents(
      r.counterexample.filter((s) => s.action !== "Stuttering"),
      protocol,
    );
    const given = gen.given(m);
    const constants = { ...given };
    for (const c of protocol.constants) if (c.fixed) constants[c.name] = c.fixed;
    return {
      trace: {
        file: `(generated ${mode.kind} ${seed})`,
        header: {
          protocol,
          seed,
          ...(gen.servers ? { servers: gen.servers(m) } : {}),
          constants,
          given,
        },
        events,
      },
      seconds: r.seconds,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
