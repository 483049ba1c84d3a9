---------------------------- MODULE ReplicatedLog ----------------------------
(***************************************************************************)
(* The abstract replicated state machine that every protocol of this       *)
(* repository refines: one decided log of commands that only grows, by     *)
(* appending, and replicas that each know (have committed, or applied) a   *)
(* prefix of it.                                                           *)
(*                                                                         *)
(* Abstract state, a pair:                                                 *)
(*   chosen   the decided log, a sequence of commands;                     *)
(*   known    a function from replica to the sequence of commands it has   *)
(*            committed or applied.                                        *)
(*                                                                         *)
(*   Init  ==  chosen = <<>>  /\  every known[r] = <<>>                    *)
(*   Next  ==  chosen' is chosen with zero or more commands appended       *)
(*             /\ every known'[r] is a prefix of chosen'                   *)
(*   Spec  ==  Init /\ [][Next]_<<chosen, known>>                          *)
(*                                                                         *)
(* Next lets a step decide and learn at once (a leader that commits a     *)
(* command both decides it and learns it) and lets a replica forget what   *)
(* it knew (a restart that rebuilds volatile state re-learns its prefix    *)
(* later); what it never allows is a decided command changing or           *)
(* disappearing, or a                                                      *)
(* replica knowing a command that is not the decided one at its index.     *)
(*                                                                         *)
(* How a protocol refines it. The embedded checker has no INSTANCE and     *)
(* primes variables only (not a defined operator), so this module          *)
(* declares no variables: its Init and Next are operators over the         *)
(* abstract state, and a refining model applies them to its refinement     *)
(* mapping, written as operators of the concrete variables and applied    *)
(* once to the unprimed and once to the primed variables:                  *)
(*                                                                         *)
(*   EXTENDS ReplicatedLog                                                 *)
(*   Chosen(x, y)  == ...   Known(x, y) == ...   \* the mapping            *)
(*   RefinesReplicatedLog ==                                               *)
(*       [][RLNext(Chosen(x, y), Known(x, y), Chosen(x', y'),              *)
(*                 Known(x', y'))]_<<x, y>>                                *)
(*                                                                         *)
(* with `PROPERTY RefinesReplicatedLog` in the cfg (TLC checks it as an    *)
(* action property; npm run tlc turns it into an Assert on every step for  *)
(* the embedded engine) and `INVARIANT` of the state predicate RLInv       *)
(* applied to the mapping. RLInit(mapping) holds in every initial state.   *)
(* Where the protocol's state does not determine the decided log (a        *)
(* restarted server that forgets what it learned), the model keeps it in   *)
(* a history variable, updated with RLExtend.                              *)
(***************************************************************************)
EXTENDS Naturals, Sequences

\* s is a prefix of t.
IsPrefix(s, t) == Len(s) <= Len(t) /\ SubSeq(t, 1, Len(s)) = s

\* Initial abstract state.
RLInit(chosen, known) ==
    /\ chosen = <<>>
    /\ \A r \in DOMAIN known : known[r] = <<>>

\* The abstract invariant: every replica knows a prefix of the decided log.
RLInv(chosen, known) == \A r \in DOMAIN known : IsPrefix(known[r], chosen)

\* One abstract step from <<chosen, known>> to <<chosen2, known2>>: the
\* decided log keeps every command it had, in place, and may gain new ones at
\* its end; afterwards every replica knows a prefix of it.
RLNext(chosen, known, chosen2, known2) ==
    /\ IsPrefix(chosen, chosen2)
    /\ DOMAIN known2 = DOMAIN known
    /\ RLInv(chosen2, known2)

\* For a history variable holding the decided log: the longest of `chosen`
\* and the replicas' known sequences after a step (chosen itself when none is
\* longer). When the replicas agree this is exactly the decided log; when
\* they do not, RLNext fails on the step that reveals it.
RLExtend(chosen, known2) ==
    LET longer == {r \in DOMAIN known2 : Len(known2[r]) > Len(chosen)}
    IN  IF longer = {} THEN chosen
        ELSE known2[CHOOSE r \in longer : \A q \in longer : Len(known2[q]) <= Len(known2[r])]
=============================================================================
