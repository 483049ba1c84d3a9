----------------------------- MODULE MCDiskPaxos -----------------------------
(***************************************************************************)
(* Finite models of DiskPaxos: the spec plus bounds on ballots and         *)
(* instances that keep TLC's search finite, and a choice of the faults a   *)
(* model explores (each one multiplies the state space).                   *)
(*                                                                         *)
(* DiskPaxos refines the abstract replicated log (../ReplicatedLog.tla)    *)
(* under the mapping below; the models check it as PROPERTY                *)
(* RefinesReplicatedLog.                                                   *)
(***************************************************************************)
EXTENDS DiskPaxos, ReplicatedLog

CONSTANTS
    MaxBallot,     \* no processor's ballot goes past this
    MaxInstance,   \* no processor goes past this instance
    Faults         \* subset of {"restart", "diskfail"}

\* Explore only states within the bounds (a state outside them is neither
\* checked nor expanded).
StateConstraint == \A p \in Proc : Cur(p).mbal <= MaxBallot

\* Processors start with different inputs when there are enough of them: a
\* model where all propose the same value cannot disagree.
MCInit ==
    /\ Init
    /\ Cardinality(Inputs) >= Cardinality(Proc) =>
          \A p, q \in Proc : p # q => input[p] # input[q]

\* Disks are interchangeable (processors are not: their ranks order the
\* ballots). For TLC: under SYMMETRY the engines keep different
\* representatives, so their counts would differ.
DiskSymmetry == Permutations(Disk)

\* A narrower search for models without restarts: start where every
\* processor has just ended phase 0 on the fresh disks (it read InitDB and
\* took its first ballot). That state is reachable from MCInit, and on fresh
\* disks phase 0 reads only InitDB whatever the others do, so each behaviour
\* from MCInit is one from here with the phase-0 steps moved to the front.
MCInitPhase1 ==
    /\ input        \in [Proc -> Inputs]
    /\ Cardinality(Inputs) >= Cardinality(Proc) =>
          \A p, q \in Proc : p # q => input[p] # input[q]
    /\ phase        = [p \in Proc |-> 1]
    /\ dblock       = [p \in Proc |-> <<[InitDB EXCEPT !.mbal = NextBallot(p, 0)]>>]
    /\ disksWritten = [p \in Proc |-> {}]
    /\ blocksRead   = [p \in Proc |-> [d \in Disk |-> {}]]
    /\ disk         = [d \in Disk |-> [p \in Proc |-> [i \in {} |-> InitDB]]]
    /\ writes       = {}
    /\ reads        = {}
    /\ failed       = {}
    /\ chosen       = <<>>
    /\ allInput     = {input[p] : p \in Proc}

\* A narrower search for a bug whose violation needs no two disk operations
\* to overlap: at most one in flight at a time (a model adds it to CONSTRAINT).
OneOperationInFlight == Cardinality(writes) + Cardinality(reads) <= 1

\* A narrower search: no instance past MaxInstance, and a processor restarts
\* with the input it had (its client resubmits its command).
BoundedNextInstance(p, v) == Inst(p) < MaxInstance /\ NextInstance(p, v)
FaultRestart(p, v) == "restart" \in Faults /\ v = input[p] /\ Restart(p, v)
\* At most a minority of the disks fail (with more, nothing can finish).
FaultDiskFail(d) ==
    /\ "diskfail" \in Faults
    /\ 2 * Cardinality(failed \cup {d}) < Cardinality(Disk)
    /\ DiskFail(d)

\* Next restricted to the bounds and to the faults this model explores.
MCNext ==
    \/ \E p \in Proc : StartBallot(p)
    \/ \E p \in Proc, d \in Disk : IssueWrite(p, d)
    \/ \E p \in Proc, d \in Disk, q \in Proc : IssueRead(p, d, q)
    \/ \E p \in Proc : EndPhase0(p)
    \/ \E p \in Proc : EndPhase1(p)
    \/ \E p \in Proc : EndPhase2(p)
    \/ \E p \in Proc, v \in Inputs : BoundedNextInstance(p, v)
    \/ \E p \in Proc, v \in Inputs : FaultRestart(p, v)
    \/ \E w \in writes : CompleteWrite(w)
    \/ \E r \in reads : CompleteRead(r)
    \/ \E d \in Disk : FaultDiskFail(d)

-----------------------------------------------------------------------------
(* The refinement mapping to ReplicatedLog                                 *)
(*                                                                         *)
(*   chosen     chosen: the spec's history variable, the paper's           *)
(*              (HDiskSynod), one decided value per instance, the first    *)
(*              output there;                                              *)
(*   known[p]   OutputsOf(phase, dblock)[p]: the values p has output, one  *)
(*              per instance it has finished (all before its current one,  *)
(*              and that one too in phase 3), from the blocks it output    *)
(*              them from.                                                 *)
(*                                                                         *)
(* A restarted processor has output nothing yet (its known sequence is     *)
(* empty again) and relearns the decided values by running each instance   *)
(* again: ReplicatedLog lets a replica forget, never a decided value       *)
(* change.                                                                 *)

OutputsOf(xphase, xdblock) ==
    [p \in Proc |->
        LET done == IF xphase[p] = 3 THEN Len(xdblock[p]) ELSE Len(xdblock[p]) - 1
        IN  [i \in 1..done |-> xdblock[p][i].inp]]

\* The abstract state is <<chosen, OutputsOf(phase, dblock)>>.
RefinesReplicatedLog ==
    [][RLNext(chosen, OutputsOf(phase, dblock), chosen', OutputsOf(phase', dblock'))]_<<chosen, phase, dblock>>

\* Its state invariant: every processor output a prefix of the decided log.
OutputsAreDecidedPrefix == RLInv(chosen, OutputsOf(phase, dblock))

-----------------------------------------------------------------------------

\* Reachability witnesses, not safety properties. A model expects TLC to
\* refute one, which shows the models really get there instead of passing
\* vacuously.

\* "No processor ever outputs a value only another processor proposed": a
\* processor adopts another's vote in phase 1.
NoOutputOfOthers ==
    ~\E p, q \in Proc :
        p # q /\ phase[p] = 3 /\ Cur(p).inp = input[q] /\ Cur(p).inp # input[p]

\* "No processor ever reads its own vote back in phase 0": it voted,
\* crashed, and recovers the vote from the disks.
VoteNeverReadBack ==
    ~\E p \in Proc, d \in Disk :
        phase[p] = 0 /\ \E br \in blocksRead[p][d] : br.block.bal # 0

\* "Two instances are never both decided."
NeverTwoDecided == Len(chosen) < 2
===============================================================================
