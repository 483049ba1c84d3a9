--------------------------------- MODULE Raft ---------------------------------
(***************************************************************************)
(* Raft with joint-consensus reconfiguration.                             *)
(*                                                                         *)
(* The shape follows Ongaro's raft.tla (messages as a bag, one entry per   *)
(* AppendEntries, handlers that take the message they consume), extended   *)
(* with configuration entries stored in the log: a server always uses the  *)
(* latest configuration in its log, committed or not, and while that       *)
(* configuration is joint, C(old,new), elections and commitment need a     *)
(* majority of the old AND a majority of the new set.                      *)
(*                                                                         *)
(* Each action is one event of a real server or of the network; its        *)
(* comment says which. src/raft has one TypeScript transition per action,  *)
(* same name in camelCase.                                                 *)
(*                                                                         *)
(* The Bug* constants switch on classic mistakes so that the models in     *)
(* this folder can show TLC refuting them; every correct model sets them   *)
(* all to FALSE.                                                           *)
(***************************************************************************)
EXTENDS Naturals, Sequences, FiniteSets, TLC

CONSTANTS
    Server,       \* the set of all servers that may ever be members
    Value,        \* client commands
    InitConfig,   \* the members when every log is empty
    NewConfigs,   \* member sets a reconfiguration may move to
    Nil           \* "no vote", "no value"

CONSTANTS
    BugOldTermCommit,    \* commit by counting replicas of an earlier-term entry
    BugNoLogCheck,       \* grant votes without the log-completeness check
    BugOneStepReconfig,  \* change configuration in one step, skipping C(old,new)
    BugForgetVote        \* votedFor is not kept across Restart

\* All spec variables in one declaration (the embedded checker keeps only
\* the last VARIABLES line of a module).
VARIABLES currentTerm, state, votedFor, log, commitIndex, votesGranted, nextIndex, matchIndex, messages

serverVars    == <<currentTerm, state, votedFor>>
candidateVars == <<votesGranted>>
leaderVars    == <<nextIndex, matchIndex>>
logVars       == <<log, commitIndex>>
vars == <<currentTerm, state, votedFor, log, commitIndex, votesGranted, nextIndex, matchIndex, messages>>

-----------------------------------------------------------------------------
(* Helpers *)

Min(a, b) == IF a < b THEN a ELSE b
Max(a, b) == IF a > b THEN a ELSE b
MaxOf(S) == CHOOSE x \in S : \A y \in S : y <= x

\* Log entries have one record shape: a client value (old = new = {}) or a
\* configuration (value = Nil, new # {}); old # new marks the joint C(old,new).
ValueEntry(t, v) == [term |-> t, value |-> v, old |-> {}, new |-> {}]
ConfigEntry(t, o, n) == [term |-> t, value |-> Nil, old |-> o, new |-> n]
IsConfigEntry(e) == e.new # {}

LastTerm(xlog) == IF Len(xlog) = 0 THEN 0 ELSE xlog[Len(xlog)].term

\* Index of the latest configuration entry in a log, 0 if there is none.
LastConfigIndex(xlog) ==
    LET idx == {k \in 1..Len(xlog) : IsConfigEntry(xlog[k])}
    IN  IF idx = {} THEN 0 ELSE MaxOf(idx)

\* The configuration a log puts in force: its latest configuration entry,
\* committed or not, else the initial one.
ConfigOf(xlog) ==
    LET k == LastConfigIndex(xlog)
    IN  IF k = 0 THEN [old |-> InitConfig, new |-> InitConfig]
                 ELSE [old |-> xlog[k].old, new |-> xlog[k].new]

Config(i) == ConfigOf(log[i])
IsJoint(c) == c.old # c.new
Members(c) == c.old \cup c.new

\* Server i stands for election when it is a member of its configuration, or
\* when that configuration excludes it but i does not know it committed: a
\* server that C(new) removes may still be needed (for a quorum of C(old,new))
\* until C(new) is committed (Ongaro's thesis, 4.2.2). Its own vote counts only
\* where it is a member (IsQuorum). A server never in any configuration it
\* holds (an empty log outside InitConfig) stays out.
MayStandForElection(i) ==
    \/ i \in Members(Config(i))
    \/ LastConfigIndex(log[i]) > commitIndex[i]

\* S is a quorum of c: a majority of the old set and a majority of the new set
\* (the same set twice when c is not joint).
IsQuorum(c, S) ==
    /\ 2 * Cardinality(S \cap c.old) > Cardinality(c.old)
    /\ 2 * Cardinality(S \cap c.new) > Cardinality(c.new)

\* Messages in flight form a bag: a function from message to its copy count.
WithMessage(m, msgs) ==
    IF m \in DOMAIN msgs THEN [msgs EXCEPT ![m] = @ + 1] ELSE msgs @@ (m :> 1)
WithoutMessage(m, msgs) ==
    IF msgs[m] > 1 THEN [msgs EXCEPT ![m] = @ - 1]
                   ELSE [x \in DOMAIN msgs \ {m} |-> msgs[x]]
Send(m) == messages' = WithMessage(m, messages)
Discard(m) == messages' = WithoutMessage(m, messages)
Reply(response, request) ==
    messages' = WithoutMessage(request, WithMessage(response, messages))

MessageCount == LET RECURSIVE Sum(_)
                    Sum(D) == IF D = {} THEN 0
                              ELSE LET m == CHOOSE x \in D : TRUE
                                   IN  messages[m] + Sum(D \ {m})
                IN  Sum(DOMAIN messages)

-----------------------------------------------------------------------------
(* Initial state: every server a follower in term 0 with an empty log. *)

Init ==
    /\ currentTerm  = [i \in Server |-> 0]
    /\ state        = [i \in Server |-> "Follower"]
    /\ votedFor     = [i \in Server |-> Nil]
    /\ log          = [i \in Server |-> <<>>]
    /\ commitIndex  = [i \in Server |-> 0]
    /\ votesGranted = [i \in Server |-> {}]
    /\ nextIndex    = [i \in Server |-> [j \in Server |-> 1]]
    /\ matchIndex   = [i \in Server |-> [j \in Server |-> 0]]
    /\ messages     = [m \in {} |-> 0]

-----------------------------------------------------------------------------
(* Server actions *)

\* Server i crashes and restarts: the persistent state (currentTerm,
\* votedFor, log) survives on disk, everything else is rebuilt.
Restart(i) ==
    /\ state'        = [state EXCEPT ![i] = "Follower"]
    /\ votedFor'     = IF BugForgetVote THEN [votedFor EXCEPT ![i] = Nil] ELSE votedFor
    /\ votesGranted' = [votesGranted EXCEPT ![i] = {}]
    /\ nextIndex'    = [nextIndex EXCEPT ![i] = [j \in Server |-> 1]]
    /\ matchIndex'   = [matchIndex EXCEPT ![i] = [j \in Server |-> 0]]
    /\ commitIndex'  = [commitIndex EXCEPT ![i] = 0]
    /\ UNCHANGED <<currentTerm, log, messages>>

\* Server i's election timer fires (failure detection: it has heard from no
\* leader): it starts an election in the next term and votes for itself.
Timeout(i) ==
    /\ state[i] \in {"Follower", "Candidate"}
    /\ MayStandForElection(i)
    /\ currentTerm'  = [currentTerm EXCEPT ![i] = @ + 1]
    /\ state'        = [state EXCEPT ![i] = "Candidate"]
    /\ votedFor'     = [votedFor EXCEPT ![i] = i]
    /\ votesGranted' = [votesGranted EXCEPT ![i] = {i}]
    /\ UNCHANGED <<log, commitIndex, leaderVars, messages>>

\* Candidate i sends j a RequestVote RPC.
RequestVote(i, j) ==
    /\ state[i] = "Candidate"
    /\ j \in Members(Config(i)) \ votesGranted[i]
    /\ Send([mtype         |-> "RequestVoteRequest",
             mterm         |-> currentTerm[i],
             mlastLogTerm  |-> LastTerm(log[i]),
             mlastLogIndex |-> Len(log[i]),
             msource       |-> i,
             mdest         |-> j])
    /\ UNCHANGED <<serverVars, candidateVars, leaderVars, logVars>>

\* Candidate i has votes from a quorum of its configuration (of both sets
\* while joint) and becomes leader.
BecomeLeader(i) ==
    /\ state[i] = "Candidate"
    /\ IsQuorum(Config(i), votesGranted[i])
    /\ state'      = [state EXCEPT ![i] = "Leader"]
    /\ nextIndex'  = [nextIndex EXCEPT ![i] = [j \in Server |-> Len(log[i]) + 1]]
    /\ matchIndex' = [matchIndex EXCEPT ![i] = [j \in Server |-> 0]]
    /\ UNCHANGED <<currentTerm, votedFor, candidateVars, logVars, messages>>

\* Leader i receives a client command v and appends it to its log.
ClientRequest(i, v) ==
    /\ state[i] = "Leader"
    /\ log' = [log EXCEPT ![i] = Append(@, ValueEntry(currentTerm[i], v))]
    /\ UNCHANGED <<serverVars, candidateVars, leaderVars, commitIndex, messages>>

\* An operator asks leader i to move to member set newSet: it appends the
\* joint configuration C(old,new). One change at a time: the current
\* configuration must be simple and its entry committed.
Reconfigure(i, newSet) ==
    /\ state[i] = "Leader"
    /\ ~IsJoint(Config(i))
    /\ LastConfigIndex(log[i]) <= commitIndex[i]
    /\ newSet # Config(i).new
    /\ LET entry == IF BugOneStepReconfig
                    THEN ConfigEntry(currentTerm[i], newSet, newSet)
                    ELSE ConfigEntry(currentTerm[i], Config(i).new, newSet)
       IN  log' = [log EXCEPT ![i] = Append(@, entry)]
    /\ UNCHANGED <<serverVars, candidateVars, leaderVars, commitIndex, messages>>

\* Leader i sees its joint configuration C(old,new) committed and appends
\* C(new), ending the joint phase.
AppendNewConfig(i) ==
    /\ state[i] = "Leader"
    /\ IsJoint(Config(i))
    /\ LastConfigIndex(log[i]) <= commitIndex[i]
    /\ log' = [log EXCEPT ![i] = Append(@, ConfigEntry(currentTerm[i], Config(i).new, Config(i).new))]
    /\ UNCHANGED <<serverVars, candidateVars, leaderVars, commitIndex, messages>>

\* Leader i sends j an AppendEntries RPC with at most one entry (an empty
\* one is a heartbeat that carries the commit index).
AppendEntries(i, j) ==
    /\ i # j
    /\ state[i] = "Leader"
    /\ j \in Members(Config(i))
    /\ LET prevLogIndex == nextIndex[i][j] - 1
           prevLogTerm  == IF prevLogIndex > 0 THEN log[i][prevLogIndex].term ELSE 0
           lastEntry    == Min(Len(log[i]), nextIndex[i][j])
           entries      == SubSeq(log[i], nextIndex[i][j], lastEntry)
       IN  Send([mtype         |-> "AppendEntriesRequest",
                 mterm         |-> currentTerm[i],
                 mprevLogIndex |-> prevLogIndex,
                 mprevLogTerm  |-> prevLogTerm,
                 mentries      |-> entries,
                 mcommitIndex  |-> Min(commitIndex[i], lastEntry),
                 msource       |-> i,
                 mdest         |-> j])
    /\ UNCHANGED <<serverVars, candidateVars, leaderVars, logVars>>

\* The indexes leader i may commit: replicated on a quorum of its current
\* configuration and (the Raft rule) holding an entry of its own term.
CommittableIndexes(i) ==
    LET Agree(k) == {i} \cup {j \in Server : matchIndex[i][j] >= k}
    IN  {k \in (commitIndex[i] + 1)..Len(log[i]) :
            /\ IsQuorum(Config(i), Agree(k))
            /\ BugOldTermCommit \/ log[i][k].term = currentTerm[i]}

\* Leader i advances its commit index. A leader that is not a member of
\* C(new) steps down once C(new) is committed.
AdvanceCommitIndex(i) ==
    /\ state[i] = "Leader"
    /\ CommittableIndexes(i) # {}
    /\ LET newCommit == MaxOf(CommittableIndexes(i))
           c         == Config(i)
           removed   == /\ ~IsJoint(c)
                        /\ i \notin c.new
                        /\ LastConfigIndex(log[i]) <= newCommit
       IN  /\ commitIndex' = [commitIndex EXCEPT ![i] = newCommit]
           /\ state' = IF removed THEN [state EXCEPT ![i] = "Follower"] ELSE state
    /\ UNCHANGED <<currentTerm, votedFor, candidateVars, leaderVars, log, messages>>

-----------------------------------------------------------------------------
(* Message handlers. Each takes the message it consumes; the receiver is  *)
(* m.mdest and the sender m.msource.                                       *)

\* Any RPC with a newer term makes the receiver a follower in that term;
\* the message itself is then handled by one of the actions below.
UpdateTerm(m) ==
    LET i == m.mdest IN
    /\ m \in DOMAIN messages
    /\ m.mterm > currentTerm[i]
    /\ currentTerm' = [currentTerm EXCEPT ![i] = m.mterm]
    /\ state'       = [state EXCEPT ![i] = "Follower"]
    /\ votedFor'    = [votedFor EXCEPT ![i] = Nil]
    /\ UNCHANGED <<candidateVars, leaderVars, logVars, messages>>

\* Server i answers a RequestVote: it grants its vote iff the term is its
\* own, it has not voted for someone else in this term, and the
\* candidate's log is at least as up to date as its own.
HandleRequestVoteRequest(m) ==
    LET i == m.mdest
        j == m.msource
        logOk == \/ m.mlastLogTerm > LastTerm(log[i])
                 \/ /\ m.mlastLogTerm = LastTerm(log[i])
                    /\ m.mlastLogIndex >= Len(log[i])
        grant == /\ m.mterm = currentTerm[i]
                 /\ BugNoLogCheck \/ logOk
                 /\ votedFor[i] \in {Nil, j}
    IN
    /\ m \in DOMAIN messages
    /\ m.mtype = "RequestVoteRequest"
    /\ m.mterm <= currentTerm[i]
    /\ votedFor' = IF grant THEN [votedFor EXCEPT ![i] = j] ELSE votedFor
    /\ Reply([mtype        |-> "RequestVoteResponse",
              mterm        |-> currentTerm[i],
              mvoteGranted |-> grant,
              msource      |-> i,
              mdest        |-> j], m)
    /\ UNCHANGED <<currentTerm, state, candidateVars, leaderVars, logVars>>

\* Server i receives a vote response of its current term; a candidate
\* counts a granted vote.
HandleRequestVoteResponse(m) ==
    LET i == m.mdest IN
    /\ m \in DOMAIN messages
    /\ m.mtype = "RequestVoteResponse"
    /\ m.mterm = currentTerm[i]
    /\ votesGranted' = IF state[i] = "Candidate" /\ m.mvoteGranted
                       THEN [votesGranted EXCEPT ![i] = @ \cup {m.msource}]
                       ELSE votesGranted
    /\ Discard(m)
    /\ UNCHANGED <<serverVars, leaderVars, logVars>>

\* Server i receives an AppendEntries RPC. It rejects a stale term or a log
\* that does not contain the entry before the new ones (the consistency
\* check); otherwise it deletes a conflicting entry and everything after it,
\* appends the new entry, and learns the leader's commit index. A candidate
\* that hears from the leader of its term returns to follower.
HandleAppendEntriesRequest(m) ==
    LET i == m.mdest
        j == m.msource
        prev == m.mprevLogIndex
        logOk == \/ prev = 0
                 \/ /\ prev <= Len(log[i])
                    /\ log[i][prev].term = m.mprevLogTerm
        accept == /\ m.mterm = currentTerm[i]
                  /\ state[i] # "Leader"
                  /\ logOk
        \* The log after accepting: unchanged if it already holds the entry,
        \* else cut after prev and extended with the new entry.
        newLog == IF m.mentries = <<>> \/
                     (Len(log[i]) > prev /\ log[i][prev + 1].term = m.mentries[1].term)
                  THEN log[i]
                  ELSE SubSeq(log[i], 1, prev) \o m.mentries
        matchIdx == prev + Len(m.mentries)
    IN
    /\ m \in DOMAIN messages
    /\ m.mtype = "AppendEntriesRequest"
    /\ m.mterm <= currentTerm[i]
    /\ ~(m.mterm = currentTerm[i] /\ state[i] = "Leader")
    /\ state' = IF m.mterm = currentTerm[i] THEN [state EXCEPT ![i] = "Follower"] ELSE state
    /\ log' = IF accept THEN [log EXCEPT ![i] = newLog] ELSE log
    /\ commitIndex' = IF accept
                      THEN [commitIndex EXCEPT ![i] = Max(@, m.mcommitIndex)]
                      ELSE commitIndex
    /\ Reply([mtype       |-> "AppendEntriesResponse",
              mterm       |-> currentTerm[i],
              msuccess    |-> accept,
              mmatchIndex |-> IF accept THEN matchIdx ELSE 0,
              msource     |-> i,
              mdest       |-> j], m)
    /\ UNCHANGED <<currentTerm, votedFor, candidateVars, leaderVars>>

\* Leader i receives an AppendEntries response of its current term: on
\* success it records how far j's log matches, on failure it backs up
\* nextIndex by one and will retry.
HandleAppendEntriesResponse(m) ==
    LET i == m.mdest
        j == m.msource
    IN
    /\ m \in DOMAIN messages
    /\ m.mtype = "AppendEntriesResponse"
    /\ m.mterm = currentTerm[i]
    /\ IF state[i] # "Leader"
       THEN UNCHANGED leaderVars
       ELSE IF m.msuccess
       THEN /\ nextIndex'  = [nextIndex EXCEPT ![i][j] = m.mmatchIndex + 1]
            /\ matchIndex' = [matchIndex EXCEPT ![i][j] = m.mmatchIndex]
       ELSE /\ nextIndex'  = [nextIndex EXCEPT ![i][j] = Max(@ - 1, 1)]
            /\ UNCHANGED matchIndex
    /\ Discard(m)
    /\ UNCHANGED <<serverVars, candidateVars, logVars>>

\* A response from an older term is ignored.
DropStaleResponse(m) ==
    /\ m \in DOMAIN messages
    /\ m.mtype \in {"RequestVoteResponse", "AppendEntriesResponse"}
    /\ m.mterm < currentTerm[m.mdest]
    /\ Discard(m)
    /\ UNCHANGED <<serverVars, candidateVars, leaderVars, logVars>>

-----------------------------------------------------------------------------
(* Network faults *)

\* The network loses one copy of m.
DropMessage(m) ==
    /\ m \in DOMAIN messages
    /\ Discard(m)
    /\ UNCHANGED <<serverVars, candidateVars, leaderVars, logVars>>

\* The network delivers m twice.
DuplicateMessage(m) ==
    /\ m \in DOMAIN messages
    /\ Send(m)
    /\ UNCHANGED <<serverVars, candidateVars, leaderVars, logVars>>

-----------------------------------------------------------------------------

Next ==
    \/ \E i \in Server : Restart(i)
    \/ \E i \in Server : Timeout(i)
    \/ \E i, j \in Server : RequestVote(i, j)
    \/ \E i \in Server : BecomeLeader(i)
    \/ \E i \in Server, v \in Value : ClientRequest(i, v)
    \/ \E i \in Server, newSet \in NewConfigs : Reconfigure(i, newSet)
    \/ \E i \in Server : AppendNewConfig(i)
    \/ \E i, j \in Server : AppendEntries(i, j)
    \/ \E i \in Server : AdvanceCommitIndex(i)
    \/ \E m \in DOMAIN messages : UpdateTerm(m)
    \/ \E m \in DOMAIN messages : HandleRequestVoteRequest(m)
    \/ \E m \in DOMAIN messages : HandleRequestVoteResponse(m)
    \/ \E m \in DOMAIN messages : HandleAppendEntriesRequest(m)
    \/ \E m \in DOMAIN messages : HandleAppendEntriesResponse(m)
    \/ \E m \in DOMAIN messages : DropStaleResponse(m)
    \/ \E m \in DOMAIN messages : DropMessage(m)
    \/ \E m \in DOMAIN messages : DuplicateMessage(m)

Spec == Init /\ [][Next]_vars

-----------------------------------------------------------------------------
(* Invariants and properties *)

Entry == [term : Nat, value : Value \cup {Nil}, old : SUBSET Server, new : SUBSET Server]

TypeOK ==
    /\ currentTerm  \in [Server -> Nat]
    /\ state        \in [Server -> {"Follower", "Candidate", "Leader"}]
    /\ votedFor     \in [Server -> Server \cup {Nil}]
    /\ \A i \in Server : \A k \in 1..Len(log[i]) : log[i][k] \in Entry
    /\ commitIndex  \in [Server -> Nat]
    /\ votesGranted \in [Server -> SUBSET Server]
    /\ nextIndex    \in [Server -> [Server -> Nat \ {0}]]
    /\ matchIndex   \in [Server -> [Server -> Nat]]
    /\ \A m \in DOMAIN messages : messages[m] \in Nat \ {0}

\* At most one leader per term, whatever configurations the servers use.
ElectionSafety ==
    \A i, j \in Server :
        (i # j /\ state[i] = "Leader" /\ state[j] = "Leader") => currentTerm[i] # currentTerm[j]

\* Two logs holding an entry with the same index and term are identical up
\* to that index.
LogMatching ==
    \A i, j \in Server : \A k \in 1..Min(Len(log[i]), Len(log[j])) :
        log[i][k].term = log[j][k].term =>
            SubSeq(log[i], 1, k) = SubSeq(log[j], 1, k)

\* An entry committed in term t is in the log of every leader of a later
\* term. Server i knows an entry as committed once commitIndex[i] covers it;
\* it was committed in a term no later than currentTerm[i], so every leader
\* of a term after currentTerm[i] must hold i's whole committed prefix.
LeaderCompleteness ==
    \A i, l \in Server :
        (state[l] = "Leader" /\ currentTerm[l] > currentTerm[i]) =>
            /\ commitIndex[i] <= Len(log[l])
            /\ SubSeq(log[l], 1, commitIndex[i]) = SubSeq(log[i], 1, commitIndex[i])

\* A server never knows more entries as committed than its log holds.
CommitIndexInLog == \A i \in Server : commitIndex[i] <= Len(log[i])

\* log1 is at least as up to date as log2 (the voting rule's comparison).
AtLeastAsUpToDate(log1, log2) ==
    \/ LastTerm(log1) > LastTerm(log2)
    \/ LastTerm(log1) = LastTerm(log2) /\ Len(log1) >= Len(log2)

\* The inductive core of LeaderCompleteness: every server that could win an
\* election right now (one that may stand for election and whose log is at
\* least as up to date as those of a quorum of its configuration) holds
\* every committed entry.
\* A violation shows a committed entry about to be lost one election
\* before a leader actually overwrites it.
ElectableLeaderComplete ==
    \A i, s \in Server :
        (/\ MayStandForElection(s)
         /\ IsQuorum(Config(s), {q \in Server : AtLeastAsUpToDate(log[s], log[q])})) =>
            /\ commitIndex[i] <= Len(log[s])
            /\ SubSeq(log[s], 1, commitIndex[i]) = SubSeq(log[i], 1, commitIndex[i])

\* Servers apply the entries up to their commit index in order; no two of
\* them apply different entries at the same index.
StateMachineSafety ==
    \A i, j \in Server : \A k \in 1..Min(commitIndex[i], commitIndex[j]) :
        log[i][k] = log[j][k]

\* Committed entries survive every configuration change: for every entry a
\* server knows as committed, the servers that do not hold it never form a
\* quorum of the configuration (old, joint or new) of any server that holds
\* it. (A server that lacks the entry may still use a stale configuration in
\* which the lacking servers are a quorum, but its log is behind, so that
\* quorum can elect no one: ElectableLeaderComplete covers that side.)
CommittedEntriesSurviveReconfig ==
    \A i \in Server : \A k \in 1..commitIndex[i] :
        LET holds(s) == k <= Len(log[s]) /\ log[s][k] = log[i][k]
            lacking  == {s \in Server : ~holds(s)}
        IN  \A j \in Server : holds(j) => ~IsQuorum(Config(j), lacking)

\* A leader never overwrites or deletes entries in its own log (an action
\* property: checked on every step).
LeaderAppendOnlyStep ==
    \A i \in Server :
        (state[i] = "Leader" /\ state'[i] = "Leader" /\ currentTerm'[i] = currentTerm[i]) =>
            /\ Len(log'[i]) >= Len(log[i])
            /\ SubSeq(log'[i], 1, Len(log[i])) = log[i]
LeaderAppendOnly == [][LeaderAppendOnlyStep]_vars

=============================================================================
