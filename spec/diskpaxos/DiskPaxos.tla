------------------------------ MODULE DiskPaxos ------------------------------
(***************************************************************************)
(* DiskPaxos (Gafni and Lamport, Distributed Computing 16(1), 2003): the  *)
(* Synod algorithm with disks in the place of acceptors, used here for a   *)
(* sequence of instances, one decided command each.                        *)
(*                                                                         *)
(* A disk is not a process: it cannot compare ballots or refuse anything.  *)
(* It offers two operations, write a block and read a block, and each      *)
(* processor p owns one block per instance on every disk d,                *)
(* disk[d][p][i] = [mbal, bal, inp]: the highest ballot p has begun (mbal) *)
(* and the ballot and value of its last vote (bal, inp). What an acceptor  *)
(* decides for itself, every processor now decides for the others by      *)
(* reading their blocks. A phase of ballot b writes p's block to every     *)
(* disk and then reads every other processor's block from every disk; it   *)
(* aborts if it reads a block with an mbal of b or more, and ends once p   *)
(* has written its block to and read every block from a majority of the   *)
(* disks. Phase 1 then takes the value (inp) of the block with the largest *)
(* bal it saw, or its own input if none voted; phase 2 outputs it. A       *)
(* processor keeps nothing across a crash: when it restarts it first reads *)
(* its own block back from a majority of disks (phase 0) to learn the      *)
(* ballots and the vote it had put there.                                  *)
(*                                                                         *)
(* Disk operations take time. A write is issued (IssueWrite) and lands     *)
(* later (CompleteWrite), when the disk acknowledges it; a read is issued  *)
(* (IssueRead) and returns the block as it is when the read completes      *)
(* (CompleteRead). Operations on different disks, and of different         *)
(* processors, complete in any order. Two rules make this safe, and the    *)
(* bug switches below break each: p reads another processor's block on d   *)
(* only once its own block of this phase has landed on d, and p has at     *)
(* most one write to a disk in flight, so its writes to one disk land in   *)
(* the order it issued them. A processor's crash loses the reads it had in *)
(* flight (nobody is left to take their results); its writes in flight may *)
(* still land, and it reads its own block from a disk (phase 0) only once  *)
(* they have. A disk may fail: it stops answering, and the operations in   *)
(* flight to it never complete. Blocks are written whole (a block is one   *)
(* sector): no torn writes; a write to a failed disk is the only lost one. *)
(*                                                                         *)
(* Instances. Processor p works on one instance at a time, its current     *)
(* one, Len(dblock[p]); dblock[p][i] is its block of instance i (for the   *)
(* instances before the current one, the block it output from). Having     *)
(* output instance i (phase 3) it moves to instance i + 1 (phase 0) with a *)
(* new input. A restarted processor starts again from instance 1 and       *)
(* learns the decided values again by running each instance. The history  *)
(* variables `chosen` (the decided sequence: chosen[i] is the first value   *)
(* output for instance i) and `allInput` (every input ever held) are the   *)
(* paper's HDiskSynod ones; the invariants read them.                      *)
(*                                                                         *)
(* Ballots are numbers, 0 for none; processor p's ballots are Rank(p),     *)
(* Rank(p) + N, Rank(p) + 2N, ... for N processors, and a processor that   *)
(* starts a new ballot takes its next one above the highest it knows of.   *)
(*                                                                         *)
(* Each action is one event of a processor or of a disk; its comment says  *)
(* which. src/diskpaxos has one TypeScript transition per action, same     *)
(* name in camelCase. The Bug* constants switch on classic mistakes so     *)
(* that the models in this folder can show TLC refuting them; every        *)
(* correct model sets them all to FALSE.                                   *)
(***************************************************************************)
EXTENDS Naturals, Sequences, FiniteSets, TLC

CONSTANTS
    Proc,        \* processor ids
    ProcOrder,   \* the processors' order, as the set of the order's prefixes:
                 \* {{p1}, {p1, p2}} ranks p1 first (a cfg file can write a set
                 \* of sets, not a sequence); it numbers the ballots
    Disk,        \* disk ids
    Inputs,      \* the values processors propose (client commands)
    NotAnInput   \* "no value"

CONSTANTS
    BugReadBeforeWrite,      \* (a) a read of another's block on d is issued once
                             \*     p's write to d is issued, before it has landed
    BugRestartWithoutPhase0, \* (b) a restarted processor skips phase 0: it starts
                             \*     phase 1 from an initial block
    BugStaleWrite,           \* (c) p issues a write to d while an earlier one is in
                             \*     flight, so the earlier may land after the later
    BugHalfIsMajority,       \* (d) half of the disks count as a majority
    BugValueByMbal           \* (e) phase 1 takes the value of the block with the
                             \*     largest mbal, not the largest bal

\* All spec variables in one declaration (the embedded checker keeps only
\* the last VARIABLES line of a module).
VARIABLES input, phase, dblock, disksWritten, blocksRead, disk, writes, reads, failed, chosen, allInput

procVars == <<input, phase, dblock, disksWritten, blocksRead>>
ioVars == <<writes, reads>>
historyVars == <<chosen, allInput>>
vars == <<input, phase, dblock, disksWritten, blocksRead, disk, writes, reads, failed, chosen, allInput>>

-----------------------------------------------------------------------------
(* Ballots, blocks, majorities *)

N == Cardinality(Proc)

\* Rank(p): p's position in the order, 1 for the first processor (which is in
\* every prefix).
Rank(p) == 1 + Cardinality({s \in ProcOrder : p \notin s})

\* b is one of p's ballots: Rank(p), Rank(p) + N, Rank(p) + 2N, ...
IsBallotOf(b, p) == b > 0 /\ b % N = Rank(p) % N

\* p's smallest ballot above b.
NextBallot(p, b) == IF b < Rank(p) THEN Rank(p) ELSE Rank(p) + N * ((b - Rank(p)) \div N + 1)

Block(m, b, v) == [mbal |-> m, bal |-> b, inp |-> v]
InitDB == Block(0, 0, NotAnInput)

IsMajority(S) ==
    IF BugHalfIsMajority THEN 2 * Cardinality(S) >= Cardinality(Disk)
                         ELSE 2 * Cardinality(S) > Cardinality(Disk)

Max(S) == CHOOSE x \in S : \A y \in S : x >= y

-----------------------------------------------------------------------------
(* A processor's current instance and block; the disks' blocks *)

Inst(p) == Len(dblock[p])
Cur(p) == dblock[p][Inst(p)]
SetCur(p, blk) == dblock' = [dblock EXCEPT ![p] = SubSeq(@, 1, Len(@) - 1) \o <<blk>>]

\* q's block of instance i on disk d (InitDB until q writes one there).
BlockAt(d, q, i) == IF i \in DOMAIN disk[d][q] THEN disk[d][q][i] ELSE InitDB

WriteOp(p, d, i, blk) == [proc |-> p, disk |-> d, inst |-> i, block |-> blk]
ReadOp(p, d, q) == [proc |-> p, disk |-> d, of |-> q]

\* p has a write to d in flight (of any phase, instance or incarnation).
WritePending(p, d) == \E w \in writes : w.proc = p /\ w.disk = d

hasRead(p, d, q) == \E br \in blocksRead[p][d] : br.proc = q

AllBlocksRead(p) == {br.block : br \in UNION {blocksRead[p][d] : d \in Disk}}

\* The disks a phase has finished with: p's block landed, every other block read.
DoneDisks(p) == {d \in disksWritten[p] : \A q \in Proc \ {p} : hasRead(p, d, q)}

\* A new phase: nothing written or read in it yet. The reads still in flight
\* belong to the phase left behind: p ignores their results, so they are
\* dropped here. Writes in flight stay: the disk will still apply them.
InitializePhase(p) ==
    /\ disksWritten' = [disksWritten EXCEPT ![p] = {}]
    /\ blocksRead' = [blocksRead EXCEPT ![p] = [d \in Disk |-> {}]]
    /\ reads' = {r \in reads : r.proc # p}

\* Phase 1 of p's next ballot above m, keeping p's vote.
NewBallot(p, m) ==
    /\ phase' = [phase EXCEPT ![p] = 1]
    /\ SetCur(p, [Cur(p) EXCEPT !.mbal = NextBallot(p, m)])
    /\ InitializePhase(p)

-----------------------------------------------------------------------------
(* Initial state: every processor in phase 0 of instance 1 with an input,  *)
(* every block InitDB, nothing in flight, no disk failed.                  *)

Init ==
    /\ input        \in [Proc -> Inputs]
    /\ phase        = [p \in Proc |-> 0]
    /\ dblock       = [p \in Proc |-> <<InitDB>>]
    /\ disksWritten = [p \in Proc |-> {}]
    /\ blocksRead   = [p \in Proc |-> [d \in Disk |-> {}]]
    /\ disk         = [d \in Disk |-> [p \in Proc |-> [i \in {} |-> InitDB]]]
    /\ writes       = {}
    /\ reads        = {}
    /\ failed       = {}
    /\ chosen       = <<>>
    /\ allInput     = {input[p] : p \in Proc}

-----------------------------------------------------------------------------
(* Processor actions *)

\* Processor p gives up its ballot (its timer fired: a disk is slow, or
\* another processor keeps it from finishing) and starts phase 1 of its next
\* ballot.
StartBallot(p) ==
    /\ phase[p] \in {1, 2}
    /\ NewBallot(p, Cur(p).mbal)
    /\ UNCHANGED <<input, disk, writes, failed, historyVars>>

\* Processor p issues the write of its current block to disk d (once per
\* phase), unless an earlier write of its own to d is still in flight.
IssueWrite(p, d) ==
    LET w == WriteOp(p, d, Inst(p), Cur(p)) IN
    /\ phase[p] \in {1, 2}
    /\ d \notin disksWritten[p]
    /\ w \notin writes
    /\ BugStaleWrite \/ ~WritePending(p, d)
    /\ writes' = writes \cup {w}
    /\ UNCHANGED <<procVars, disk, reads, failed, historyVars>>

\* Processor p issues the read of q's block of its current instance on disk
\* d: its own block in phase 0, once its writes to d in flight have landed;
\* another processor's in phases 1 and 2, once p's block of this phase has
\* landed on d.
IssueRead(p, d, q) ==
    /\ ReadOp(p, d, q) \notin reads
    /\ ~hasRead(p, d, q)
    /\ \/ /\ phase[p] = 0
          /\ q = p
          /\ ~WritePending(p, d)
       \/ /\ phase[p] \in {1, 2}
          /\ q # p
          /\ \/ d \in disksWritten[p]
             \/ BugReadBeforeWrite /\ WriteOp(p, d, Inst(p), Cur(p)) \in writes
    /\ reads' = reads \cup {ReadOp(p, d, q)}
    /\ UNCHANGED <<procVars, disk, writes, failed, historyVars>>

\* The block p starts phase 1 with after reading its own blocks `own` (not
\* empty): the one with the largest bal, with p's next ballot above every
\* mbal among them.
Recovered(p, own) ==
    [(CHOOSE r \in own : \A s \in own : r.bal >= s.bal)
        EXCEPT !.mbal = NextBallot(p, Max({r.mbal : r \in own}))]

\* Processor p ends phase 0: it has read its own block from a majority of
\* disks. It takes the one with the largest bal (its last vote) and starts
\* phase 1 with its next ballot above every mbal it read.
EndPhase0(p) ==
    /\ phase[p] = 0
    /\ IsMajority({d \in Disk : hasRead(p, d, p)})
    /\ phase' = [phase EXCEPT ![p] = 1]
    /\ SetCur(p, Recovered(p, AllBlocksRead(p)))
    /\ InitializePhase(p)
    /\ UNCHANGED <<input, disk, writes, failed, historyVars>>

\* The value phase 1 settles on: the inp of the block with the largest bal
\* among those p read and its own (under BugValueByMbal: the largest mbal,
\* ties broken by bal), or p's input if none of them holds a vote.
Above(x, y) ==
    IF BugValueByMbal THEN x.mbal > y.mbal \/ (x.mbal = y.mbal /\ x.bal >= y.bal)
                      ELSE x.bal >= y.bal
Top(voted) == CHOOSE bk \in voted : \A c \in voted : Above(bk, c)
Voted(p) == {bk \in AllBlocksRead(p) \cup {Cur(p)} : bk.inp # NotAnInput}
Phase1Value(p) == IF Voted(p) = {} THEN input[p] ELSE Top(Voted(p)).inp

\* Processor p ends phase 1 on a majority of disks: it votes for
\* Phase1Value(p) in its ballot and starts phase 2.
EndPhase1(p) ==
    /\ phase[p] = 1
    /\ IsMajority(DoneDisks(p))
    /\ phase' = [phase EXCEPT ![p] = 2]
    /\ SetCur(p, [Cur(p) EXCEPT !.bal = Cur(p).mbal, !.inp = Phase1Value(p)])
    /\ InitializePhase(p)
    /\ UNCHANGED <<input, disk, writes, failed, historyVars>>

\* Processor p ends phase 2 on a majority of disks: it outputs its vote as
\* the value of its current instance (phase 3). The first output of an
\* instance extends the decided sequence.
EndPhase2(p) ==
    /\ phase[p] = 2
    /\ IsMajority(DoneDisks(p))
    /\ phase' = [phase EXCEPT ![p] = 3]
    /\ chosen' = IF Inst(p) > Len(chosen) THEN Append(chosen, Cur(p).inp) ELSE chosen
    /\ InitializePhase(p)
    /\ UNCHANGED <<input, dblock, disk, writes, failed, allInput>>

\* Processor p, having output its current instance, takes the next client
\* command v as its input and starts the next instance with phase 0.
NextInstance(p, v) ==
    /\ phase[p] = 3
    /\ phase' = [phase EXCEPT ![p] = 0]
    /\ dblock' = [dblock EXCEPT ![p] = Append(@, InitDB)]
    /\ input' = [input EXCEPT ![p] = v]
    /\ allInput' = allInput \cup {v}
    /\ UNCHANGED <<disksWritten, blocksRead, disk, writes, reads, failed, chosen>>

\* Processor p crashes and restarts with input v (the paper's Fail): it has
\* lost everything but what its blocks on the disks say, and starts again
\* from instance 1 with phase 0. Its reads in flight are lost; its writes in
\* flight may still land. Under BugRestartWithoutPhase0 it starts phase 1 of
\* its first ballot from an initial block instead.
Restart(p, v) ==
    /\ phase' = [phase EXCEPT ![p] = IF BugRestartWithoutPhase0 THEN 1 ELSE 0]
    /\ dblock' = [dblock EXCEPT ![p] =
                     IF BugRestartWithoutPhase0 THEN <<[InitDB EXCEPT !.mbal = NextBallot(p, 0)]>>
                                                ELSE <<InitDB>>]
    /\ input' = [input EXCEPT ![p] = v]
    /\ allInput' = allInput \cup {v}
    /\ InitializePhase(p)
    /\ UNCHANGED <<disk, writes, failed, chosen>>

-----------------------------------------------------------------------------
(* Disk actions *)

\* Disk w.disk applies the write w and acknowledges it: the block lands. It
\* counts for the writer's current phase if it is the block of that phase.
CompleteWrite(w) ==
    LET p == w.proc IN
    /\ w \in writes
    /\ w.disk \notin failed
    /\ disk' = [disk EXCEPT ![w.disk][p] = (w.inst :> w.block) @@ @]
    /\ writes' = writes \ {w}
    /\ disksWritten' =
           IF phase[p] \in {1, 2} /\ w.inst = Inst(p) /\ w.block = Cur(p)
           THEN [disksWritten EXCEPT ![p] = @ \cup {w.disk}]
           ELSE disksWritten
    /\ UNCHANGED <<input, phase, dblock, blocksRead, reads, failed, historyVars>>

\* Disk r.disk answers the read r with r.of's block of the reader's current
\* instance as it is now. In phase 0 the reader keeps it; in phases 1 and 2
\* it keeps it if its mbal is below the reader's ballot, and otherwise
\* abandons its ballot for its next one above that mbal.
CompleteRead(r) ==
    LET p   == r.proc
        blk == BlockAt(r.disk, r.of, Inst(p))
    IN
    /\ r \in reads
    /\ r.disk \notin failed
    /\ IF phase[p] = 0 \/ blk.mbal < Cur(p).mbal
       THEN /\ blocksRead' =
                   [blocksRead EXCEPT ![p][r.disk] = @ \cup {[block |-> blk, proc |-> r.of]}]
            /\ reads' = reads \ {r}
            /\ UNCHANGED <<phase, dblock, disksWritten>>
       ELSE NewBallot(p, blk.mbal)
    /\ UNCHANGED <<input, disk, writes, failed, historyVars>>

\* Disk d fails: it stops answering for good.
DiskFail(d) ==
    /\ d \notin failed
    /\ failed' = failed \cup {d}
    /\ UNCHANGED <<procVars, disk, ioVars, historyVars>>

-----------------------------------------------------------------------------

Next ==
    \/ \E p \in Proc : StartBallot(p)
    \/ \E p \in Proc, d \in Disk : IssueWrite(p, d)
    \/ \E p \in Proc, d \in Disk, q \in Proc : IssueRead(p, d, q)
    \/ \E p \in Proc : EndPhase0(p)
    \/ \E p \in Proc : EndPhase1(p)
    \/ \E p \in Proc : EndPhase2(p)
    \/ \E p \in Proc, v \in Inputs : NextInstance(p, v)
    \/ \E p \in Proc, v \in Inputs : Restart(p, v)
    \/ \E w \in writes : CompleteWrite(w)
    \/ \E r \in reads : CompleteRead(r)
    \/ \E d \in Disk : DiskFail(d)

Spec == Init /\ [][Next]_vars

-----------------------------------------------------------------------------
(* Invariants. The paper's HInv1-HInv6 (HDiskSynod) hold for every         *)
(* instance i, on the view of the state that instance i has: a processor   *)
(* past i has output it (phase 3, from its block dblock[p][i]); one before *)
(* i is in phase 0 with an initial block. A block of p's write in flight   *)
(* counts among p's blocks: it will land.                                  *)

Ballots == {b \in Nat : \E p \in Proc : IsBallotOf(b, p)}
Block1 == [mbal : Nat, bal : Nat, inp : Inputs \cup {NotAnInput}]

\* The instances anything is known of.
Instances ==
    1..Max({Inst(p) : p \in Proc} \cup {Len(chosen)} \cup {w.inst : w \in writes}
           \cup UNION {DOMAIN disk[d][p] : d \in Disk, p \in Proc})

PhaseAt(p, i) == IF i < Inst(p) THEN 3 ELSE IF i = Inst(p) THEN phase[p] ELSE 0
BlockOf(p, i) == IF i <= Inst(p) THEN dblock[p][i] ELSE InitDB
ReadAt(p, i, d) == IF i = Inst(p) THEN blocksRead[p][d] ELSE {}
WrittenAt(p, i) == IF i = Inst(p) THEN disksWritten[p] ELSE {}
\* (Its parameters are named apart from the names its callers pass: tla-checker
\* 0.9.0 substitutes an operator's arguments one after the other, so
\* HasReadAt(q, i, d, p) with parameters named p and q would read as
\* HasReadAt(p, i, d, p) there.)
HasReadAt(reader, j, dk, owner) == \E br \in ReadAt(reader, j, dk) : br.proc = owner
OutputAt(p, i) == IF PhaseAt(p, i) = 3 THEN BlockOf(p, i).inp ELSE NotAnInput
ChosenAt(i) == IF i <= Len(chosen) THEN chosen[i] ELSE NotAnInput

MajoritySet == {D \in SUBSET Disk : IsMajority(D)}

\* p's blocks of instance i: its own, on the disks, read by others, in flight.
BlocksOf(p, i) ==
    {BlockOf(p, i)} \cup {BlockAt(d, p, i) : d \in Disk}
    \cup {br.block : br \in {x \in UNION {ReadAt(q, i, d) : q \in Proc, d \in Disk} : x.proc = p}}
    \cup {w.block : w \in {x \in writes : x.proc = p /\ x.inst = i}}
AllBlocks(i) == UNION {BlocksOf(p, i) : p \in Proc}

\* HInv1: the type invariant.
TypeOK ==
    /\ input \in [Proc -> Inputs]
    /\ phase \in [Proc -> 0..3]
    /\ \A p \in Proc : Inst(p) >= 1 /\ \A i \in 1..Inst(p) : dblock[p][i] \in Block1
    /\ disksWritten \in [Proc -> SUBSET Disk]
    /\ blocksRead \in [Proc -> [Disk -> SUBSET [block : Block1, proc : Proc]]]
    /\ \A d \in Disk, p \in Proc : \A i \in DOMAIN disk[d][p] : i >= 1 /\ disk[d][p][i] \in Block1
    /\ \A w \in writes : w.proc \in Proc /\ w.disk \in Disk /\ w.inst >= 1 /\ w.block \in Block1
    /\ reads \subseteq [proc : Proc, disk : Disk, of : Proc]
    /\ failed \subseteq Disk
    /\ \A i \in 1..Len(chosen) : chosen[i] \in Inputs
    /\ allInput \subseteq Inputs

HInv2 == \A i \in Instances :
    /\ \A p \in Proc : \A bk \in BlocksOf(p, i) :
          /\ bk.mbal = 0 \/ IsBallotOf(bk.mbal, p)
          /\ bk.bal = 0 \/ IsBallotOf(bk.bal, p)
          /\ (bk.bal = 0) <=> (bk.inp = NotAnInput)
          /\ bk.mbal >= bk.bal
          /\ bk.inp \in allInput \cup {NotAnInput}
    /\ \A p \in Proc, d \in Disk :
          /\ d \in WrittenAt(p, i) => /\ PhaseAt(p, i) \in {1, 2}
                                      /\ BlockAt(d, p, i) = BlockOf(p, i)
          /\ PhaseAt(p, i) \in {1, 2} => /\ (ReadAt(p, i, d) # {}) => (d \in WrittenAt(p, i))
                                         /\ ~HasReadAt(p, i, d, p)
    /\ \A p \in Proc :
          /\ PhaseAt(p, i) = 0 => /\ BlockOf(p, i) = InitDB
                                  /\ WrittenAt(p, i) = {}
                                  /\ \A d \in Disk : \A br \in ReadAt(p, i, d) :
                                         br.proc = p /\ br.block = BlockAt(d, p, i)
          /\ PhaseAt(p, i) # 0 => /\ IsBallotOf(BlockOf(p, i).mbal, p)
                                  /\ BlockOf(p, i).bal = 0 \/ IsBallotOf(BlockOf(p, i).bal, p)
                                  /\ \A d \in Disk : \A br \in ReadAt(p, i, d) :
                                         br.block.mbal < BlockOf(p, i).mbal
          /\ PhaseAt(p, i) \in {2, 3} => BlockOf(p, i).bal = BlockOf(p, i).mbal
    /\ ChosenAt(i) \in allInput \cup {NotAnInput}
    /\ \A p \in Proc : /\ input[p] \in allInput
                       /\ (ChosenAt(i) = NotAnInput) => (OutputAt(p, i) = NotAnInput)

\* HInv3: of two processors that read each other's block on one disk in
\* their current phases, one read the other's current block.
HInv3 == \A i \in Instances : \A p, q \in Proc, d \in Disk :
    (/\ PhaseAt(p, i) \in {1, 2}
     /\ PhaseAt(q, i) \in {1, 2}
     /\ HasReadAt(p, i, d, q)
     /\ HasReadAt(q, i, d, p))
    => (\/ [block |-> BlockOf(q, i), proc |-> q] \in ReadAt(p, i, d)
        \/ [block |-> BlockOf(p, i), proc |-> p] \in ReadAt(q, i, d))

HInv4 == \A i \in Instances : \A p \in Proc :
    /\ PhaseAt(p, i) # 0 =>
          /\ \A bk \in BlocksOf(p, i) : BlockOf(p, i).mbal >= bk.bal
          /\ \A D \in MajoritySet :
                \E d \in D : /\ BlockOf(p, i).mbal >= BlockAt(d, p, i).mbal
                             /\ BlockOf(p, i).bal >= BlockAt(d, p, i).bal
    /\ PhaseAt(p, i) = 1 => \A bk \in BlocksOf(p, i) : BlockOf(p, i).mbal > bk.bal
    /\ PhaseAt(p, i) \in {2, 3} =>
          \E D \in MajoritySet : \A d \in D : BlockAt(d, p, i).mbal = BlockOf(p, i).bal
    /\ \A bk \in BlocksOf(p, i) :
          \E D \in MajoritySet : \A d \in D : BlockAt(d, p, i).mbal >= bk.bal

\* Every block of instance i with a bal of b or more votes for v.
MaxBalInp(i, b, v) == \A bk \in AllBlocks(i) : bk.bal >= b => bk.inp = v

HInv5 == \A i \in Instances : \A p \in Proc :
    PhaseAt(p, i) = 2 =>
        \/ MaxBalInp(i, BlockOf(p, i).bal, BlockOf(p, i).inp)
        \/ \E D \in MajoritySet, q \in Proc :
              \A d \in D : /\ BlockAt(d, q, i).mbal > BlockOf(p, i).bal
                           /\ ~HasReadAt(p, i, d, q)

\* v is chosen in instance i: some ballot b's votes for v are on a majority
\* of disks, every higher vote is for v, and no processor in phase 1 of a
\* ballot of b or more has read one of those blocks without seeing a vote
\* of b or more there.
ValueChosen(i, v) ==
    \E b \in 1..Max({bk.bal : bk \in AllBlocks(i)}) :
        /\ MaxBalInp(i, b, v)
        /\ \E p \in Proc, D \in MajoritySet :
              \A d \in D : /\ BlockAt(d, p, i).bal >= b
                           /\ \A q \in Proc :
                                 (/\ PhaseAt(q, i) = 1
                                  /\ BlockOf(q, i).mbal >= b
                                  /\ HasReadAt(q, i, d, p))
                                 => \E br \in ReadAt(q, i, d) : br.block.bal >= b

HInv6 == \A i \in Instances :
    /\ ChosenAt(i) # NotAnInput => ValueChosen(i, ChosenAt(i))
    /\ \A p \in Proc : OutputAt(p, i) \in {ChosenAt(i), NotAnInput}

\* Agreement: every value output for an instance is the one first output
\* there (so at most one value is output per instance, across crashes too).
Agreement == \A p \in Proc : \A i \in 1..Inst(p) : OutputAt(p, i) \in {ChosenAt(i), NotAnInput}

\* Validity: a value output was some processor's input.
Validity ==
    /\ \A i \in 1..Len(chosen) : chosen[i] \in allInput
    /\ \A p \in Proc : \A i \in 1..Inst(p) : OutputAt(p, i) \in allInput \cup {NotAnInput}

\* The decided sequence only grows.
ChosenGrows == [][Len(chosen') >= Len(chosen) /\ SubSeq(chosen', 1, Len(chosen)) = chosen]_chosen
===============================================================================
