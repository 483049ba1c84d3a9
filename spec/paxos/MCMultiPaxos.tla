----------------------------- MODULE MCMultiPaxos -----------------------------
(***************************************************************************)
(* Finite models of MultiPaxos: the spec plus bounds that keep TLC's       *)
(* search finite, and a choice of which faults the model explores (each    *)
(* fault multiplies the state space).                                      *)
(***************************************************************************)
EXTENDS MultiPaxos

CONSTANTS
    MaxRound,      \* no ballot goes past this round
    MaxSlot,       \* no replica proposes past this slot
    MaxMessages,   \* no more messages than this in flight (copies counted)
    Faults,        \* subset of {"restart", "drop", "duplicate"}
    PairRequests,  \* TRUE: each replica is sent one command of its own (FreshRequest below)
    Collect        \* TRUE: replicas report how far they executed, and slots are collected

\* Explore only states within the bounds (a state outside them is neither
\* checked nor expanded).
StateConstraint ==
    /\ \A l \in Leader : ballotNum[l].round <= MaxRound
    /\ \A r \in Replica : slotIn[r] <= MaxSlot + 1
    /\ MessageCount <= MaxMessages

\* A narrower search: each client sends its command once, to one replica,
\* so a request is for a command no replica holds, proposed or saw decided;
\* and a replica takes a request only while it has none pending and a slot
\* left to propose in (a request it could never propose only adds states).
\* Every run it admits is a run of MultiPaxos; a replica still puts a
\* command back into its requests when another one wins the slot.
FreshRequest(r, c) ==
    /\ requests[r] = {}
    /\ slotIn[r] <= MaxSlot
    /\ \A q \in Replica :
        /\ c \notin requests[q]
        /\ ~\E e \in proposals[q] \cup decisions[q] : e.cmd = c
    /\ ClientRequest(r, c)

\* With PairRequests, replicas are paired with distinct commands and each is
\* sent only its own: two replicas still propose different commands for the
\* same slot through both leaders, but the mirror-image runs (r1 sent v2, r2
\* sent v1) are left out, which halves the f = 1 model for the embedded engine.
Pair == CHOOSE f \in [Replica -> Value] : \A x, y \in Replica : x # y => f[x] # f[y]
Request(r, c) ==
    /\ PairRequests => c = Op(Pair[r])
    /\ FreshRequest(r, c)

\* Acceptors are interchangeable, and so are replicas (they all start with
\* InitLeaders). For the deep model, checked with TLC: tla-checker 0.9.0 is
\* far too slow under SYMMETRY on this spec, and the engines' reductions keep
\* different representatives, so their counts would differ anyway.
AcceptorReplicaSymmetry == Permutations(Acceptor) \cup Permutations(Replica)

\* Acceptors alone, for models whose replicas are told apart (PairRequests
\* sends each its own command).
AcceptorSymmetry == Permutations(Acceptor)

\* Garbage collection, explored only where the model says so: without
\* reports no acceptor's watermark moves, HandleExecuted and
\* HandleCollected are never enabled, and every run is a run of MultiPaxos
\* whose replicas have not reported yet (reports are up to the
\* implementation: periodic, or every few slots).
MCReportExecuted(r) == Collect /\ ReportExecuted(r)

\* A replica resends a proposal only in the models that lose messages:
\* without loss its first "propose" reaches every leader it was sent to,
\* and a copy only repeats what that leader already has.
MCResendPropose(r, p) == "drop" \in Faults /\ ResendPropose(r, p)

\* The fault actions, enabled only when the model explores that fault.
FaultRestartLeader(l) == "restart" \in Faults /\ RestartLeader(l)
FaultDropMessage(m) == "drop" \in Faults /\ DropMessage(m)
FaultDuplicateMessage(m) == "duplicate" \in Faults /\ DuplicateMessage(m)

\* Next restricted to the faults this model explores.
MCNext ==
    \/ \E r \in Replica, c \in Commands : Request(r, c)
    \/ \E r \in Replica, c \in Commands : Propose(r, c)
    \/ \E r \in Replica : \E p \in proposals[r] : MCResendPropose(r, p)
    \/ \E r \in Replica, m \in DOMAIN messages : HandleDecision(r, m)
    \/ \E r \in Replica : Perform(r)
    \/ \E r \in Replica : MCReportExecuted(r)
    \/ \E r \in Replica, m \in DOMAIN messages : HandleCollected(r, m)
    \/ \E l \in Leader : LeaderTimeout(l)
    \/ \E l \in Leader, m \in DOMAIN messages : HandlePropose(l, m)
    \/ \E l \in Leader, m \in DOMAIN messages : HandleP1b(l, m)
    \/ \E l \in Leader, m \in DOMAIN messages : HandleP2b(l, m)
    \/ \E l \in Leader : FaultRestartLeader(l)
    \/ \E a \in Acceptor, m \in DOMAIN messages : HandleP1a(a, m)
    \/ \E a \in Acceptor, m \in DOMAIN messages : HandleP2a(a, m)
    \/ \E a \in Acceptor, m \in DOMAIN messages : HandleExecuted(a, m)
    \/ \E m \in DOMAIN messages : FaultDropMessage(m)
    \/ \E m \in DOMAIN messages : FaultDuplicateMessage(m)

\* Reachability witnesses, not safety properties. A model expects TLC to
\* refute one, which shows the models really get there instead of passing
\* vacuously.

\* "No replica ever has a slot decided after a reconfiguration took effect
\* for it": a reconfiguration decided in slot s, the replica proposing to
\* the new leaders, and slot s + Window decided.
ReconfigNeverTakesEffect ==
    ~\E r \in Replica : \E d, e \in decisions[r] :
        /\ IsReconfig(d.cmd)
        /\ replicaLeaders[r] = d.cmd.leaders
        /\ e.slot = d.slot + Window

\* "Slots are never collected everywhere": some replica dropped the decision
\* of slot 1 after executing it, and some leader learned a watermark above 1
\* from a P1b.
GarbageNeverCollected ==
    ~ /\ \E l \in Leader : leaderCollected[l] > 1
      /\ \E r \in Replica : slotOut[r] > 1 /\ ~HasSlot(decisions[r], 1)

\* "No slot is ever decided for a command chosen at a ballot above one at
\* which an acceptor still holds it": the second leader learned the command
\* from a P1b and re-proposed it, and a majority accepted the re-proposal
\* while an acceptor outside it kept the first pvalue (acceptors keep one
\* pvalue per slot, so the witness needs three of them).
NoDecisionAfterPreemption ==
    ~\E r \in Replica : \E d \in decisions[r] : \E a \in Acceptor : \E p \in accepted[a] :
        /\ p.slot = d.slot /\ p.cmd = d.cmd
        /\ \E q \in UNION {accepted[x] : x \in Acceptor} :
               /\ q.slot = d.slot /\ q.cmd = d.cmd /\ BallotLT(p.ballot, q.ballot)
               /\ Chosen(q.ballot, q.slot, q.cmd)
===============================================================================
