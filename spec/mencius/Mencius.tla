------------------------------- MODULE Mencius -------------------------------
(***************************************************************************)
(* Mencius (Mao, Junqueira and Marzullo, OSDI 2008): multi-decree          *)
(* consensus (one single-decree ballot protocol per instance) with the     *)
(* instance space split round-robin among the servers, for the wide area.  *)
(*                                                                         *)
(* Instance k * N + r + 1 is owned by the server of rank r (N servers).    *)
(* Every instance is one consensus instance; the owner holds ballot 0      *)
(* without a phase 1: every acceptor starts out having promised ballot 0,  *)
(* and only the owner proposes there. So an owner decides its instance in  *)
(* one round trip to a majority (SUGGEST, ACCEPT, LEARN), and every server *)
(* is a leader of its own instances: clients at every site are served by   *)
(* a local leader.                                                         *)
(*                                                                         *)
(* A server with nothing to propose gives its instances up with a SKIP, a  *)
(* no-op only the owner may decide unilaterally: the owner never suggests  *)
(* where it skipped, so nothing but the no-op can be chosen there, and a   *)
(* SKIP is learned as soon as it arrives. A server that sees a SUGGEST for *)
(* an instance beyond its own next one skips its instances below it at     *)
(* once and piggybacks the skips on its ACCEPT (Rule 2), so a fast server  *)
(* never waits for a slow one's turns.                                     *)
(*                                                                         *)
(* An owner that crashed or is slow is revoked: any other server runs a    *)
(* full ballot round (PREPARE/PROMISE, then PROPOSE/ACCEPT) at a higher    *)
(* ballot on the owner's instance, proposing the highest vote its phase 1  *)
(* read, and the no-op only when there was none (Rule 3). Servers execute  *)
(* instances in order, each once it and every lower instance is learned.   *)
(*                                                                         *)
(* Each server is proposer, acceptor and learner of every instance: what   *)
(* it does for itself it does locally (the owner accepts its own           *)
(* suggestion, a revoker promises its own ballot), the rest goes through   *)
(* the network, which loses and duplicates messages. A restart loses the   *)
(* rounds a server was running; everything else is on disk.                *)
(*                                                                         *)
(* Each action is one event of a server or of the network; src/mencius has *)
(* one TypeScript transition per action, same name in camelCase. The Bug*  *)
(* constants switch on classic mistakes so that the models in this folder  *)
(* can show TLC refuting them; every correct model sets them to FALSE.     *)
(***************************************************************************)
EXTENDS Integers, Sequences, FiniteSets, TLC

CONSTANTS
    Server,       \* server ids
    ServerOrder,  \* the round-robin order, as the set of its prefixes:
                  \* {{s1}, {s1, s2}} ranks s1 first (a cfg file can write a
                  \* set of sets, not a sequence)
    Value,        \* client commands
    NoOp          \* the no-op a skip or a revocation decides

CONSTANTS
    BugRevokeWithoutRead,  \* a revocation proposes the no-op without phase 1
    BugSuggestSkipped,     \* an owner may suggest in an instance it skipped
    BugExecuteEarly,       \* a server executes an instance before lower ones are learned
    BugNoPromise           \* an acceptor answers PREPARE without recording its promise

\* All spec variables in one declaration (the embedded checker keeps only
\* the last VARIABLES line of a module).
VARIABLES nextInst, skipped, promised, accepted, learned, executedUpTo, executed, prepares, accepts, messages

\* On disk: the owner's next instance and its skips, the acceptor's promises
\* and votes, the learned instances and the state machine.
durableVars == <<nextInst, skipped, promised, accepted, learned, executedUpTo, executed>>
\* Lost on restart: the ballot rounds the server coordinates.
roundVars == <<prepares, accepts>>
vars == <<nextInst, skipped, promised, accepted, learned, executedUpTo, executed, prepares, accepts, messages>>

-----------------------------------------------------------------------------
(* Ownership, ballots, votes *)

N == Cardinality(Server)

\* Rank(s): s's position in the order, 0 for the first server (which is in
\* every prefix).
Rank(s) == Cardinality({P \in ServerOrder : s \notin P})

\* Instances start at 1; instance i belongs to the server of rank (i - 1) % N.
Owns(s, i) == Rank(s) = (i - 1) % N
Owner(i) == CHOOSE s \in Server : Owns(s, i)

\* The least x' > x with (x' - 1) % N = Rank(s): s's next instance after
\* instance x, and s's next ballot above ballot x. Ballot 0 is every owner's
\* in its own instances; revocation ballots are >= 1 and each belongs to one
\* server, so two revokers never share one.
NextOf(s, x) == x + 1 + ((Rank(s) + N - (x % N)) % N)

\* A vote: what an acceptor accepted in one instance, and at which ballot.
Vote(b, v) == [bal |-> b, val |-> v]
NoVote == Vote(-1, NoOp)

\* The per-instance state of a server is a function over the instances it
\* has something for; the others take a default.
Promised(a, i) == IF i \in DOMAIN promised[a] THEN promised[a][i] ELSE 0
VoteOf(a, i) == IF i \in DOMAIN accepted[a] THEN accepted[a][i] ELSE NoVote

\* f with f[x] = y, x new or not; f without x.
Set(f, x, y) == (x :> y) @@ f
Unset(f, x) == [y \in DOMAIN f \ {x} |-> f[y]]
None == [x \in {} |-> 0]

\* A learner keeps what it learned first (two different values learned for
\* one instance would break OneValuePerInstance, which must see it).
Learn(f, i, v) == IF i \in DOMAIN f THEN f ELSE Set(f, i, v)
LearnNoOps(f, K) == [i \in DOMAIN f \cup K |-> IF i \in DOMAIN f THEN f[i] ELSE NoOp]

\* More than half of all servers.
Majority(S) == 2 * Cardinality(S) > N

\* The instances a revocation may name: every instance some server has
\* reached (Revoke itself requires one below the revoker's next instance).
MaxOf(S) == CHOOSE x \in S : \A y \in S : y <= x
OpenInstances == 1..MaxOf({nextInst[s] : s \in Server})

\* The instances Suggest may use: the owner's next one; under
\* BugSuggestSkipped also those it skipped.
SuggestAt(p) == IF BugSuggestSkipped THEN {nextInst[p]} \cup skipped[p] ELSE {nextInst[p]}

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

Others(p) == Server \ {p}

SuggestMsg(i, v, p, q) == [mtype |-> "suggest", minst |-> i, mval |-> v, msource |-> p, mdest |-> q]
SkipMsg(K, p, q) == [mtype |-> "skip", minsts |-> K, msource |-> p, mdest |-> q]
PrepareMsg(i, b, p, q) == [mtype |-> "prepare", minst |-> i, mbal |-> b, msource |-> p, mdest |-> q]
ProposeMsg(i, b, v, p, q) ==
    [mtype |-> "propose", minst |-> i, mbal |-> b, mval |-> v, msource |-> p, mdest |-> q]
AcceptMsg(i, b, K, p, q) ==
    [mtype |-> "accept", minst |-> i, mbal |-> b, mskips |-> K, msource |-> p, mdest |-> q]
LearnMsg(i, v, p, q) == [mtype |-> "learn", minst |-> i, mval |-> v, msource |-> p, mdest |-> q]

-----------------------------------------------------------------------------
(* Initial state: every server at its first instance, nothing promised      *)
(* beyond ballot 0, nothing accepted, learned or executed.                  *)

Init ==
    /\ nextInst     = [s \in Server |-> NextOf(s, 0)]
    /\ skipped      = [s \in Server |-> {}]
    /\ promised     = [s \in Server |-> None]
    /\ accepted     = [s \in Server |-> None]
    /\ learned      = [s \in Server |-> None]
    /\ executedUpTo = [s \in Server |-> 0]
    /\ executed     = [s \in Server |-> <<>>]
    /\ prepares     = [s \in Server |-> None]
    /\ accepts      = [s \in Server |-> None]
    /\ messages     = [m \in {} |-> 0]

-----------------------------------------------------------------------------
(* The owner *)

\* Rule 1: a client's request for v reaches server p, which suggests v in
\* its next instance i at ballot 0 (no phase 1) unless it promised a
\* revoker a higher ballot there (then it skips i first). p accepts v
\* itself and sends SUGGEST to every other server.
Suggest(p, v) ==
    \E i \in SuggestAt(p) :
        /\ Promised(p, i) = 0
        /\ nextInst' = [nextInst EXCEPT ![p] = IF i = @ THEN NextOf(p, i) ELSE @]
        /\ accepted' = [accepted EXCEPT ![p] = Set(@, i, Vote(0, v))]
        /\ accepts'  = [accepts EXCEPT ![p] = Set(@, i, [bal |-> 0, val |-> v, heard |-> {p}])]
        /\ messages' = WithMessages({SuggestMsg(i, v, p, q) : q \in Others(p)}, messages)
        /\ UNCHANGED <<skipped, promised, learned, executedUpTo, executed, prepares>>

\* The owner gives up its next instance: it learns the no-op there itself
\* and sends SKIP to every other server. No acceptor is asked: only the
\* owner could propose anything but the no-op in its instance.
Skip(p) ==
    LET i == nextInst[p]
    IN
    /\ nextInst' = [nextInst EXCEPT ![p] = NextOf(p, i)]
    /\ skipped'  = [skipped EXCEPT ![p] = @ \cup {i}]
    /\ learned'  = [learned EXCEPT ![p] = Learn(@, i, NoOp)]
    /\ messages' = WithMessages({SkipMsg({i}, p, q) : q \in Others(p)}, messages)
    /\ UNCHANGED <<promised, accepted, executedUpTo, executed, roundVars>>

-----------------------------------------------------------------------------
(* Revocation: a full ballot round on another server's instance *)

\* Rule 3: p suspects the owner of instance i (failure detection, as one
\* nondeterministic event: the owner stopped answering, or i has blocked
\* p's execution for too long) and revokes i, an instance p has not learned
\* below its own next one. p takes its next ballot above any it promised
\* there, promises it itself, reads its own vote, and sends PREPARE to
\* every other server; a round p was running on i is abandoned. An owner
\* may run the round on its own instance too, to find out what became of a
\* suggestion whose outcome it missed (it cannot skip there any more).
\* Under BugRevokeWithoutRead p skips phase 1 and proposes the no-op at once.
Revoke(p, i) ==
    LET b == NextOf(p, Promised(p, i))
    IN
    /\ i < nextInst[p]
    /\ i \notin DOMAIN learned[p]
    /\ promised' = [promised EXCEPT ![p] = Set(@, i, b)]
    /\ IF BugRevokeWithoutRead
       THEN /\ accepted' = [accepted EXCEPT ![p] = Set(@, i, Vote(b, NoOp))]
            /\ prepares' = [prepares EXCEPT ![p] = Unset(@, i)]
            /\ accepts'  = [accepts EXCEPT ![p] = Set(@, i, [bal |-> b, val |-> NoOp, heard |-> {p}])]
            /\ messages' = WithMessages({ProposeMsg(i, b, NoOp, p, q) : q \in Others(p)}, messages)
       ELSE /\ prepares' = [prepares EXCEPT ![p] = Set(@, i, [bal |-> b, heard |-> {p}, vote |-> VoteOf(p, i)])]
            /\ accepts'  = [accepts EXCEPT ![p] = Unset(@, i)]
            /\ messages' = WithMessages({PrepareMsg(i, b, p, q) : q \in Others(p)}, messages)
            /\ UNCHANGED accepted
    /\ UNCHANGED <<nextInst, skipped, learned, executedUpTo, executed>>

\* Acceptor p receives PREPARE (phase 1a): for a ballot above its promise
\* it promises the ballot and answers PROMISE with its vote in the instance
\* (NoVote if none); a lower one is ignored. Under BugNoPromise it answers
\* without recording the promise.
HandlePrepare(p, m) ==
    LET i == m.minst
        b == m.mbal
    IN
    /\ m \in DOMAIN messages
    /\ m.mtype = "prepare"
    /\ m.mdest = p
    /\ IF b > Promised(p, i)
       THEN /\ promised' = IF BugNoPromise THEN promised
                           ELSE [promised EXCEPT ![p] = Set(@, i, b)]
            /\ Reply([mtype |-> "promise", minst |-> i, mbal |-> b, mvote |-> VoteOf(p, i),
                      msource |-> p, mdest |-> m.msource], m)
       ELSE /\ Discard(m)
            /\ UNCHANGED promised
    /\ UNCHANGED <<nextInst, skipped, accepted, learned, executedUpTo, executed, roundVars>>

\* Revoker p receives PROMISE (phase 1b) for its round on instance i: it
\* keeps the highest vote; with a majority it proposes that vote's value,
\* the no-op when nobody voted, accepting it itself unless it has promised
\* a higher ballot since, and sends PROPOSE to every other server. Anything
\* else is stale.
HandlePromise(p, m) ==
    LET i     == m.minst
        r     == prepares[p][i]
        mine  == i \in DOMAIN prepares[p] /\ r.bal = m.mbal /\ m.msource \notin r.heard
        heard == r.heard \cup {m.msource}
        vote  == IF m.mvote.bal > r.vote.bal THEN m.mvote ELSE r.vote
        own   == Promised(p, i) = r.bal
    IN
    /\ m \in DOMAIN messages
    /\ m.mtype = "promise"
    /\ m.mdest = p
    /\ IF mine /\ Majority(heard)
       THEN /\ prepares' = [prepares EXCEPT ![p] = Unset(@, i)]
            /\ accepts'  = [accepts EXCEPT ![p] =
                               Set(@, i, [bal |-> r.bal, val |-> vote.val,
                                          heard |-> IF own THEN {p} ELSE {}])]
            /\ accepted' = IF own THEN [accepted EXCEPT ![p] = Set(@, i, Vote(r.bal, vote.val))]
                                  ELSE accepted
            /\ messages' = WithMessages({ProposeMsg(i, r.bal, vote.val, p, q) : q \in Others(p)},
                                        WithoutMessage(m, messages))
       ELSE /\ prepares' = IF mine THEN [prepares EXCEPT ![p][i] = [r EXCEPT !.heard = heard,
                                                                             !.vote = vote]]
                                   ELSE prepares
            /\ Discard(m)
            /\ UNCHANGED <<accepts, accepted>>
    /\ UNCHANGED <<nextInst, skipped, promised, learned, executedUpTo, executed>>

\* Acceptor p receives PROPOSE (phase 2a of a revocation): at or above its
\* promise it accepts, promises the ballot and answers ACCEPT; below, it
\* ignores it.
HandlePropose(p, m) ==
    LET i == m.minst
        b == m.mbal
    IN
    /\ m \in DOMAIN messages
    /\ m.mtype = "propose"
    /\ m.mdest = p
    /\ IF b >= Promised(p, i)
       THEN /\ promised' = [promised EXCEPT ![p] = Set(@, i, b)]
            /\ accepted' = [accepted EXCEPT ![p] = Set(@, i, Vote(b, m.mval))]
            /\ Reply(AcceptMsg(i, b, {}, p, m.msource), m)
       ELSE /\ Discard(m)
            /\ UNCHANGED <<promised, accepted>>
    /\ UNCHANGED <<nextInst, skipped, learned, executedUpTo, executed, roundVars>>

-----------------------------------------------------------------------------
(* Acceptor and learner *)

\* Acceptor p receives the owner's SUGGEST for instance i. Rule 2 first:
\* if i lies beyond p's next instance, p skips its own instances below i
\* and learns the no-ops. Then p accepts the value at ballot 0 unless it
\* promised a revoker a higher ballot there, and answers ACCEPT with its
\* skips piggybacked; a SKIP tells the other servers (and the owner too
\* when p refused, since no ACCEPT carries them then).
HandleSuggest(p, m) ==
    LET i    == m.minst
        q    == m.msource
        K    == {k \in nextInst[p]..(i - 1) : Owns(p, k)}
        ok   == Promised(p, i) = 0
        tell == IF ok THEN Server \ {p, q} ELSE Others(p)
    IN
    /\ m \in DOMAIN messages
    /\ m.mtype = "suggest"
    /\ m.mdest = p
    /\ nextInst' = [nextInst EXCEPT ![p] = IF i > @ THEN NextOf(p, i) ELSE @]
    /\ skipped'  = [skipped EXCEPT ![p] = @ \cup K]
    /\ learned'  = [learned EXCEPT ![p] = LearnNoOps(@, K)]
    /\ accepted' = IF ok THEN [accepted EXCEPT ![p] = Set(@, i, Vote(0, m.mval))] ELSE accepted
    /\ messages' = WithMessages((IF ok THEN {AcceptMsg(i, 0, K, p, q)} ELSE {})
                                \cup (IF K = {} THEN {} ELSE {SkipMsg(K, p, r) : r \in tell}),
                                WithoutMessage(m, messages))
    /\ UNCHANGED <<promised, executedUpTo, executed, roundVars>>

\* Coordinator p (the owner at ballot 0, or a revoker) receives ACCEPT for
\* its round on instance i. It learns the skips piggybacked on it; with a
\* majority the round's value is chosen: p learns it and sends LEARN to
\* every other server. Anything else is stale.
HandleAccept(p, m) ==
    LET i     == m.minst
        r     == accepts[p][i]
        mine  == i \in DOMAIN accepts[p] /\ r.bal = m.mbal /\ m.msource \notin r.heard
        heard == r.heard \cup {m.msource}
        known == LearnNoOps(learned[p], m.mskips)
    IN
    /\ m \in DOMAIN messages
    /\ m.mtype = "accept"
    /\ m.mdest = p
    /\ IF mine /\ Majority(heard)
       THEN /\ accepts'  = [accepts EXCEPT ![p] = Unset(@, i)]
            /\ learned'  = [learned EXCEPT ![p] = Learn(known, i, r.val)]
            /\ messages' = WithMessages({LearnMsg(i, r.val, p, q) : q \in Others(p)},
                                        WithoutMessage(m, messages))
       ELSE /\ accepts'  = IF mine THEN [accepts EXCEPT ![p][i].heard = heard] ELSE accepts
            /\ learned'  = [learned EXCEPT ![p] = known]
            /\ Discard(m)
    /\ UNCHANGED <<nextInst, skipped, promised, accepted, executedUpTo, executed, prepares>>

\* Server p receives LEARN: the instance is chosen.
HandleLearn(p, m) ==
    /\ m \in DOMAIN messages
    /\ m.mtype = "learn"
    /\ m.mdest = p
    /\ learned' = [learned EXCEPT ![p] = Learn(@, m.minst, m.mval)]
    /\ Discard(m)
    /\ UNCHANGED <<nextInst, skipped, promised, accepted, executedUpTo, executed, roundVars>>

\* Server p receives SKIP: the owner's instances in it are no-ops.
HandleSkip(p, m) ==
    /\ m \in DOMAIN messages
    /\ m.mtype = "skip"
    /\ m.mdest = p
    /\ learned' = [learned EXCEPT ![p] = LearnNoOps(@, m.minsts)]
    /\ Discard(m)
    /\ UNCHANGED <<nextInst, skipped, promised, accepted, executedUpTo, executed, roundVars>>

\* Server p executes its next instance once it has learned it (a skipped
\* or revoked instance as the no-op, which changes nothing): every lower
\* instance is executed by then. Under BugExecuteEarly it executes any
\* learned instance above the last one it executed.
Execute(p) ==
    \E i \in DOMAIN learned[p] :
        /\ IF BugExecuteEarly THEN i > executedUpTo[p] ELSE i = executedUpTo[p] + 1
        /\ executedUpTo' = [executedUpTo EXCEPT ![p] = i]
        /\ executed' = IF learned[p][i] = NoOp THEN executed
                       ELSE [executed EXCEPT ![p] = Append(@, learned[p][i])]
        /\ UNCHANGED <<nextInst, skipped, promised, accepted, learned, roundVars, messages>>

\* Server p crashes and restarts: the rounds it coordinated are lost, its
\* disk is not.
Restart(p) ==
    /\ prepares' = [prepares EXCEPT ![p] = None]
    /\ accepts'  = [accepts EXCEPT ![p] = None]
    /\ UNCHANGED <<durableVars, messages>>

-----------------------------------------------------------------------------
(* Network faults *)

\* The network loses one copy of m.
DropMessage(m) ==
    /\ m \in DOMAIN messages
    /\ Discard(m)
    /\ UNCHANGED <<durableVars, roundVars>>

\* The network delivers m twice.
DuplicateMessage(m) ==
    /\ m \in DOMAIN messages
    /\ Send(m)
    /\ UNCHANGED <<durableVars, roundVars>>

-----------------------------------------------------------------------------

Next ==
    \/ \E p \in Server, v \in Value : Suggest(p, v)
    \/ \E p \in Server : Skip(p)
    \/ \E p \in Server, i \in OpenInstances : Revoke(p, i)
    \/ \E p \in Server, m \in DOMAIN messages : HandlePrepare(p, m)
    \/ \E p \in Server, m \in DOMAIN messages : HandlePromise(p, m)
    \/ \E p \in Server, m \in DOMAIN messages : HandlePropose(p, m)
    \/ \E p \in Server, m \in DOMAIN messages : HandleSuggest(p, m)
    \/ \E p \in Server, m \in DOMAIN messages : HandleAccept(p, m)
    \/ \E p \in Server, m \in DOMAIN messages : HandleLearn(p, m)
    \/ \E p \in Server, m \in DOMAIN messages : HandleSkip(p, m)
    \/ \E p \in Server : Execute(p)
    \/ \E p \in Server : Restart(p)
    \/ \E m \in DOMAIN messages : DropMessage(m)
    \/ \E m \in DOMAIN messages : DuplicateMessage(m)

Spec == Init /\ [][Next]_vars

-----------------------------------------------------------------------------
(* Invariants and properties *)

\* Counters are written "x >= 1" rather than "x \in Nat": the trace harness
\* may check TypeOK on long runs too.
Command == Value \cup {NoOp}
IsVote(w) == w.bal >= 0 /\ w.val \in Command
IsInstance(i) == i >= 1
Messages == {"suggest", "skip", "prepare", "promise", "propose", "accept", "learn"}

TypeOK ==
    /\ \A s \in Server :
        /\ nextInst[s] >= 1 /\ Owns(s, nextInst[s])
        /\ \A i \in skipped[s] : IsInstance(i) /\ Owns(s, i) /\ i < nextInst[s]
        /\ \A i \in DOMAIN promised[s] : IsInstance(i) /\ promised[s][i] >= 1
        /\ \A i \in DOMAIN accepted[s] : IsInstance(i) /\ IsVote(accepted[s][i])
        /\ \A i \in DOMAIN learned[s] : IsInstance(i) /\ learned[s][i] \in Command
        /\ executedUpTo[s] >= 0
        /\ \A k \in 1..Len(executed[s]) : executed[s][k] \in Value
        /\ \A i \in DOMAIN prepares[s] :
            /\ IsInstance(i) /\ prepares[s][i].bal >= 1 /\ prepares[s][i].heard \subseteq Server
            /\ prepares[s][i].vote = NoVote \/ IsVote(prepares[s][i].vote)
        /\ \A i \in DOMAIN accepts[s] :
            /\ IsInstance(i) /\ accepts[s][i].bal >= 0 /\ accepts[s][i].val \in Command
            /\ accepts[s][i].heard \subseteq Server
    /\ \A m \in DOMAIN messages : messages[m] >= 1 /\ m.mtype \in Messages

\* What is known to be chosen: every server's learned instances, the LEARN
\* messages in flight, and the SKIPs in flight (the no-op).
Known ==
    UNION {{[inst |-> i, val |-> learned[s][i]] : i \in DOMAIN learned[s]} : s \in Server}
    \cup {[inst |-> m.minst, val |-> m.mval] : m \in {x \in DOMAIN messages : x.mtype = "learn"}}
    \cup UNION {{[inst |-> i, val |-> NoOp] : i \in m.minsts} :
                    m \in {x \in DOMAIN messages : x.mtype = "skip"}}

\* At most one value is chosen per instance: no two servers (nor messages)
\* disagree on one.
OneValuePerInstance == \A d, e \in Known : d.inst = e.inst => d.val = e.val

\* s is a prefix of t. (Named apart from ReplicatedLog's IsPrefix, which the
\* models that check the refinement extend beside this module.)
PrefixOf(s, t) == Len(s) <= Len(t) /\ SubSeq(t, 1, Len(s)) = s

\* Every two servers executed the same commands in the same order, one being
\* at most behind the other.
ExecutedPrefixAgree ==
    \A p, q \in Server : PrefixOf(executed[p], executed[q]) \/ PrefixOf(executed[q], executed[p])

\* A skipped instance is never executed as a command: what a server executed
\* in an instance its owner skipped is the no-op.
SkippedNeverExecuted ==
    \A p \in Server : \A i \in DOMAIN learned[p] :
        (i <= executedUpTo[p] /\ i \in skipped[Owner(i)]) => learned[p][i] = NoOp

\* An owner never suggests in an instance it has skipped: no ballot-0 vote,
\* SUGGEST in flight or ballot-0 round exists for a skipped instance.
OwnerNeverSuggestsSkipped ==
    /\ \A a \in Server : \A i \in DOMAIN accepted[a] :
           accepted[a][i].bal = 0 => i \notin skipped[Owner(i)]
    /\ \A m \in DOMAIN messages : m.mtype = "suggest" => m.minst \notin skipped[m.msource]
    /\ \A p \in Server : \A i \in DOMAIN accepts[p] :
           accepts[p][i].bal = 0 => i \notin skipped[p]

\* An acceptor never holds a vote above its promise.
VoteBelowPromise ==
    \A a \in Server : \A i \in DOMAIN accepted[a] : accepted[a][i].bal <= Promised(a, i)

\* A vote is chosen once a majority of acceptors hold it.
Chosen(i, w) == Majority({a \in Server : VoteOf(a, i) = w})

\* Every vote, PROPOSE in flight and round in instance i at a ballot above
\* one at which a value was chosen there carries that value: a revoker's
\* phase 1 learns what may have been chosen (BugRevokeWithoutRead and
\* BugNoPromise break exactly this).
ChosenIsKept ==
    \A i \in UNION {DOMAIN accepted[a] : a \in Server} :
        \A w \in {accepted[a][i] : a \in {x \in Server : i \in DOMAIN accepted[x]}} :
            Chosen(i, w) =>
                /\ \A a \in Server : VoteOf(a, i).bal > w.bal => VoteOf(a, i).val = w.val
                /\ \A m \in DOMAIN messages :
                       (m.mtype = "propose" /\ m.minst = i /\ m.mbal > w.bal) => m.mval = w.val
                /\ \A p \in Server :
                       (i \in DOMAIN accepts[p] /\ accepts[p][i].bal > w.bal) =>
                           accepts[p][i].val = w.val

\* Promises only grow (an action property: checked on every step).
PromisesGrowStep ==
    \A a \in Server : \A i \in DOMAIN promised[a] :
        i \in DOMAIN promised'[a] /\ promised[a][i] <= promised'[a][i]
PromisesGrow == [][PromisesGrowStep]_vars

=============================================================================
