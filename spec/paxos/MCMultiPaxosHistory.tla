-------------------------- MODULE MCMultiPaxosHistory --------------------------
(***************************************************************************)
(* MCMultiPaxos with a history variable, for the paper-strength            *)
(* invariants: acceptors keep only their highest pvalue per slot, so what   *)
(* was once chosen (accepted by a majority at one ballot) is no longer in   *)
(* the state. `votes` records every pvalue each acceptor ever accepted; it  *)
(* is no spec variable (traces never carry it) and no action reads it.     *)
(*                                                                         *)
(* The history models are TLC-only (`engines: tlc`): the embedded checker   *)
(* keeps only the last VARIABLES declaration it reads.                      *)
(***************************************************************************)
EXTENDS MCMultiPaxos

VARIABLE votes

HInit == Init /\ votes = [a \in Acceptor |-> {}]

\* Every step of MCNext, with each acceptor's new pvalues added to its votes.
HNext == MCNext /\ votes' = [a \in Acceptor |-> votes[a] \cup accepted'[a]]

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
