/**
 * PMMC's Replica: one spec action per export, same name in camelCase, each a guard and a next
 * step (role.ts). A replica proposes requests for free slots within its window, learns
 * decisions and performs them in slot order.
 */
import { pipe } from "fp-ts/lib/function.js";
import * as O from "fp-ts/lib/Option.js";
import * as RA from "fp-ts/lib/ReadonlyArray.js";
import { commandEquals, decidedAt, hasSlot, isReconfig } from "./operators.js";
import { always, discard, handler, type RoleAction, send } from "./role.js";
import type { Command, Env, LeaderId, ReplicaId, ReplicaState, SlotCmd, Step } from "./types.js";
import { commands, slotCmds } from "./values.js";

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

/** ClientRequest(r, c): a client's request for c reaches the replica (PMMC "request"). */
export const clientRequest: RoleAction<ReplicaState, [c: Command]> = {
  enabled: always,
  next: (_env, r, c) => ({ state: { ...r, requests: commands.add(r.requests, c) }, effects: [] }),
};

/**
 * The leaders in force at slotIn: those of a reconfiguration decided Window slots earlier,
 * else the current ones (PMMC propose(): "if isreconfig(op) then leaders := op.leaders").
 */
const leadersAt = (env: Env, r: ReplicaState): ReadonlyArray<LeaderId> =>
  pipe(
    decidedAt(r.decisions, r.slotIn - env.window),
    RA.findFirst((d) => isReconfig(d.cmd)),
    O.match(
      () => r.leaders,
      (d) => d.cmd.leaders,
    ),
  );

/**
 * Propose(r, c): PMMC propose() for one slot, within the window, for a requested c. It adopts
 * the configuration decided Window slots back; if slotIn is still undecided, it moves c from
 * requests to proposals and sends "propose" to every leader; slotIn advances in every case.
 */
export const propose: RoleAction<ReplicaState, [c: Command]> = {
  enabled: (env, r, c) => r.slotIn < r.slotOut + env.window && commands.has(r.requests, c),
  next: (env, r, c) => {
    const leaders = leadersAt(env, r);
    const slotIn = r.slotIn + 1;
    if (hasSlot(r.decisions, r.slotIn)) return { state: { ...r, leaders, slotIn }, effects: [] };
    return {
      state: {
        ...r,
        leaders,
        slotIn,
        requests: commands.remove(r.requests, c),
        proposals: slotCmds.add(r.proposals, { slot: r.slotIn, cmd: c }),
      },
      effects: leaders.map((l) =>
        send({ mtype: "propose", mslot: r.slotIn, mcmd: c, msource: r.id, mdest: l }),
      ),
    };
  },
};

/** HandleDecision(r, m): a commander's "decision" reaches the replica. */
export const handleDecision = handler<ReplicaState, "decision">("decision", {
  enabled: always,
  next: (_env, r, m) => ({
    state: { ...r, decisions: slotCmds.add(r.decisions, { slot: m.mslot, cmd: m.mcmd }) },
    effects: [discard(m)],
  }),
});

/**
 * The decision Perform executes: that of slotOut; under BugExecuteOutOfOrder that of the
 * lowest decided slot from slotOut on, skipping undecided ones.
 */
const toPerform = (env: Env, r: ReplicaState): O.Option<SlotCmd> =>
  pipe(
    env.bugs.executeOutOfOrder
      ? pipe(
          r.decisions,
          RA.filter((d) => d.slot >= r.slotOut),
          RA.map((d) => d.slot),
          RA.reduce<number, O.Option<number>>(O.none, (low, s) =>
            O.isSome(low) && low.value <= s ? low : O.some(s),
          ),
        )
      : O.some(r.slotOut),
    O.chain((s) => RA.findFirst((d: SlotCmd) => d.slot === s)(r.decisions)),
  );

/**
 * Perform(r): PMMC perform() for the decision d at slotOut. A different command r proposed
 * for that slot goes back to requests; d's command is applied unless it is a reconfiguration
 * or was decided in a lower slot already; slotOut advances.
 */
export const perform: RoleAction<ReplicaState, []> = {
  enabled: (env, r) => O.isSome(toPerform(env, r)),
  next: (env, r) =>
    pipe(
      toPerform(env, r),
      O.match(
        () => {
          throw new RangeError(`Perform(${r.id}): slot ${r.slotOut} is not decided`);
        },
        (d) => performed(r, d),
      ),
    ),
};

function performed(r: ReplicaState, d: SlotCmd): Step<ReplicaState> {
  const s = d.slot;
  const mine = decidedAt(r.proposals, s);
  const requests = pipe(
    mine,
    RA.filter((p) => !commandEquals(p.cmd, d.cmd)),
    RA.reduce(r.requests, (acc, p) => commands.add(acc, p.cmd)),
  );
  const proposals = pipe(mine, RA.reduce(r.proposals, slotCmds.remove));
  const skip =
    isReconfig(d.cmd) || r.decisions.some((e) => e.slot < s && commandEquals(e.cmd, d.cmd));
  const executed = skip ? r.executed : [...r.executed, d.cmd];
  return {
    state: { ...r, requests, proposals, executed, slotOut: s + 1 },
    effects: skip || d.cmd.op === null ? [] : [{ type: "apply", slot: s, op: d.cmd.op }],
  };
}
