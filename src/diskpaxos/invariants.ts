/**
 * The spec's invariants over a cluster, transcribed from DiskPaxos.tla: the paper's HInv2 to
 * HInv6 for every instance (on the view of the state that instance has: a processor past it
 * has output it, one before it is in phase 0), Agreement and Validity. HInv1 (TypeOK) is what
 * the TS types and codecs already guarantee.
 */
import type { Cluster } from "./cluster.js";
import { readBlock } from "./disk.js";
import { initDB, isBallotOf, majoritySets } from "./operators.js";
import { sameBlock } from "./processor.js";
import type { Block, BlockRead, DiskId, Phase, ProcId, ProcState } from "./types.js";

export const invariantNames = [
  "HInv2",
  "HInv3",
  "HInv4",
  "HInv5",
  "HInv6",
  "Agreement",
  "Validity",
] as const;
export type InvariantName = (typeof invariantNames)[number];

// ---------------------------------------------------------------------------------------------
// The view of instance i

const instOf = (s: ProcState): number => s.dblock.length;
const phaseAt = (s: ProcState, i: number): Phase =>
  i < instOf(s) ? 3 : i === instOf(s) ? s.phase : 0;
const blockOf = (s: ProcState, i: number): Block =>
  i <= instOf(s) ? (s.dblock[i - 1] as Block) : initDB;
const noReads: ReadonlyArray<BlockRead> = [];
const readAt = (s: ProcState, i: number, d: DiskId): ReadonlyArray<BlockRead> =>
  i === instOf(s) ? (s.blocksRead.get(d) ?? noReads) : noReads;
const writtenAt = (s: ProcState, i: number): ReadonlyArray<DiskId> =>
  i === instOf(s) ? s.disksWritten : [];
const hasReadAt = (s: ProcState, i: number, d: DiskId, q: ProcId): boolean =>
  readAt(s, i, d).some((r) => r.proc === q);
const outputAt = (s: ProcState, i: number): string | null =>
  phaseAt(s, i) === 3 ? blockOf(s, i).inp : null;
const chosenAt = (c: Cluster, i: number): string | null => c.chosen[i - 1] ?? null;

function blockAt(c: Cluster, d: DiskId, p: ProcId, i: number): Block {
  const disk = c.disks.get(d);
  return disk === undefined ? initDB : readBlock(disk, p, i);
}

const procStates = (c: Cluster): ReadonlyArray<ProcState> => [...c.procs.values()];

/** Instances: 1 to the highest instance anything is known of. */
function instances(c: Cluster): ReadonlyArray<number> {
  let top = c.chosen.length;
  for (const s of c.procs.values()) top = Math.max(top, instOf(s));
  for (const w of c.writes) top = Math.max(top, w.inst);
  for (const d of c.disks.values())
    for (const bs of d.blocks.values()) for (const i of bs.keys()) top = Math.max(top, i);
  return Array.from({ length: top }, (_, k) => k + 1);
}

/** BlocksOf(p, i): its own block, its blocks on the disks, read by others, in flight. */
function blocksOf(c: Cluster, p: ProcState, i: number): ReadonlyArray<Block> {
  const out: Block[] = [blockOf(p, i)];
  for (const d of c.env.disks) out.push(blockAt(c, d, p.id, i));
  for (const q of c.procs.values())
    for (const d of c.env.disks)
      for (const r of readAt(q, i, d)) if (r.proc === p.id) out.push(r.block);
  for (const w of c.writes) if (w.proc === p.id && w.inst === i) out.push(w.block);
  return out;
}

const allBlocks = (c: Cluster, i: number): ReadonlyArray<Block> =>
  procStates(c).flatMap((p) => blocksOf(c, p, i));

const ballotOr0 = (c: Cluster, b: number, p: ProcId) => b === 0 || isBallotOf(c.env, b, p);

// ---------------------------------------------------------------------------------------------
// HInv2 to HInv6

function hinv2At(c: Cluster, i: number): boolean {
  const { env } = c;
  for (const p of c.procs.values()) {
    for (const bk of blocksOf(c, p, i))
      if (
        !ballotOr0(c, bk.mbal, p.id) ||
        !ballotOr0(c, bk.bal, p.id) ||
        (bk.bal === 0) !== (bk.inp === null) ||
        bk.mbal < bk.bal ||
        (bk.inp !== null && !c.allInput.includes(bk.inp))
      )
        return false;
    const ph = phaseAt(p, i);
    const mine = blockOf(p, i);
    for (const d of env.disks) {
      if (
        writtenAt(p, i).includes(d) &&
        !((ph === 1 || ph === 2) && sameBlock(blockAt(c, d, p.id, i), mine))
      )
        return false;
      if (
        (ph === 1 || ph === 2) &&
        ((readAt(p, i, d).length > 0 && !writtenAt(p, i).includes(d)) || hasReadAt(p, i, d, p.id))
      )
        return false;
    }
    if (ph === 0) {
      if (!sameBlock(mine, initDB) || writtenAt(p, i).length > 0) return false;
      for (const d of env.disks)
        for (const r of readAt(p, i, d))
          if (r.proc !== p.id || !sameBlock(r.block, blockAt(c, d, p.id, i))) return false;
    } else {
      if (!isBallotOf(env, mine.mbal, p.id) || !ballotOr0(c, mine.bal, p.id)) return false;
      for (const d of env.disks)
        for (const r of readAt(p, i, d)) if (r.block.mbal >= mine.mbal) return false;
    }
    if ((ph === 2 || ph === 3) && mine.bal !== mine.mbal) return false;
    if (!c.allInput.includes(p.input)) return false;
    if (chosenAt(c, i) === null && outputAt(p, i) !== null) return false;
  }
  const ch = chosenAt(c, i);
  return ch === null || c.allInput.includes(ch);
}

const readBlockOf = (rs: ReadonlyArray<BlockRead>, b: Block, q: ProcId) =>
  rs.some((r) => r.proc === q && sameBlock(r.block, b));

function hinv3At(c: Cluster, i: number): boolean {
  const ps = procStates(c);
  for (const p of ps)
    for (const q of ps)
      for (const d of c.env.disks) {
        const active = (s: ProcState) => phaseAt(s, i) === 1 || phaseAt(s, i) === 2;
        if (!active(p) || !active(q) || !hasReadAt(p, i, d, q.id) || !hasReadAt(q, i, d, p.id))
          continue;
        if (
          !readBlockOf(readAt(p, i, d), blockOf(q, i), q.id) &&
          !readBlockOf(readAt(q, i, d), blockOf(p, i), p.id)
        )
          return false;
      }
  return true;
}

function hinv4At(c: Cluster, i: number, majorities: ReadonlyArray<ReadonlyArray<DiskId>>): boolean {
  for (const p of c.procs.values()) {
    const ph = phaseAt(p, i);
    const mine = blockOf(p, i);
    const own = blocksOf(c, p, i);
    const onDisk = (d: DiskId) => blockAt(c, d, p.id, i);
    if (ph !== 0) {
      if (own.some((bk) => mine.mbal < bk.bal)) return false;
      for (const D of majorities)
        if (!D.some((d) => mine.mbal >= onDisk(d).mbal && mine.bal >= onDisk(d).bal)) return false;
    }
    if (ph === 1 && own.some((bk) => mine.mbal <= bk.bal)) return false;
    if (
      (ph === 2 || ph === 3) &&
      !majorities.some((D) => D.every((d) => onDisk(d).mbal === mine.bal))
    )
      return false;
    for (const bk of own)
      if (!majorities.some((D) => D.every((d) => onDisk(d).mbal >= bk.bal))) return false;
  }
  return true;
}

/** MaxBalInp(i, b, v): every block of instance i with a bal of b or more votes for v. */
const maxBalInp = (all: ReadonlyArray<Block>, b: number, v: string | null) =>
  all.every((bk) => bk.bal < b || bk.inp === v);

function hinv5At(c: Cluster, i: number, majorities: ReadonlyArray<ReadonlyArray<DiskId>>): boolean {
  const all = allBlocks(c, i);
  for (const p of c.procs.values()) {
    if (phaseAt(p, i) !== 2) continue;
    const mine = blockOf(p, i);
    if (maxBalInp(all, mine.bal, mine.inp)) continue;
    const hidden = majorities.some((D) =>
      [...c.procs.keys()].some((q) =>
        D.every((d) => blockAt(c, d, q, i).mbal > mine.bal && !hasReadAt(p, i, d, q)),
      ),
    );
    if (!hidden) return false;
  }
  return true;
}

/** ValueChosen(i, v). */
function valueChosen(
  c: Cluster,
  i: number,
  v: string,
  majorities: ReadonlyArray<ReadonlyArray<DiskId>>,
): boolean {
  const all = allBlocks(c, i);
  const top = all.reduce((m, bk) => Math.max(m, bk.bal), 0);
  const ps = procStates(c);
  for (let b = 1; b <= top; b++) {
    if (!maxBalInp(all, b, v)) continue;
    const held = ps.some((p) =>
      majorities.some((D) =>
        D.every(
          (d) =>
            blockAt(c, d, p.id, i).bal >= b &&
            ps.every(
              (q) =>
                !(phaseAt(q, i) === 1 && blockOf(q, i).mbal >= b && hasReadAt(q, i, d, p.id)) ||
                readAt(q, i, d).some((r) => r.block.bal >= b),
            ),
        ),
      ),
    );
    if (held) return true;
  }
  return false;
}

function hinv6At(c: Cluster, i: number, majorities: ReadonlyArray<ReadonlyArray<DiskId>>): boolean {
  const ch = chosenAt(c, i);
  if (ch !== null && !valueChosen(c, i, ch, majorities)) return false;
  return procStates(c).every((p) => {
    const out = outputAt(p, i);
    return out === null || out === ch;
  });
}

// ---------------------------------------------------------------------------------------------
// Agreement and Validity

/** Every value output for an instance is the one first output there. */
const agreement = (c: Cluster): boolean =>
  procStates(c).every((p) =>
    p.dblock.every((_, k) => {
      const out = outputAt(p, k + 1);
      return out === null || out === chosenAt(c, k + 1);
    }),
  );

/** A value output was some processor's input. */
const validity = (c: Cluster): boolean =>
  c.chosen.every((v) => c.allInput.includes(v)) &&
  procStates(c).every((p) =>
    p.dblock.every((_, k) => {
      const out = outputAt(p, k + 1);
      return out === null || c.allInput.includes(out);
    }),
  );

const perInstance =
  (check: (c: Cluster, i: number, majorities: ReadonlyArray<ReadonlyArray<DiskId>>) => boolean) =>
  (c: Cluster): boolean => {
    const majorities = majoritySets(c.env);
    return instances(c).every((i) => check(c, i, majorities));
  };

const checks: ReadonlyArray<readonly [InvariantName, (c: Cluster) => boolean]> = [
  ["HInv2", perInstance(hinv2At)],
  ["HInv3", perInstance(hinv3At)],
  ["HInv4", perInstance(hinv4At)],
  ["HInv5", perInstance(hinv5At)],
  ["HInv6", perInstance(hinv6At)],
  ["Agreement", agreement],
  ["Validity", validity],
];

/** The names of the invariants (of `names`, default all) the cluster violates, in spec order. */
export function violatedInvariants(
  c: Cluster,
  names: ReadonlyArray<InvariantName> = invariantNames,
): ReadonlyArray<InvariantName> {
  return checks.filter(([n, holds]) => names.includes(n) && !holds(c)).map(([n]) => n);
}
