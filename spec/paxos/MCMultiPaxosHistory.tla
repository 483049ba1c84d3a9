-------------------------- MODULE MCMultiPaxosHistory --------------------------
(***************************************************************************)
(* MCMultiPaxos with a history variable, for the paper-strength            *)
(* invariants: acceptors keep only their highest pvalue per slot, so what   *)
(* was once chosen (accepted by a majority at one ballot) is no longer in   *)
(* the state. `votes` records every pvalue each acceptor ever accepted; it  *)
(* is no spec variable (traces never carry it) and no action reads it.     *)
(*                                                                         *)
(* HNext is MCNext with every action followed by RecordVotes, which reads *)
(* the step's after state and changes nothing of MultiPaxos: every         *)
(* behaviour of this module is one of MCMultiPaxos with the history added. *)
(***************************************************************************)
EXTENDS MCMultiPaxos

\* One declaration; the embedded checker's copy merges it with MultiPaxos's.
VARIABLE votes

HInit == Init /\ votes = [a \in Acceptor |-> {}]

\* Reads a step of MultiPaxos and records it: each acceptor's new pvalues
\* are added to its votes. Changes nothing of MultiPaxos.
RecordVotes == votes' = [a \in Acceptor |-> votes[a] \cup accepted'[a]]

\* Each action of MCNext followed by RecordVotes, one wrapper per action
\* (as MCRaftHistory does), so that a counterexample's steps are labelled
\* with the action and its arguments and can be replayed.
HRequest(r, c)               == Request(r, c) /\ RecordVotes
HPropose(r, c)               == Propose(r, c) /\ RecordVotes
HHandleDecision(r, m)        == HandleDecision(r, m) /\ RecordVotes
HPerform(r)                  == Perform(r) /\ RecordVotes
HLeaderTimeout(l)            == LeaderTimeout(l) /\ RecordVotes
HHandlePropose(l, m)         == HandlePropose(l, m) /\ RecordVotes
HHandleP1b(l, m)             == HandleP1b(l, m) /\ RecordVotes
HHandleP2b(l, m)             == HandleP2b(l, m) /\ RecordVotes
HFaultRestartLeader(l)       == FaultRestartLeader(l) /\ RecordVotes
HHandleP1a(a, m)             == HandleP1a(a, m) /\ RecordVotes
HHandleP2a(a, m)             == HandleP2a(a, m) /\ RecordVotes
HFaultDropMessage(m)         == FaultDropMessage(m) /\ RecordVotes
HFaultDuplicateMessage(m)    == FaultDuplicateMessage(m) /\ RecordVotes

\* MCNext, each action followed by RecordVotes.
HNext ==
    \/ \E r \in Replica, c \in Commands : HRequest(r, c)
    \/ \E r \in Replica, c \in Commands : HPropose(r, c)
    \/ \E r \in Replica, m \in DOMAIN messages : HHandleDecision(r, m)
    \/ \E r \in Replica : HPerform(r)
    \/ \E l \in Leader : HLeaderTimeout(l)
    \/ \E l \in Leader, m \in DOMAIN messages : HHandlePropose(l, m)
    \/ \E l \in Leader, m \in DOMAIN messages : HHandleP1b(l, m)
    \/ \E l \in Leader, m \in DOMAIN messages : HHandleP2b(l, m)
    \/ \E l \in Leader : HFaultRestartLeader(l)
    \/ \E a \in Acceptor, m \in DOMAIN messages : HHandleP1a(a, m)
    \/ \E a \in Acceptor, m \in DOMAIN messages : HHandleP2a(a, m)
    \/ \E m \in DOMAIN messages : HFaultDropMessage(m)
    \/ \E m \in DOMAIN messages : HFaultDuplicateMessage(m)

\* (b, s, c) was chosen: a majority of acceptors accepted it at some time.
ChosenEver(b, s, c) ==
    2 * Cardinality({a \in Acceptor : PValue(b, s, c) \in votes[a]}) > Cardinality(Acceptor)

\* Command c was chosen in slot s (at some ballot).
ChosenIn(s, c) == \E a \in Acceptor : \E p \in votes[a] :
                    p.slot = s /\ p.cmd = c /\ ChosenEver(p.ballot, s, c)

\* Every decided command was chosen: accepted by a majority of acceptors in
\* one ballot.
DecidedWasChosen ==
    LET all == DecisionsSent \cup UNION {decisions[r] : r \in Replica}
    IN  \A d \in all : ChosenIn(d.slot, d.cmd)

\* The applied commands of the chosen log's slots 1..n, in slot order, as a
\* replica performs them: reconfigurations and repeats skipped (Perform).
\* Defined only where every slot 1..n has a chosen command.
ChosenCmd(s) == CHOOSE c \in Commands : ChosenIn(s, c)
RECURSIVE AppliedUpTo(_)
AppliedUpTo(n) ==
    IF n = 0 THEN <<>>
    ELSE LET prefix == AppliedUpTo(n - 1)
             c      == ChosenCmd(n)
             seen   == \E k \in 1..(n - 1) : ChosenCmd(k) = c
         IN  IF IsReconfig(c) \/ seen THEN prefix ELSE Append(prefix, c)

\* Every replica's executed sequence is the chosen log's prefix up to its
\* slotOut: each slot it performed was chosen, and it applied those
\* commands in slot order, skipping what Perform skips.
ExecutedIsChosenPrefix ==
    \A r \in Replica :
        /\ \A s \in 1..(slotOut[r] - 1) : \E c \in Commands : ChosenIn(s, c)
        /\ executed[r] = AppliedUpTo(slotOut[r] - 1)

HSpec == HInit /\ [][HNext]_<<vars, votes>>
================================================================================
