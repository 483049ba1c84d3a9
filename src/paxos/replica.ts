/**
 * PMMC's Replica: one pure transition per spec action, `(env, replica, input) → Option<Step>`,
 * `None` when the action's guard is false. A replica proposes requests for free slots within
 * its window, learns decisions and performs them in slot order.
 */

import { pipe } from "fp-ts/lib/function.js";
import * as O from "fp-ts/lib/Option.js";
import * as RA from "fp-ts/lib/ReadonlyArray.js";
import type {
  Command,
  Effect,
  Env,
  Message,
  ReplicaId,
  ReplicaState,
  SlotCmd,
  Step,
} from "./types.js";
import { commandEquals, commands, decidedAt, isReconfig, slotCmds } from "./values.js";

/** A replica in the spec's Init. */
export const initialReplica = (env: Env, id: ReplicaId): ReplicaState => ({
  id,
  slotIn: 1,
  slotOut: 1,
  requests: [],
  proposals: [],
  decisions: [],
  leaders: env.initLeaders,
  executed: [],
});

const step = (state: ReplicaState, effects: ReadonlyArray<Effect>): O.Option<Step<ReplicaState>> =>
  O.some({ state, effects });

/** ClientRequest(r, c): a client's request for c reaches the replica (PMMC "request"). */
export function clientRequest(
  _env: Env,
  r: ReplicaState,
  c: Command,
): O.Option<Step<ReplicaState>> {
  return step({ ...r, requests: commands.add(r.requests, c) }, []);
}

/**
 * The leaders in force at slotIn: those of a reconfiguration decided WINDOW slots earlier,
 * else the current ones (PMMC propose(): "if isreconfig(op) then leaders := op.leaders").
 */
const leadersAt = (env: Env, r: ReplicaState): ReadonlyArray<string> =>
  pipe(
    decidedAt(r.decisions, r.slotIn - env.window),
    RA.findFirst((d) => isReconfig(d.cmd)),
    O.match(
      () => r.leaders,
      (d) => d.cmd.leaders,
    ),
  );

/**
 * Propose(r, c): PMMC propose() for one slot. Within the window, adopt the configuration
 * decided WINDOW slots back; if slotIn is still undecided, move c from requests to proposals
 * and send a "propose" message to every leader; slotIn advances in every case.
 */
export function propose(env: Env, r: ReplicaState, c: Command): O.Option<Step<ReplicaState>> {
  if (r.slotIn >= r.slotOut + env.window || !commands.has(r.requests, c)) return O.none;
  const leaders = leadersAt(env, r);
  const slotIn = r.slotIn + 1;
  if (decidedAt(r.decisions, r.slotIn).length > 0) return step({ ...r, leaders, slotIn }, []);
  const effects: ReadonlyArray<Effect> = leaders.map((l) => ({
    type: "send",
    message: { mtype: "propose", mslot: r.slotIn, mcmd: c, msource: r.id, mdest: l },
  }));
  return step(
    {
      ...r,
      leaders,
      slotIn,
      requests: commands.remove(r.requests, c),
      proposals: slotCmds.add(r.proposals, { slot: r.slotIn, cmd: c }),
    },
    effects,
  );
}

/** HandleDecision(r, m): a commander's "decision" message reaches the replica. */
export function handleDecision(
  _env: Env,
  r: ReplicaState,
  m: Message,
): O.Option<Step<ReplicaState>> {
  if (m.mtype !== "decision" || m.mdest !== r.id) return O.none;
  return step({ ...r, decisions: slotCmds.add(r.decisions, { slot: m.mslot, cmd: m.mcmd }) }, [
    { type: "discard", message: m },
  ]);
}

/**
 * The slot Perform executes: slotOut once it is decided; under BugExecuteOutOfOrder the
 * lowest decided slot from slotOut on, skipping undecided ones.
 */
const slotToPerform = (env: Env, r: ReplicaState): O.Option<number> =>
  env.bugs.executeOutOfOrder
    ? pipe(
        r.decisions,
        RA.filter((d) => d.slot >= r.slotOut),
        RA.map((d) => d.slot),
        RA.reduce(O.none as O.Option<number>, (acc, s) =>
          O.isSome(acc) && acc.value <= s ? acc : O.some(s),
        ),
      )
    : decidedAt(r.decisions, r.slotOut).length > 0
      ? O.some(r.slotOut)
      : O.none;

/**
 * Perform(r): PMMC perform() for the decision at slotOut. A different command r proposed
 * for that slot goes back to requests; the decided command is applied unless it was decided
 * in a lower slot already or is a reconfiguration; slotOut advances.
 */
export function perform(env: Env, r: ReplicaState): O.Option<Step<ReplicaState>> {
  return pipe(
    slotToPerform(env, r),
    O.chain((s) =>
      pipe(
        RA.head(decidedAt(r.decisions, s)),
        O.map((d) => performAt(r, s, d)),
      ),
    ),
  );
}

function performAt(r: ReplicaState, s: number, d: SlotCmd): Step<ReplicaState> {
  const mine = decidedAt(r.proposals, s);
  const requests = pipe(
    mine,
    RA.filter((p) => !commandEquals(p.cmd, d.cmd)),
    RA.reduce(r.requests, (acc, p) => commands.add(acc, p.cmd)),
  );
  const proposals = RA.reduce(r.proposals, slotCmds.remove)(mine);
  const done = r.decisions.some((x) => x.slot < s && commandEquals(x.cmd, d.cmd));
  const apply = d.cmd.op !== null && !done;
  const executed = apply ? [...r.executed, d.cmd] : r.executed;
  const effects: ReadonlyArray<Effect> =
    d.cmd.op !== null && apply ? [{ type: "apply", slot: s, op: d.cmd.op }] : [];
  return { state: { ...r, requests, proposals, executed, slotOut: s + 1 }, effects };
}
