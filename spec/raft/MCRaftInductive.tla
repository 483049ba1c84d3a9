---------------------------- MODULE MCRaftInductive ----------------------------
(***************************************************************************)
(* Is ElectableLeaderComplete inductive? An invariant Inv is inductive when *)
(* every step from any state satisfying TypeOK /\ Inv again satisfies Inv  *)
(* (not only from reachable states). TLC checks that with Init replaced by *)
(* TypeOK /\ Inv over a bounded part of TypeOK's domain: a violation in    *)
(* the second state is a counterexample to induction.                      *)
(*                                                                         *)
(* The domain (TypeOK restricted to finitely many values): every server in *)
(* term 1, follower or leader, no vote, no votes granted, a log of at most *)
(* one term-1 entry, any commit index up to 1, nextIndex 1 and any         *)
(* matchIndex up to 1 for the others (a leader's own is 0, as in every     *)
(* reachable state), no messages in flight.                                *)
(***************************************************************************)
EXTENDS MCRaft

BoundedLogs == {<<>>} \cup {<<ValueEntry(1, v)>> : v \in Value}

BoundedTypeOK ==
    /\ currentTerm  \in [Server -> {1}]
    /\ state        \in [Server -> {"Follower", "Leader"}]
    /\ votedFor     \in [Server -> {Nil}]
    /\ log          \in [Server -> BoundedLogs]
    /\ commitIndex  \in [Server -> 0..1]
    /\ votesGranted \in [Server -> {{}}]
    /\ nextIndex    \in [Server -> [Server -> {1}]]
    /\ matchIndex   \in [Server -> [Server -> 0..1]]
    /\ \A i \in Server : matchIndex[i][i] = 0
    /\ messages     = [m \in {} |-> 0]
    /\ snapshot     = [i \in Server |-> InitSnapshot]

\* The candidate: ElectableLeaderComplete, with CommitIndexInLog (without
\* it ElectableLeaderComplete is not even defined: SubSeq past a log's end).
Candidate == CommitIndexInLog /\ ElectableLeaderComplete

InductiveInit ==
    /\ BoundedTypeOK
    /\ TypeOK
    /\ Candidate
=============================================================================
