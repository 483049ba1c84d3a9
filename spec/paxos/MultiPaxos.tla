------------------------------ MODULE MultiPaxos ------------------------------
(***************************************************************************)
(* Multi-Paxos in the shape of van Renesse and Altinbuken, "Paxos Made     *)
(* Moderately Complex" (PMMC).                                             *)
(*                                                                         *)
(* Roles: replicas (slot_in, slot_out, requests, proposals, decisions,     *)
(* WINDOW), leaders (ballot_num, active, proposals), the leader's scouts   *)
(* (phase 1: P1a/P1b) and commanders (phase 2: P2a/P2b), and acceptors     *)
(* (ballot_num, accepted). A scout or commander is not a process of its    *)
(* own here but part of its leader's state (scouting/scoutWaitFor/          *)
(* scoutPvalues, commanders); its message handlers are leader actions.     *)
(*                                                                         *)
(* A reconfiguration is a command naming a new set of leaders; decided in  *)
(* slot s, it takes effect for the proposals of slot s + Window.           *)
(*                                                                         *)
(* Garbage collection, as PMMC allows it: slots every replica has          *)
(* executed are collected. A replica reports its slotOut to the acceptors  *)
(* (ReportExecuted); an acceptor keeps the highest report of each replica  *)
(* and collects every slot below their minimum, its watermark: it drops    *)
(* its pvalues there, ignores P2a there, tells the replica the watermark   *)
(* (the replica drops its decisions below it that its window no longer     *)
(* reads) and sends it in every P1b, from which a leader learns it and     *)
(* drops its proposals, scout pvalues and commanders below it.             *)
(*                                                                         *)
(* A new leader is elected without any check of what it knows (no vote    *)
(* compares logs): its scout instead learns from a majority of acceptors   *)
(* every pvalue they accepted and the leader re-proposes, per slot, the    *)
(* command of the highest ballot (PMax). ChosenIsProposed is what that     *)
(* buys.                                                                   *)
(*                                                                         *)
(* Each action is one event of a real process or of the network; its       *)
(* comment says which role and which message. src/paxos has one            *)
(* TypeScript transition per action, same name in camelCase.               *)
(*                                                                         *)
(* The Bug* constants switch on classic mistakes so that the models in     *)
(* this folder can show TLC refuting them; every correct model sets them   *)
(* all to FALSE.                                                           *)
(***************************************************************************)
EXTENDS Naturals, Sequences, FiniteSets, TLC

CONSTANTS
    Acceptor,       \* acceptor ids (2f+1)
    Leader,         \* leader ids (f+1)
    Replica,        \* replica ids (f+1)
    LeaderOrder,    \* the ballot tie-break between leaders, as the set of the order's
                    \* prefixes: {{l1}, {l1, l2}} ranks l1 below l2 (a cfg file
                    \* can write a set of sets, not a sequence)
    Value,          \* client operations
    NewLeaderSets,  \* leader sets a reconfiguration may switch to
    InitLeaders,    \* the leaders replicas propose to initially
    Window,         \* PMMC's WINDOW: slots a replica may propose ahead of slot_out
    Nil             \* "none"

CONSTANTS
    BugIgnorePvalues,      \* leader ignores the pvalues in P1b, keeps its own proposals
    BugAcceptLowerBallot,  \* acceptor accepts a P2a with a ballot below its own
    BugExecuteOutOfOrder,  \* replica executes a decided slot before the earlier ones
    BugMinorityAdoption,   \* scout declares adoption after a minority of P1b
    BugP2bForAnyCommander, \* a commander counts a P2b that answers another commander's P2a
    BugKeepLowerPvalue,    \* acceptor accepting a slot again keeps its older pvalue there
    BugCollectUnexecuted   \* acceptor collects below the highest report, not the lowest

\* All spec variables in one declaration (the embedded checker keeps only
\* the last VARIABLES line of a module).
VARIABLES slotIn, slotOut, requests, proposals, decisions, replicaLeaders, executed, ballotNum, active, leaderProposals, leaderCollected, scouting, scoutWaitFor, scoutPvalues, commanders, acceptorBallot, accepted, reported, messages

replicaVars  == <<slotIn, slotOut, requests, proposals, decisions, replicaLeaders, executed>>
leaderVars   == <<ballotNum, active, leaderProposals, leaderCollected>>
scoutVars    == <<scouting, scoutWaitFor, scoutPvalues>>
acceptorVars == <<acceptorBallot, accepted, reported>>
vars == <<slotIn, slotOut, requests, proposals, decisions, replicaLeaders, executed, ballotNum, active, leaderProposals, leaderCollected, scouting, scoutWaitFor, scoutPvalues, commanders, acceptorBallot, accepted, reported, messages>>

-----------------------------------------------------------------------------
(* Ballots, commands, pvalues *)

\* Rank(l): l's position in the order, 1 for the first leader (which is in
\* every prefix); Nil ranks below every leader.
Rank(l) == IF l = Nil THEN 0 ELSE 1 + Cardinality({p \in LeaderOrder : l \notin p})

Ballot(n, l) == [round |-> n, leader |-> l]
Bottom == Ballot(0, Nil)

\* Ballots are ordered by round, then by the leader's rank.
BallotLT(b, c) == b.round < c.round \/ (b.round = c.round /\ Rank(b.leader) < Rank(c.leader))
BallotLE(b, c) == b = c \/ BallotLT(b, c)

\* One command shape: a client operation (leaders = {}) or a reconfiguration
\* to a new leader set (op = Nil).
Op(v) == [op |-> v, leaders |-> {}]
Reconfig(S) == [op |-> Nil, leaders |-> S]
IsReconfig(c) == c.leaders # {}
Commands == {Op(v) : v \in Value} \cup {Reconfig(S) : S \in NewLeaderSets}

PValue(b, s, c) == [ballot |-> b, slot |-> s, cmd |-> c]
Entry(s, c) == [slot |-> s, cmd |-> c]

\* PMMC's pmax: for each slot, the command of the pvalue with the highest
\* ballot (ballots of one slot's pvalues differ unless their commands agree).
PMax(pvals) ==
    {Entry(p.slot, p.cmd) :
        p \in {q \in pvals : \A r \in pvals : r.slot = q.slot => BallotLE(r.ballot, q.ballot)}}

\* PMMC's x <| y: y's entries, plus x's for the slots y has nothing for.
Update(x, y) == y \cup {e \in x : \A f \in y : f.slot # e.slot}

HasSlot(entries, s) == \E e \in entries : e.slot = s

\* The entries (or pvalues, or commanders) of slots from w on.
From(w, entries) == {e \in entries : e.slot >= w}

Min(S) == CHOOSE x \in S : \A y \in S : x <= y
Max(S) == CHOOSE x \in S : \A y \in S : y <= x

\* An acceptor's watermark from the slotOut each replica reported to it:
\* every slot below the lowest has been executed by every replica
\* (BugCollectUnexecuted takes the highest report instead).
Watermark(rep) ==
    IF BugCollectUnexecuted THEN Max({rep[r] : r \in Replica})
                            ELSE Min({rep[r] : r \in Replica})
Collected(a) == Watermark(reported[a])

\* A majority of the acceptors have answered when fewer than half are still awaited.
Adopted(waitFor) ==
    IF BugMinorityAdoption THEN Cardinality(waitFor) < Cardinality(Acceptor)
                           ELSE 2 * Cardinality(waitFor) < Cardinality(Acceptor)
Decided(waitFor) == 2 * Cardinality(waitFor) < Cardinality(Acceptor)

-----------------------------------------------------------------------------
(* Messages in flight form a bag: a function from message to its copy count. *)

WithMessage(m, msgs) ==
    IF m \in DOMAIN msgs THEN [msgs EXCEPT ![m] = @ + 1] ELSE msgs @@ (m :> 1)
WithoutMessage(m, msgs) ==
    IF msgs[m] > 1 THEN [msgs EXCEPT ![m] = @ - 1]
                   ELSE [x \in DOMAIN msgs \ {m} |-> msgs[x]]
\* One copy of each message of the set S added (a broadcast).
WithMessages(S, msgs) ==
    [x \in DOMAIN msgs \cup S |->
        (IF x \in DOMAIN msgs THEN msgs[x] ELSE 0) + (IF x \in S THEN 1 ELSE 0)]
Send(m) == messages' = WithMessage(m, messages)
Discard(m) == messages' = WithoutMessage(m, messages)
Reply(response, request) ==
    messages' = WithoutMessage(request, WithMessage(response, messages))

MessageCount == LET RECURSIVE Sum(_)
                    Sum(D) == IF D = {} THEN 0
                              ELSE LET m == CHOOSE x \in D : TRUE
                                   IN  messages[m] + Sum(D \ {m})
                IN  Sum(DOMAIN messages)

P1a(b, l, a) == [mtype |-> "p1a", mballot |-> b, msource |-> l, mdest |-> a]
P2a(b, s, c, l, a) ==
    [mtype |-> "p2a", mballot |-> b, mslot |-> s, mcmd |-> c, msource |-> l, mdest |-> a]

-----------------------------------------------------------------------------
(* Initial state: no requests, every leader passive at round 0, every       *)
(* acceptor at Bottom with nothing accepted.                                *)

Init ==
    /\ slotIn          = [r \in Replica |-> 1]
    /\ slotOut         = [r \in Replica |-> 1]
    /\ requests        = [r \in Replica |-> {}]
    /\ proposals       = [r \in Replica |-> {}]
    /\ decisions       = [r \in Replica |-> {}]
    /\ replicaLeaders  = [r \in Replica |-> InitLeaders]
    /\ executed        = [r \in Replica |-> <<>>]
    /\ ballotNum       = [l \in Leader |-> Ballot(0, l)]
    /\ active          = [l \in Leader |-> FALSE]
    /\ leaderProposals = [l \in Leader |-> {}]
    /\ leaderCollected = [l \in Leader |-> 1]
    /\ scouting        = [l \in Leader |-> FALSE]
    /\ scoutWaitFor    = [l \in Leader |-> {}]
    /\ scoutPvalues    = [l \in Leader |-> {}]
    /\ commanders      = {}
    /\ acceptorBallot  = [a \in Acceptor |-> Bottom]
    /\ accepted        = [a \in Acceptor |-> {}]
    /\ reported        = [a \in Acceptor |-> [r \in Replica |-> 1]]
    /\ messages        = [m \in {} |-> 0]

-----------------------------------------------------------------------------
(* Replica *)

\* Client -> replica: a client's request for command c reaches replica r.
ClientRequest(r, c) ==
    /\ requests' = [requests EXCEPT ![r] = @ \cup {c}]
    /\ UNCHANGED <<slotIn, slotOut, proposals, decisions, replicaLeaders, executed,
                   leaderVars, scoutVars, commanders, acceptorVars, messages>>

\* Replica propose(): one turn of the loop for slot slotIn, within the
\* window. It first adopts the leader set decided Window slots earlier (that
\* slot is already performed); if slotIn is still free it proposes c there,
\* sending "propose" to its leaders; slotIn advances either way.
Propose(r, c) ==
    LET s    == slotIn[r]
        cfg  == {d \in decisions[r] : d.slot = s - Window /\ IsReconfig(d.cmd)}
        lds  == IF cfg = {} THEN replicaLeaders[r] ELSE (CHOOSE d \in cfg : TRUE).cmd.leaders
        free == ~HasSlot(decisions[r], s)
    IN
    /\ s < slotOut[r] + Window
    /\ c \in requests[r]
    /\ slotIn' = [slotIn EXCEPT ![r] = @ + 1]
    /\ replicaLeaders' = [replicaLeaders EXCEPT ![r] = lds]
    /\ IF free
       THEN /\ requests'  = [requests EXCEPT ![r] = @ \ {c}]
            /\ proposals' = [proposals EXCEPT ![r] = @ \cup {Entry(s, c)}]
            /\ messages'  = WithMessages({[mtype |-> "propose", mslot |-> s, mcmd |-> c,
                                           msource |-> r, mdest |-> l] : l \in lds}, messages)
       ELSE UNCHANGED <<requests, proposals, messages>>
    /\ UNCHANGED <<slotOut, decisions, executed, leaderVars, scoutVars, commanders, acceptorVars>>

\* Replica r sends its proposal p to its leaders again: p's slot is not
\* decided yet as r knows it. PMMC proposes a slot once, over reliable
\* channels; over a network that loses messages the one "propose" may never
\* reach a leader that can get it decided (the leader that took over lacks
\* it), and the slot stays a hole. When to resend is the runtime's choice
\* (after a while without a decision); the leaders keep the first proposal
\* per slot, so a copy they already have changes nothing.
ResendPropose(r, p) ==
    /\ p \in proposals[r]
    /\ ~HasSlot(decisions[r], p.slot)
    /\ messages' = WithMessages({[mtype |-> "propose", mslot |-> p.slot, mcmd |-> p.cmd,
                                  msource |-> r, mdest |-> l] : l \in replicaLeaders[r]}, messages)
    /\ UNCHANGED <<replicaVars, leaderVars, scoutVars, commanders, acceptorVars>>

\* Replica receives "decision" from a commander.
HandleDecision(r, m) ==
    /\ m \in DOMAIN messages
    /\ m.mtype = "decision"
    /\ m.mdest = r
    /\ decisions' = [decisions EXCEPT ![r] = @ \cup {Entry(m.mslot, m.mcmd)}]
    /\ Discard(m)
    /\ UNCHANGED <<slotIn, slotOut, requests, proposals, replicaLeaders, executed,
                   leaderVars, scoutVars, commanders, acceptorVars>>

\* Replica perform(): slotOut is decided. A different command r proposed
\* for that slot goes back to its requests; the decided command is applied
\* unless it is a reconfiguration or was decided in an earlier slot (then it
\* has been applied already; the decisions of collected slots are gone, but
\* what they applied is in executed).
Perform(r) ==
    \E d \in decisions[r] :
        LET s    == d.slot
            mine == {p \in proposals[r] : p.slot = s}
            skip == \/ IsReconfig(d.cmd)
                    \/ \E e \in decisions[r] : e.slot < s /\ e.cmd = d.cmd
                    \/ \E k \in 1..Len(executed[r]) : executed[r][k] = d.cmd
        IN
        \* The bug performs the lowest decided slot at or past slotOut, decided or
        \* not slotOut itself (as src/paxos does, so a counterexample replays there).
        /\ IF BugExecuteOutOfOrder
           THEN s >= slotOut[r] /\ \A e \in decisions[r] : e.slot >= slotOut[r] => s <= e.slot
           ELSE s = slotOut[r]
        /\ requests'  = [requests EXCEPT ![r] = @ \cup ({p.cmd : p \in mine} \ {d.cmd})]
        /\ proposals' = [proposals EXCEPT ![r] = @ \ mine]
        /\ executed'  = IF skip THEN executed ELSE [executed EXCEPT ![r] = Append(@, d.cmd)]
        /\ slotOut'   = [slotOut EXCEPT ![r] = s + 1]
        /\ UNCHANGED <<slotIn, decisions, replicaLeaders, leaderVars, scoutVars, commanders,
                       acceptorVars, messages>>

\* Replica r tells every acceptor how far it has executed (PMMC leaves when
\* to the implementation: periodically, or after some slots).
ReportExecuted(r) ==
    /\ messages' = WithMessages({[mtype |-> "executed", mslot |-> slotOut[r],
                                  msource |-> r, mdest |-> a] : a \in Acceptor}, messages)
    /\ UNCHANGED <<replicaVars, leaderVars, scoutVars, commanders, acceptorVars>>

\* Replica receives an acceptor's watermark: every replica executed the
\* slots below it. It drops their decisions, except those its window still
\* reads (Propose reads slots slotIn - Window and slotIn).
HandleCollected(r, m) ==
    /\ m \in DOMAIN messages
    /\ m.mtype = "collected"
    /\ m.mdest = r
    /\ LET w == IF m.mslot < slotIn[r] - Window THEN m.mslot ELSE slotIn[r] - Window
       IN  decisions' = [decisions EXCEPT ![r] = From(w, @)]
    /\ Discard(m)
    /\ UNCHANGED <<slotIn, slotOut, requests, proposals, replicaLeaders, executed,
                   leaderVars, scoutVars, commanders, acceptorVars>>

-----------------------------------------------------------------------------
(* Leader, with its scouts and commanders *)

\* Leader l spawns a scout for ballot b: P1a to every acceptor.
SpawnScout(l, b) ==
    /\ ballotNum'    = [ballotNum EXCEPT ![l] = b]
    /\ active'       = [active EXCEPT ![l] = FALSE]
    /\ scouting'     = [scouting EXCEPT ![l] = TRUE]
    /\ scoutWaitFor' = [scoutWaitFor EXCEPT ![l] = Acceptor]
    /\ scoutPvalues' = [scoutPvalues EXCEPT ![l] = {}]
    /\ messages'     = WithMessages({P1a(b, l, a) : a \in Acceptor}, messages)

\* Leader l is preempted by ballot b > ballotNum[l]: it turns passive with a
\* ballot above b, and waits for LeaderTimeout to try again (PMMC's backoff).
Preempt(l, b) ==
    /\ ballotNum'    = [ballotNum EXCEPT ![l] = Ballot(b.round + 1, l)]
    /\ active'       = [active EXCEPT ![l] = FALSE]
    /\ scouting'     = [scouting EXCEPT ![l] = FALSE]
    /\ scoutWaitFor' = [scoutWaitFor EXCEPT ![l] = {}]
    /\ scoutPvalues' = [scoutPvalues EXCEPT ![l] = {}]

\* Leader failure detection, as one nondeterministic event: the active
\* leader stopped answering pings, l's own ballot stalled, or the backoff
\* after a preemption elapsed. A passive leader (neither active nor scouting)
\* tries its current, unused ballot; otherwise l abandons its ballot for the
\* next round.
LeaderTimeout(l) ==
    /\ IF ~active[l] /\ ~scouting[l]
       THEN SpawnScout(l, ballotNum[l])
       ELSE SpawnScout(l, Ballot(ballotNum[l].round + 1, l))
    /\ UNCHANGED <<replicaVars, leaderProposals, leaderCollected, commanders, acceptorVars>>

\* Leader receives "propose" from a replica: it keeps the first command
\* proposed for a slot and, while active, spawns a commander for it (P2a to
\* every acceptor); a slot below its watermark is collected and ignored.
HandlePropose(l, m) ==
    LET e   == Entry(m.mslot, m.mcmd)
        new == ~HasSlot(leaderProposals[l], m.mslot) /\ m.mslot >= leaderCollected[l]
    IN
    /\ m \in DOMAIN messages
    /\ m.mtype = "propose"
    /\ m.mdest = l
    /\ leaderProposals' = IF new THEN [leaderProposals EXCEPT ![l] = @ \cup {e}]
                                 ELSE leaderProposals
    /\ IF new /\ active[l]
       THEN /\ commanders' = commanders \cup
                  {[leader |-> l, ballot |-> ballotNum[l], slot |-> m.mslot, cmd |-> m.mcmd,
                    waitFor |-> Acceptor]}
            /\ messages' = WithMessages({P2a(ballotNum[l], m.mslot, m.mcmd, l, a) : a \in Acceptor},
                                        WithoutMessage(m, messages))
       ELSE /\ Discard(m)
            /\ UNCHANGED commanders
    /\ UNCHANGED <<replicaVars, ballotNum, active, leaderCollected, scoutVars, acceptorVars>>

\* Scout receives P1b from acceptor m.msource. First the leader learns the
\* acceptor's watermark and drops its proposals and commanders below it
\* (those slots are executed everywhere). For l's running scout: it
\* collects the acceptor's pvalues; once a majority answered, the ballot is
\* adopted: l re-proposes, per slot, the command of the highest-ballot pvalue
\* (PMax) instead of its own and spawns a commander for every proposal. A
\* higher ballot preempts l. Anything else is stale.
HandleP1b(l, m) ==
    LET a       == m.msource
        b       == ballotNum[l]
        w       == IF m.mcollected > leaderCollected[l] THEN m.mcollected ELSE leaderCollected[l]
        mine    == scouting[l] /\ m.mballot = b /\ a \in scoutWaitFor[l]
        waitFor == scoutWaitFor[l] \ {a}
        pvals   == From(w, scoutPvalues[l] \cup m.maccepted)
        own     == From(w, leaderProposals[l])
        props   == IF BugIgnorePvalues THEN own ELSE Update(own, PMax(pvals))
        kept    == {k \in commanders : k.leader # l \/ k.slot >= w}
    IN
    /\ m \in DOMAIN messages
    /\ m.mtype = "p1b"
    /\ m.mdest = l
    /\ leaderCollected' = [leaderCollected EXCEPT ![l] = w]
    /\ IF mine /\ Adopted(waitFor)
       THEN \* adopted: scout ends, l becomes active
            /\ leaderProposals' = [leaderProposals EXCEPT ![l] = props]
            /\ active'       = [active EXCEPT ![l] = TRUE]
            /\ scouting'     = [scouting EXCEPT ![l] = FALSE]
            /\ scoutWaitFor' = [scoutWaitFor EXCEPT ![l] = {}]
            /\ scoutPvalues' = [scoutPvalues EXCEPT ![l] = {}]
            /\ commanders'   = kept \cup
                  {[leader |-> l, ballot |-> b, slot |-> p.slot, cmd |-> p.cmd,
                    waitFor |-> Acceptor] : p \in props}
            /\ messages' = WithMessages({P2a(b, p.slot, p.cmd, l, x) : p \in props, x \in Acceptor},
                                        WithoutMessage(m, messages))
            /\ UNCHANGED ballotNum
       ELSE /\ Discard(m)
            /\ leaderProposals' = [leaderProposals EXCEPT ![l] = own]
            /\ commanders' = kept
            /\ IF mine
               THEN /\ scoutWaitFor' = [scoutWaitFor EXCEPT ![l] = waitFor]
                    /\ scoutPvalues' = [scoutPvalues EXCEPT ![l] = pvals]
                    /\ UNCHANGED <<ballotNum, active, scouting>>
               ELSE IF BallotLT(b, m.mballot)
               THEN Preempt(l, m.mballot)
               ELSE UNCHANGED <<ballotNum, active, scoutVars>>
    /\ UNCHANGED <<replicaVars, acceptorVars>>

\* Commander receives P2b from acceptor m.msource for slot m.mslot. The P2b
\* answers the P2a of l's commander of that slot and of ballot m.mcballot
\* (PMMC sends it to that commander); the commander counts the acceptor only
\* if the acceptor's ballot m.mballot is its own, i.e. the acceptor accepted
\* its pvalue. On a majority it sends "decision" to every replica and ends. A
\* higher ballot ends l's commanders of that slot with lower ballots, and
\* preempts l if it is above l's ballot too. BugP2bForAnyCommander drops the
\* check of m.mcballot: a rejection of an older commander's P2a, carrying the
\* acceptor's newer ballot, counts as a vote for l's commander at that ballot.
HandleP2b(l, m) ==
    LET s      == m.mslot
        mine   == {k \in commanders : k.leader = l /\ k.slot = s /\ k.ballot = m.mballot
                                      /\ (BugP2bForAnyCommander \/ k.ballot = m.mcballot)
                                      /\ m.msource \in k.waitFor}
        beaten == {k \in commanders : k.leader = l /\ k.slot = s /\ BallotLT(k.ballot, m.mballot)}
    IN
    /\ m \in DOMAIN messages
    /\ m.mtype = "p2b"
    /\ m.mdest = l
    /\ IF mine # {}
       THEN LET k    == CHOOSE x \in mine : TRUE
                left == k.waitFor \ {m.msource}
            IN  IF Decided(left)
                THEN /\ commanders' = commanders \ {k}
                     /\ messages' = WithMessages({[mtype |-> "decision", mslot |-> s,
                                                   mcmd |-> k.cmd, msource |-> l, mdest |-> r] :
                                                      r \in Replica},
                                                 WithoutMessage(m, messages))
                ELSE /\ commanders' = (commanders \ {k}) \cup {[k EXCEPT !.waitFor = left]}
                     /\ Discard(m)
       ELSE /\ commanders' = commanders \ beaten
            /\ Discard(m)
    /\ IF mine = {} /\ BallotLT(ballotNum[l], m.mballot)
       THEN Preempt(l, m.mballot)
       ELSE UNCHANGED <<ballotNum, active, scoutVars>>
    /\ UNCHANGED <<replicaVars, leaderProposals, leaderCollected, acceptorVars>>

\* Leader l crashes and restarts. Only ballotNum is persistent, and the
\* restarted leader moves it to the next round: its old scouts' P1b and its
\* old commanders' P2a may still be in flight, and reusing their ballot for
\* new proposals could put two commands in one slot at one ballot.
RestartLeader(l) ==
    /\ ballotNum'       = [ballotNum EXCEPT ![l] = Ballot(@.round + 1, l)]
    /\ active'          = [active EXCEPT ![l] = FALSE]
    /\ leaderProposals' = [leaderProposals EXCEPT ![l] = {}]
    /\ leaderCollected' = [leaderCollected EXCEPT ![l] = 1]
    /\ scouting'        = [scouting EXCEPT ![l] = FALSE]
    /\ scoutWaitFor'    = [scoutWaitFor EXCEPT ![l] = {}]
    /\ scoutPvalues'    = [scoutPvalues EXCEPT ![l] = {}]
    /\ commanders'      = {k \in commanders : k.leader # l}
    /\ UNCHANGED <<replicaVars, acceptorVars, messages>>

-----------------------------------------------------------------------------
(* Acceptor *)

\* Acceptor receives P1a: it adopts a higher ballot and answers P1b with its
\* ballot, the pvalues it holds (at most one per slot) and its watermark.
HandleP1a(a, m) ==
    LET b == IF BallotLT(acceptorBallot[a], m.mballot) THEN m.mballot ELSE acceptorBallot[a]
    IN
    /\ m \in DOMAIN messages
    /\ m.mtype = "p1a"
    /\ m.mdest = a
    /\ acceptorBallot' = [acceptorBallot EXCEPT ![a] = b]
    /\ Reply([mtype |-> "p1b", mballot |-> b, maccepted |-> accepted[a], mcollected |-> Collected(a),
              msource |-> a, mdest |-> m.msource], m)
    /\ UNCHANGED <<replicaVars, leaderVars, scoutVars, commanders, accepted, reported>>

\* Acceptor receives P2a: it accepts the pvalue unless it has adopted a
\* higher ballot, and answers P2b with its ballot and the P2a's (mcballot:
\* which commander of the slot it answers). It keeps one pvalue per slot, the
\* one of the highest ballot, as PMMC's bounded acceptor does: the new pvalue
\* replaces the slot's old one (its ballot is at least the acceptor's, hence
\* above every pvalue it holds), and a scout's PMax needs no other.
\* BugKeepLowerPvalue keeps the old pvalue instead, yet still answers yes.
\* A P2a for a collected slot is ignored: every replica executed it.
HandleP2a(a, m) ==
    LET ok   == BugAcceptLowerBallot \/ BallotLE(acceptorBallot[a], m.mballot)
        b    == IF BallotLT(acceptorBallot[a], m.mballot) THEN m.mballot ELSE acceptorBallot[a]
        kept == IF BugKeepLowerPvalue /\ HasSlot(accepted[a], m.mslot)
                THEN accepted[a]
                ELSE {p \in accepted[a] : p.slot # m.mslot} \cup {PValue(m.mballot, m.mslot, m.mcmd)}
    IN
    /\ m \in DOMAIN messages
    /\ m.mtype = "p2a"
    /\ m.mdest = a
    /\ IF m.mslot < Collected(a)
       THEN /\ Discard(m)
            /\ UNCHANGED <<acceptorBallot, accepted>>
       ELSE /\ acceptorBallot' = [acceptorBallot EXCEPT ![a] = b]
            /\ accepted' = IF ok THEN [accepted EXCEPT ![a] = kept] ELSE accepted
            /\ Reply([mtype |-> "p2b", mballot |-> b, mcballot |-> m.mballot, mslot |-> m.mslot,
                      msource |-> a, mdest |-> m.msource], m)
    /\ UNCHANGED <<replicaVars, leaderVars, scoutVars, commanders, reported>>

\* Acceptor receives replica m.msource's slotOut: it keeps the highest report
\* of each replica, collects the slots below its watermark (drops their
\* pvalues) and tells the replica the watermark.
HandleExecuted(a, m) ==
    LET rep == [reported[a] EXCEPT ![m.msource] = IF m.mslot > @ THEN m.mslot ELSE @]
        w   == Watermark(rep)
    IN
    /\ m \in DOMAIN messages
    /\ m.mtype = "executed"
    /\ m.mdest = a
    /\ reported' = [reported EXCEPT ![a] = rep]
    /\ accepted' = [accepted EXCEPT ![a] = From(w, @)]
    /\ Reply([mtype |-> "collected", mslot |-> w, msource |-> a, mdest |-> m.msource], m)
    /\ UNCHANGED <<replicaVars, leaderVars, scoutVars, commanders, acceptorBallot>>

-----------------------------------------------------------------------------
(* Network faults *)

\* The network loses one copy of m.
DropMessage(m) ==
    /\ m \in DOMAIN messages
    /\ Discard(m)
    /\ UNCHANGED <<replicaVars, leaderVars, scoutVars, commanders, acceptorVars>>

\* The network delivers m twice.
DuplicateMessage(m) ==
    /\ m \in DOMAIN messages
    /\ Send(m)
    /\ UNCHANGED <<replicaVars, leaderVars, scoutVars, commanders, acceptorVars>>

-----------------------------------------------------------------------------

Next ==
    \/ \E r \in Replica, c \in Commands : ClientRequest(r, c)
    \/ \E r \in Replica, c \in Commands : Propose(r, c)
    \/ \E r \in Replica : \E p \in proposals[r] : ResendPropose(r, p)
    \/ \E r \in Replica, m \in DOMAIN messages : HandleDecision(r, m)
    \/ \E r \in Replica : Perform(r)
    \/ \E r \in Replica : ReportExecuted(r)
    \/ \E r \in Replica, m \in DOMAIN messages : HandleCollected(r, m)
    \/ \E l \in Leader : LeaderTimeout(l)
    \/ \E l \in Leader, m \in DOMAIN messages : HandlePropose(l, m)
    \/ \E l \in Leader, m \in DOMAIN messages : HandleP1b(l, m)
    \/ \E l \in Leader, m \in DOMAIN messages : HandleP2b(l, m)
    \/ \E l \in Leader : RestartLeader(l)
    \/ \E a \in Acceptor, m \in DOMAIN messages : HandleP1a(a, m)
    \/ \E a \in Acceptor, m \in DOMAIN messages : HandleP2a(a, m)
    \/ \E a \in Acceptor, m \in DOMAIN messages : HandleExecuted(a, m)
    \/ \E m \in DOMAIN messages : DropMessage(m)
    \/ \E m \in DOMAIN messages : DuplicateMessage(m)

Spec == Init /\ [][Next]_vars

-----------------------------------------------------------------------------
(* Invariants and properties *)

\* Counters are written "x >= 1" rather than "x \in Nat": the trace harness
\* checks TypeOK on long runs too.
IsBallot(b) == b = Bottom \/ (b.leader \in Leader /\ b.round >= 0)
Command == Commands
IsEntry(e) == e.slot >= 1 /\ e.cmd \in Command
IsPValue(p) == IsBallot(p.ballot) /\ p.slot >= 1 /\ p.cmd \in Command

TypeOK ==
    /\ \A r \in Replica :
        /\ slotIn[r] >= 1 /\ slotOut[r] >= 1
        /\ requests[r] \subseteq Command
        /\ \A e \in proposals[r] \cup decisions[r] : IsEntry(e)
        /\ replicaLeaders[r] \subseteq Leader
        /\ \A k \in 1..Len(executed[r]) : executed[r][k] \in Command
    /\ \A l \in Leader :
        /\ IsBallot(ballotNum[l]) /\ ballotNum[l].leader = l
        /\ active[l] \in BOOLEAN /\ scouting[l] \in BOOLEAN
        /\ ~(active[l] /\ scouting[l])
        /\ \A e \in leaderProposals[l] : IsEntry(e)
        /\ leaderCollected[l] >= 1
        /\ scoutWaitFor[l] \subseteq Acceptor
        /\ \A p \in scoutPvalues[l] : IsPValue(p)
    /\ \A k \in commanders :
        /\ k.leader \in Leader /\ IsBallot(k.ballot) /\ k.slot >= 1 /\ k.cmd \in Command
        /\ k.waitFor \subseteq Acceptor
    /\ \A a \in Acceptor :
        /\ IsBallot(acceptorBallot[a])
        /\ \A p \in accepted[a] : IsPValue(p)
        /\ \A r \in Replica : reported[a][r] >= 1
    /\ \A m \in DOMAIN messages :
        /\ messages[m] >= 1
        /\ m.mtype \in {"propose", "p1a", "p1b", "p2a", "p2b", "decision", "executed", "collected"}

\* Decision messages in flight, as [slot, cmd] entries.
DecisionsSent == {Entry(m.mslot, m.mcmd) : m \in {x \in DOMAIN messages : x.mtype = "decision"}}

\* At most one command is decided per slot: no two replicas (nor two
\* decision messages) disagree on a slot.
OneValuePerSlot ==
    LET all == DecisionsSent \cup UNION {decisions[r] : r \in Replica}
    IN  \A d, e \in all : d.slot = e.slot => d.cmd = e.cmd

\* Every decided command is held for its slot by a majority of acceptors:
\* a commander decides only on the votes of acceptors that accepted its
\* pvalue (and every later pvalue of the slot carries the same command),
\* until an acceptor collects the slot (every replica executed it).
DecidedWasAccepted ==
    LET all == DecisionsSent \cup UNION {decisions[r] : r \in Replica}
    IN  \A d \in all :
            \/ \E a \in Acceptor : d.slot < Collected(a)
            \/ 2 * Cardinality({a \in Acceptor : \E p \in accepted[a] : p.slot = d.slot /\ p.cmd = d.cmd})
                    > Cardinality(Acceptor)

\* Every acceptance a commander counted, or a P2b in flight reports (its
\* ballot the P2a's), is still held: the acceptor holds a pvalue for that
\* slot at that ballot or a higher one, or has collected the slot. (An
\* acceptor's pvalue for a slot is only ever replaced by one of a higher
\* ballot.)
Holds(a, s, b) == s < Collected(a) \/ \E p \in accepted[a] : p.slot = s /\ BallotLE(b, p.ballot)
AcceptanceHeld ==
    /\ \A k \in commanders : \A a \in Acceptor \ k.waitFor : Holds(a, k.slot, k.ballot)
    /\ \A m \in DOMAIN messages :
        (m.mtype = "p2b" /\ m.mballot = m.mcballot) => Holds(m.msource, m.mslot, m.mballot)

SeqPrefix(s, t) == Len(s) <= Len(t) /\ SubSeq(t, 1, Len(s)) = s

\* Every two replicas applied the same commands in the same order, one
\* being at most behind the other.
ExecutedPrefixAgree ==
    \A r, q \in Replica : SeqPrefix(executed[r], executed[q]) \/ SeqPrefix(executed[q], executed[r])

\* No replica applies a command twice.
ExecutedAtMostOnce ==
    \A r \in Replica : \A i, j \in 1..Len(executed[r]) : i # j => executed[r][i] # executed[r][j]

\* An acceptor holds at most one pvalue per slot.
OnePvaluePerSlot ==
    \A a \in Acceptor : \A p, q \in accepted[a] : p.slot = q.slot => p = q

\* An acceptor never holds a pvalue above its own ballot.
AcceptedBelowBallot ==
    \A a \in Acceptor : \A p \in accepted[a] : BallotLE(p.ballot, acceptorBallot[a])

\* A pvalue is chosen once a majority of acceptors accepted it. As acceptors
\* keep only their highest pvalue per slot, this sees a chosen pvalue only
\* until a majority moved on to a higher ballot (of the same command, by
\* ChosenIsProposed); DecidedWasAccepted covers the time after.
Chosen(b, s, c) ==
    2 * Cardinality({a \in Acceptor : PValue(b, s, c) \in accepted[a]}) > Cardinality(Acceptor)

\* Every P2a, commander and accepted pvalue for slot s with a ballot above
\* one at which c was chosen in s carries c: a later leader learns what may
\* have been chosen (the P1b adoption exists for this).
ChosenIsProposed ==
    LET pvs == UNION {accepted[a] : a \in Acceptor}
        later == pvs \cup {PValue(k.ballot, k.slot, k.cmd) : k \in commanders}
                     \cup {PValue(m.mballot, m.mslot, m.mcmd) :
                              m \in {x \in DOMAIN messages : x.mtype = "p2a"}}
    IN  \A p \in pvs : Chosen(p.ballot, p.slot, p.cmd) =>
            \A q \in later : (q.slot = p.slot /\ BallotLT(p.ballot, q.ballot)) => q.cmd = p.cmd

\* Nothing is collected that some replica has still to execute: no
\* acceptor's or leader's watermark, nor one in flight, is above a
\* replica's slotOut (below it, every replica has performed every slot).
CollectedWasExecuted ==
    LET marks == {Collected(a) : a \in Acceptor} \cup {leaderCollected[l] : l \in Leader}
                 \cup {m.mslot : m \in {x \in DOMAIN messages : x.mtype = "collected"}}
                 \cup {m.mcollected : m \in {x \in DOMAIN messages : x.mtype = "p1b"}}
    IN  \A w \in marks, r \in Replica : w <= slotOut[r]

\* Acceptor ballots only grow (an action property: checked on every step).
AcceptorBallotsGrowStep == \A a \in Acceptor : BallotLE(acceptorBallot[a], acceptorBallot'[a])
AcceptorBallotsGrow == [][AcceptorBallotsGrowStep]_vars

=============================================================================
