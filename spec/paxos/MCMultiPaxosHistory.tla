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
EXTENDS MCMultiPaxos, ReplicatedLog

\* One declaration; the embedded checker's copy merges it with MultiPaxos's.
VARIABLE votes

HInit == Init /\ votes = [a \in Acceptor |-> {}]

\* Reads a step of MultiPaxos and records it: each acceptor's new pvalues
\* are added to its votes. Changes nothing of MultiPaxos.
RecordVotes == votes' = [a \in Acceptor |-> votes[a] \cup accepted'[a]]

\* Each action of MCNext followed by RecordVotes, one wrapper per action
\* (as the other protocols' history models do), so that a counterexample's steps are labelled
\* with the action and its arguments and can be replayed.
HRequest(r, c)               == Request(r, c) /\ RecordVotes
HPropose(r, c)               == Propose(r, c) /\ RecordVotes
HMCResendPropose(r, p)       == MCResendPropose(r, p) /\ RecordVotes
HHandleDecision(r, m)        == HandleDecision(r, m) /\ RecordVotes
HPerform(r)                  == Perform(r) /\ RecordVotes
HMCReportExecuted(r)         == MCReportExecuted(r) /\ RecordVotes
HHandleCollected(r, m)       == HandleCollected(r, m) /\ RecordVotes
HLeaderTimeout(l)            == LeaderTimeout(l) /\ RecordVotes
HHandlePropose(l, m)         == HandlePropose(l, m) /\ RecordVotes
HHandleP1b(l, m)             == HandleP1b(l, m) /\ RecordVotes
HHandleP2b(l, m)             == HandleP2b(l, m) /\ RecordVotes
HFaultRestartLeader(l)       == FaultRestartLeader(l) /\ RecordVotes
HHandleP1a(a, m)             == HandleP1a(a, m) /\ RecordVotes
HHandleP2a(a, m)             == HandleP2a(a, m) /\ RecordVotes
HHandleExecuted(a, m)        == HandleExecuted(a, m) /\ RecordVotes
HFaultDropMessage(m)         == FaultDropMessage(m) /\ RecordVotes
HFaultDuplicateMessage(m)    == FaultDuplicateMessage(m) /\ RecordVotes

\* MCNext, each action followed by RecordVotes.
HNext ==
    \/ \E r \in Replica, c \in Commands : HRequest(r, c)
    \/ \E r \in Replica, c \in Commands : HPropose(r, c)
    \/ \E r \in Replica : \E p \in proposals[r] : HMCResendPropose(r, p)
    \/ \E r \in Replica, m \in DOMAIN messages : HHandleDecision(r, m)
    \/ \E r \in Replica : HPerform(r)
    \/ \E r \in Replica : HMCReportExecuted(r)
    \/ \E r \in Replica, m \in DOMAIN messages : HHandleCollected(r, m)
    \/ \E l \in Leader : HLeaderTimeout(l)
    \/ \E l \in Leader, m \in DOMAIN messages : HHandlePropose(l, m)
    \/ \E l \in Leader, m \in DOMAIN messages : HHandleP1b(l, m)
    \/ \E l \in Leader, m \in DOMAIN messages : HHandleP2b(l, m)
    \/ \E l \in Leader : HFaultRestartLeader(l)
    \/ \E a \in Acceptor, m \in DOMAIN messages : HHandleP1a(a, m)
    \/ \E a \in Acceptor, m \in DOMAIN messages : HHandleP2a(a, m)
    \/ \E a \in Acceptor, m \in DOMAIN messages : HHandleExecuted(a, m)
    \/ \E m \in DOMAIN messages : HFaultDropMessage(m)
    \/ \E m \in DOMAIN messages : HFaultDuplicateMessage(m)

\* The operators over the history take it as an argument v (votes or
\* votes'), so that the refinement mapping below can be applied to the
\* primed state (the embedded checker primes variables, not operators).

\* (b, s, c) was chosen: a majority of acceptors accepted it at some time.
ChosenEverIn(v, b, s, c) ==
    2 * Cardinality({a \in Acceptor : PValue(b, s, c) \in v[a]}) > Cardinality(Acceptor)
ChosenEver(b, s, c) == ChosenEverIn(votes, b, s, c)

\* Command c was chosen in slot s (at some ballot).
ChosenInOf(v, s, c) == \E a \in Acceptor : \E p \in v[a] :
                          p.slot = s /\ p.cmd = c /\ ChosenEverIn(v, p.ballot, s, c)
ChosenIn(s, c) == ChosenInOf(votes, s, c)

\* Every decided command was chosen: accepted by a majority of acceptors in
\* one ballot.
DecidedWasChosen ==
    LET all == DecisionsSent \cup UNION {decisions[r] : r \in Replica}
    IN  \A d \in all : ChosenIn(d.slot, d.cmd)

\* The applied commands of the chosen log's slots 1..n, in slot order, as a
\* replica performs them: reconfigurations and repeats skipped (Perform).
\* Defined only where every slot 1..n has a chosen command.
ChosenCmdOf(v, s) == CHOOSE c \in Commands : ChosenInOf(v, s, c)
RECURSIVE AppliedOf(_, _)
AppliedOf(v, n) ==
    IF n = 0 THEN <<>>
    ELSE LET prefix == AppliedOf(v, n - 1)
             c      == ChosenCmdOf(v, n)
             seen   == \E k \in 1..(n - 1) : ChosenCmdOf(v, k) = c
         IN  IF IsReconfig(c) \/ seen THEN prefix ELSE Append(prefix, c)
AppliedUpTo(n) == AppliedOf(votes, n)

\* Every replica's executed sequence is the chosen log's prefix up to its
\* slotOut: each slot it performed was chosen, and it applied those
\* commands in slot order, skipping what Perform skips.
ExecutedIsChosenPrefix ==
    \A r \in Replica :
        /\ \A s \in 1..(slotOut[r] - 1) : \E c \in Commands : ChosenIn(s, c)
        /\ executed[r] = AppliedUpTo(slotOut[r] - 1)

-----------------------------------------------------------------------------
(* The refinement mapping to ReplicatedLog (../ReplicatedLog.tla)          *)
(*                                                                         *)
(*   chosen  = ChosenLogOf(votes): the longest prefix of slots 1..n that   *)
(*             all have a chosen command, as the commands a replica        *)
(*             applies for them (reconfigurations and repeats skipped, as  *)
(*             Perform skips them);                                        *)
(*   known   = executed: what each replica applied.                        *)
(*                                                                         *)
(* chosen is a function of the history (an acceptor forgets a pvalue it    *)
(* replaced, so the spec's variables alone do not say what was chosen).    *)
(* What it checks: the chosen log only grows by appending (a command       *)
(* chosen in a slot never changes, a later slot never fills a gap below    *)
(* it differently), and every replica applied a prefix of it.              *)
(***************************************************************************)

\* The slots with a chosen command from 1 on: the n with 1..n chosen and
\* n + 1 not (n is 0 or a slot some acceptor voted in).
SlotChosenIn(v, s) == \E c \in Commands : ChosenInOf(v, s, c)
ChosenLenOf(v) ==
    CHOOSE n \in {0} \cup {p.slot : p \in UNION {v[a] : a \in Acceptor}} :
        (\A s \in 1..n : SlotChosenIn(v, s)) /\ ~SlotChosenIn(v, n + 1)
ChosenLogOf(v) == AppliedOf(v, ChosenLenOf(v))

RefinesReplicatedLog ==
    [][RLNext(ChosenLogOf(votes), executed, ChosenLogOf(votes'), executed')]_<<votes, executed>>

\* ReplicatedLog's invariant under the mapping.
ExecutedInChosenLog == RLInv(ChosenLogOf(votes), executed)

HSpec == HInit /\ [][HNext]_<<vars, votes>>
================================================================================
