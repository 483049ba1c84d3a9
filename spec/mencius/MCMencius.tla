------------------------------ MODULE MCMencius ------------------------------
(***************************************************************************)
(* Finite models of Mencius: the spec plus bounds that keep TLC's search   *)
(* finite, and a choice of which faults the model explores (each fault     *)
(* multiplies the state space).                                            *)
(*                                                                         *)
(* Mencius refines the abstract replicated log (../ReplicatedLog.tla)      *)
(* under the mapping below, a function of the spec's own variables (what   *)
(* a server learned is on disk, so no history variable is needed); the     *)
(* models check it as PROPERTY RefinesReplicatedLog.                       *)
(***************************************************************************)
EXTENDS Mencius, ReplicatedLog

CONSTANTS
    MaxInstance,   \* no server suggests or skips past this instance
    MaxBallot,     \* no revocation goes past this ballot
    MaxMessages,   \* no more messages than this in flight (copies counted)
    Faults,        \* subset of {"restart", "drop", "duplicate"}
    Revokers       \* the servers that may revoke (suspect an owner)

\* Explore only states within the bounds (a state outside them is neither
\* checked nor expanded).
StateConstraint == MessageCount <= MaxMessages

\* A narrower search: each client command is requested once (no server
\* voted for it yet), and only while the owner has an instance within the
\* bound to suggest in.
FreshSuggest(p, v) ==
    /\ \E i \in SuggestAt(p) : i <= MaxInstance
    /\ \A a \in Server : \A i \in DOMAIN accepted[a] : accepted[a][i].val # v
    /\ Suggest(p, v)

BoundedSkip(p) == nextInst[p] <= MaxInstance /\ Skip(p)

\* Only the model's revokers suspect anyone, only within the instance bound
\* and only up to MaxBallot.
BoundedRevoke(p, i) ==
    /\ p \in Revokers
    /\ i <= MaxInstance
    /\ NextOf(p, Promised(p, i)) <= MaxBallot
    /\ Revoke(p, i)

\* The fault actions, enabled only when the model explores that fault.
FaultRestart(p) == "restart" \in Faults /\ Restart(p)
FaultDropMessage(m) == "drop" \in Faults /\ DropMessage(m)
FaultDuplicateMessage(m) == "duplicate" \in Faults /\ DuplicateMessage(m)

\* Next restricted to the bounds and to the faults this model explores.
MCNext ==
    \/ \E p \in Server, v \in Value : FreshSuggest(p, v)
    \/ \E p \in Server : BoundedSkip(p)
    \/ \E p \in Server, i \in OpenInstances : BoundedRevoke(p, i)
    \/ \E p \in Server, m \in DOMAIN messages : HandlePrepare(p, m)
    \/ \E p \in Server, m \in DOMAIN messages : HandlePromise(p, m)
    \/ \E p \in Server, m \in DOMAIN messages : HandlePropose(p, m)
    \/ \E p \in Server, m \in DOMAIN messages : HandleSuggest(p, m)
    \/ \E p \in Server, m \in DOMAIN messages : HandleAccept(p, m)
    \/ \E p \in Server, m \in DOMAIN messages : HandleLearn(p, m)
    \/ \E p \in Server, m \in DOMAIN messages : HandleSkip(p, m)
    \/ \E p \in Server : Execute(p)
    \/ \E p \in Server : FaultRestart(p)
    \/ \E m \in DOMAIN messages : FaultDropMessage(m)
    \/ \E m \in DOMAIN messages : FaultDuplicateMessage(m)

-----------------------------------------------------------------------------
(* The refinement mapping to ReplicatedLog                                 *)
(*                                                                         *)
(*   chosen     DecidedLog(learned): the commands of the longest prefix of *)
(*              decided instances, in instance order, the no-ops (skips    *)
(*              and revocations that found no vote) left out, since they   *)
(*              change nothing;                                            *)
(*   known[s]   executed[s]: the commands server s has executed.           *)
(*                                                                         *)
(* An instance is decided once some server has learned it: learned is on   *)
(* disk and only grows, and each LEARN or SKIP in flight was learned by    *)
(* its sender first. Where two servers learned different values for one    *)
(* instance, the instance is not decided: the decided log then ends before *)
(* it, which the step that reveals the disagreement (if the log had gone   *)
(* past it) or a server executing it (if not) shows as a violation.        *)

\* What the servers learned for instance i.
LearnedIn(xlearned, i) == {xlearned[s][i] : s \in {x \in Server : i \in DOMAIN xlearned[x]}}

DecidedIn(xlearned, i) == Cardinality(LearnedIn(xlearned, i)) = 1

\* The length of the decided prefix: 1..n decided, n + 1 not. (n is at most
\* the number of instances learned anywhere.)
DecidedUpTo(xlearned) ==
    CHOOSE n \in 0..Cardinality(UNION {DOMAIN xlearned[s] : s \in Server}) :
        /\ \A i \in 1..n : DecidedIn(xlearned, i)
        /\ ~DecidedIn(xlearned, n + 1)

\* The commands of the decided instances 1..n, in order, without the no-ops.
DecidedLog(xlearned) ==
    LET RECURSIVE Commands(_)
        Commands(n) ==
            IF n = 0 THEN <<>>
            ELSE LET v == CHOOSE x \in LearnedIn(xlearned, n) : TRUE
                 IN  IF v = NoOp THEN Commands(n - 1) ELSE Append(Commands(n - 1), v)
    IN  Commands(DecidedUpTo(xlearned))

\* The abstract state is <<DecidedLog(learned), executed>>.
RefinesReplicatedLog ==
    [][RLNext(DecidedLog(learned), executed, DecidedLog(learned'), executed')]_<<learned, executed>>

\* Its state invariant: every server executed a prefix of the decided log.
ExecutedIsDecidedPrefix == RLInv(DecidedLog(learned), executed)

-----------------------------------------------------------------------------

\* Reachability witnesses, not safety properties. A model expects TLC to
\* refute one, which shows the models really get there instead of passing
\* vacuously.

\* "No revocation ever decides a command": a revoker's phase 1 found the
\* owner's suggestion and the revoker got it chosen at its own ballot.
NoCommandRevoked ==
    ~\E s \in Server : \E i \in DOMAIN learned[s] :
        /\ learned[s][i] # NoOp
        /\ \E a \in Server : VoteOf(a, i).bal > 0 /\ VoteOf(a, i).val = learned[s][i]

\* "No server executes a command after another server's skipped instance":
\* the skips let a server execute past an idle server's turns.
NoExecutionPastSkip ==
    ~\E p \in Server : \E i, j \in DOMAIN learned[p] :
        /\ i < j /\ j <= executedUpTo[p]
        /\ Owner(i) # p /\ i \in skipped[Owner(i)]
        /\ learned[p][j] # NoOp
===============================================================================
