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

/**
 * ResendPropose(r, p): the replica sends its proposal p to its leaders again, p's slot being
 * undecided as it knows it (its first "propose" may have been lost, or gone to a leader that
 * restarted). PMMC proposes once over reliable channels; when to resend is the runtime's choice.
 */
export const resendPropose: RoleAction<ReplicaState, [p: SlotCmd]> = {
  enabled: (_env, r, p) => slotCmds.has(r.proposals, p) && !hasSlot(r.decisions, p.slot),
  next: (_env, r, p) => ({
    state: r,
    effects: r.leaders.map((l) =>
      send({ mtype: "propose", mslot: p.slot, mcmd: p.cmd, msource: r.id, mdest: l }),
    ),
  }),
};

/**
 * ReportExecuted(r): the replica tells every acceptor how far it has executed (its slotOut);
 * when is the runtime's choice (periodically, or every few slots).
 */
export const reportExecuted: RoleAction<ReplicaState, []> = {
  enabled: always,
  next: (env, r) => ({
    state: r,
    effects: env.acceptors.map((a) =>
      send({ mtype: "executed", mslot: r.slotOut, msource: r.id, mdest: a }),
    ),
  }),
};

/**
 * HandleCollected(r, m): an acceptor's watermark: every replica executed the slots below it.
 * The replica drops their decisions, except those its window still reads (Propose reads slots
 * slotIn - Window and slotIn).
 */
export const handleCollected = handler<ReplicaState, "collected">("collected", {
  enabled: always,
  next: (env, r, m) => {
    const w = Math.min(m.mslot, r.slotIn - env.window);
    const decisions = r.decisions.every((d) => d.slot >= w)
      ? r.decisions
      : r.decisions.filter((d) => d.slot >= w);
    return {
      state: decisions === r.decisions ? r : { ...r, decisions },
      effects: [discard(m)],
    };
  },
});

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
  // The decisions of collected slots are gone, but what they applied is in executed.
  const skip =
    isReconfig(d.cmd) ||
    r.decisions.some((e) => e.slot < s && commandEquals(e.cmd, d.cmd)) ||
    r.executed.some((x) => commandEquals(x, d.cmd));
  const executed = skip ? r.executed : [...r.executed, d.cmd];
  return {
    state: { ...r, requests, proposals, executed, slotOut: s + 1 },
    effects: skip || d.cmd.op === null ? [] : [{ type: "apply", slot: s, op: d.cmd.op }],
  };
}
