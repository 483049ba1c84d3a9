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
(* Log compaction: a server may replace the committed prefix of its log by *)
(* a snapshot (the last included index and term, the configuration in      *)
(* force there, and the state machine's value, abstracted as the commands  *)
(* applied so far, as ReplicatedLog sees them). log[i] then holds only the *)
(* entries after snapshot[i].index, so every index into it is offset by    *)
(* the snapshot. A leader that no longer holds the entries a follower      *)
(* needs sends it its snapshot (InstallSnapshot).                          *)
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
    BugForgetVote,       \* votedFor is not kept across Restart
    BugInstallOldSnapshot \* install a snapshot older than what is committed

\* All spec variables in one declaration (the embedded checker keeps only
\* the last VARIABLES line of a module).
VARIABLES currentTerm, state, votedFor, log, commitIndex, votesGranted, nextIndex, matchIndex, messages, snapshot

serverVars    == <<currentTerm, state, votedFor>>
candidateVars == <<votesGranted>>
leaderVars    == <<nextIndex, matchIndex>>
logVars       == <<log, commitIndex, snapshot>>
vars == <<currentTerm, state, votedFor, log, commitIndex, votesGranted, nextIndex, matchIndex, messages, snapshot>>

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

\* A command of the replicated state machine: an entry without the term it
\* was created in (a client value, or a configuration).
CommandOf(e) == [value |-> e.value, old |-> e.old, new |-> e.new]

\* A snapshot: the last index and term it includes, the configuration in
\* force at that index (new = {}: none but the initial one, as for log
\* entries), and the state machine's value there (the commands of entries
\* 1..index). Every server starts from the empty one.
InitSnapshot == [index |-> 0, term |-> 0, old |-> {}, new |-> {}, value |-> <<>>]

\* Indexes: server i holds entries snapshot[i].index + 1 .. LastIndex(i).
LastIndexOf(sn, xlog) == sn.index + Len(xlog)
LastIndex(i) == LastIndexOf(snapshot[i], log[i])
\* The entry at index k > snapshot[i].index, and the term at any index from
\* the snapshot's on.
EntryAt(i, k) == log[i][k - snapshot[i].index]
TermAt(i, k) == IF k = snapshot[i].index THEN snapshot[i].term ELSE EntryAt(i, k).term
LastTerm(i) == TermAt(i, LastIndex(i))

\* The commands of entries 1..n of a snapshot and the log after it, and the
\* command at one index.
CommandsOf(sn, xlog, n) ==
    [k \in 1..n |-> IF k <= sn.index THEN sn.value[k] ELSE CommandOf(xlog[k - sn.index])]
CommandAt(i, k) ==
    IF k <= snapshot[i].index THEN snapshot[i].value[k] ELSE CommandOf(EntryAt(i, k))

\* Index in xlog of its latest configuration entry, 0 if there is none.
LogConfigIndex(xlog) ==
    LET idx == {k \in 1..Len(xlog) : IsConfigEntry(xlog[k])}
    IN  IF idx = {} THEN 0 ELSE MaxOf(idx)

\* The configuration xlog puts in force after snapshot sn, as the snapshot
\* records it: xlog's latest configuration entry, committed or not, else
\* the snapshot's (new = {} when there has been none).
SnapshotConfigIn(sn, xlog) ==
    LET k == LogConfigIndex(xlog)
    IN  IF k = 0 THEN [old |-> sn.old, new |-> sn.new]
                 ELSE [old |-> xlog[k].old, new |-> xlog[k].new]

\* The same configuration, the initial one where there has been none.
ConfigIn(sn, xlog) ==
    LET c == SnapshotConfigIn(sn, xlog)
    IN  IF c.new = {} THEN [old |-> InitConfig, new |-> InitConfig] ELSE c

\* Index of server i's latest configuration entry (its snapshot's index when
\* the configuration in force comes from the snapshot), and that
\* configuration.
LastConfigIndex(i) == snapshot[i].index + LogConfigIndex(log[i])
Config(i) == ConfigIn(snapshot[i], log[i])
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
    \/ LastConfigIndex(i) > commitIndex[i]

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
    /\ snapshot     = [i \in Server |-> InitSnapshot]

-----------------------------------------------------------------------------
(* Server actions *)

\* Server i crashes and restarts: the persistent state (currentTerm,
\* votedFor, snapshot, log) survives on disk, everything else is rebuilt;
\* what the snapshot holds is committed, so the commit index restarts there.
Restart(i) ==
    /\ state'        = [state EXCEPT ![i] = "Follower"]
    /\ votedFor'     = IF BugForgetVote THEN [votedFor EXCEPT ![i] = Nil] ELSE votedFor
    /\ votesGranted' = [votesGranted EXCEPT ![i] = {}]
    /\ nextIndex'    = [nextIndex EXCEPT ![i] = [j \in Server |-> 1]]
    /\ matchIndex'   = [matchIndex EXCEPT ![i] = [j \in Server |-> 0]]
    /\ commitIndex'  = [commitIndex EXCEPT ![i] = snapshot[i].index]
    /\ UNCHANGED <<currentTerm, log, messages, snapshot>>

\* Server i's election timer fires (failure detection: it has heard from no
\* leader): it starts an election in the next term and votes for itself.
Timeout(i) ==
    /\ state[i] \in {"Follower", "Candidate"}
    /\ MayStandForElection(i)
    /\ currentTerm'  = [currentTerm EXCEPT ![i] = @ + 1]
    /\ state'        = [state EXCEPT ![i] = "Candidate"]
    /\ votedFor'     = [votedFor EXCEPT ![i] = i]
    /\ votesGranted' = [votesGranted EXCEPT ![i] = {i}]
    /\ UNCHANGED <<logVars, leaderVars, messages>>

\* Candidate i sends j a RequestVote RPC.
RequestVote(i, j) ==
    /\ state[i] = "Candidate"
    /\ j \in Members(Config(i)) \ votesGranted[i]
    /\ Send([mtype         |-> "RequestVoteRequest",
             mterm         |-> currentTerm[i],
             mlastLogTerm  |-> LastTerm(i),
             mlastLogIndex |-> LastIndex(i),
             msource       |-> i,
             mdest         |-> j])
    /\ UNCHANGED <<serverVars, candidateVars, leaderVars, logVars>>

\* Candidate i has votes from a quorum of its configuration (of both sets
\* while joint) and becomes leader.
BecomeLeader(i) ==
    /\ state[i] = "Candidate"
    /\ IsQuorum(Config(i), votesGranted[i])
    /\ state'      = [state EXCEPT ![i] = "Leader"]
    /\ nextIndex'  = [nextIndex EXCEPT ![i] = [j \in Server |-> LastIndex(i) + 1]]
    /\ matchIndex' = [matchIndex EXCEPT ![i] = [j \in Server |-> 0]]
    /\ UNCHANGED <<currentTerm, votedFor, candidateVars, logVars, messages>>

\* Leader i receives a client command v and appends it to its log.
ClientRequest(i, v) ==
    /\ state[i] = "Leader"
    /\ log' = [log EXCEPT ![i] = Append(@, ValueEntry(currentTerm[i], v))]
    /\ UNCHANGED <<serverVars, candidateVars, leaderVars, commitIndex, messages, snapshot>>

\* An operator asks leader i to move to member set newSet: it appends the
\* joint configuration C(old,new). One change at a time: the current
\* configuration must be simple and its entry committed.
Reconfigure(i, newSet) ==
    /\ state[i] = "Leader"
    /\ ~IsJoint(Config(i))
    /\ LastConfigIndex(i) <= commitIndex[i]
    /\ newSet # Config(i).new
    /\ LET entry == IF BugOneStepReconfig
                    THEN ConfigEntry(currentTerm[i], newSet, newSet)
                    ELSE ConfigEntry(currentTerm[i], Config(i).new, newSet)
       IN  log' = [log EXCEPT ![i] = Append(@, entry)]
    /\ UNCHANGED <<serverVars, candidateVars, leaderVars, commitIndex, messages, snapshot>>

\* Leader i sees its joint configuration C(old,new) committed and appends
\* C(new), ending the joint phase.
AppendNewConfig(i) ==
    /\ state[i] = "Leader"
    /\ IsJoint(Config(i))
    /\ LastConfigIndex(i) <= commitIndex[i]
    /\ log' = [log EXCEPT ![i] = Append(@, ConfigEntry(currentTerm[i], Config(i).new, Config(i).new))]
    /\ UNCHANGED <<serverVars, candidateVars, leaderVars, commitIndex, messages, snapshot>>

\* Leader i sends j an AppendEntries RPC with at most one entry (an empty
\* one is a heartbeat that carries the commit index), if it still holds the
\* entry before nextIndex[i][j] (or that index is its snapshot's).
AppendEntries(i, j) ==
    /\ i # j
    /\ state[i] = "Leader"
    /\ j \in Members(Config(i))
    /\ nextIndex[i][j] > snapshot[i].index
    /\ LET prevLogIndex == nextIndex[i][j] - 1
           prevLogTerm  == TermAt(i, prevLogIndex)
           lastEntry    == Min(LastIndex(i), nextIndex[i][j])
           entries      == SubSeq(log[i], nextIndex[i][j] - snapshot[i].index,
                                  lastEntry - snapshot[i].index)
       IN  Send([mtype         |-> "AppendEntriesRequest",
                 mterm         |-> currentTerm[i],
                 mprevLogIndex |-> prevLogIndex,
                 mprevLogTerm  |-> prevLogTerm,
                 mentries      |-> entries,
                 mcommitIndex  |-> Min(commitIndex[i], lastEntry),
                 msource       |-> i,
                 mdest         |-> j])
    /\ UNCHANGED <<serverVars, candidateVars, leaderVars, logVars>>

\* Leader i no longer holds the entry before nextIndex[i][j] (its snapshot
\* covers it): it sends j its snapshot instead.
InstallSnapshot(i, j) ==
    /\ i # j
    /\ state[i] = "Leader"
    /\ j \in Members(Config(i))
    /\ nextIndex[i][j] <= snapshot[i].index
    /\ Send([mtype     |-> "InstallSnapshotRequest",
             mterm     |-> currentTerm[i],
             msnapshot |-> snapshot[i],
             msource   |-> i,
             mdest     |-> j])
    /\ UNCHANGED <<serverVars, candidateVars, leaderVars, logVars>>

\* Server i compacts its log: the committed prefix up to commitIndex[i]
\* becomes its snapshot, and its log keeps the entries after it.
CompactLog(i) ==
    LET c == commitIndex[i]
        n == c - snapshot[i].index
        cfg == SnapshotConfigIn(snapshot[i], SubSeq(log[i], 1, n))
    IN
    /\ c > snapshot[i].index
    /\ snapshot' = [snapshot EXCEPT ![i] =
           [index |-> c, term |-> TermAt(i, c), old |-> cfg.old, new |-> cfg.new,
            value |-> CommandsOf(snapshot[i], log[i], c)]]
    /\ log' = [log EXCEPT ![i] = SubSeq(@, n + 1, Len(@))]
    /\ UNCHANGED <<serverVars, candidateVars, leaderVars, commitIndex, messages>>

\* The indexes leader i may commit: replicated on a quorum of its current
\* configuration and (the Raft rule) holding an entry of its own term.
CommittableIndexes(i) ==
    LET Agree(k) == {i} \cup {j \in Server : matchIndex[i][j] >= k}
    IN  {k \in (commitIndex[i] + 1)..LastIndex(i) :
            /\ IsQuorum(Config(i), Agree(k))
            /\ BugOldTermCommit \/ EntryAt(i, k).term = currentTerm[i]}

\* Leader i advances its commit index. A leader that is not a member of
\* C(new) steps down once C(new) is committed.
AdvanceCommitIndex(i) ==
    /\ state[i] = "Leader"
    /\ CommittableIndexes(i) # {}
    /\ LET newCommit == MaxOf(CommittableIndexes(i))
           c         == Config(i)
           removed   == /\ ~IsJoint(c)
                        /\ i \notin c.new
                        /\ LastConfigIndex(i) <= newCommit
       IN  /\ commitIndex' = [commitIndex EXCEPT ![i] = newCommit]
           /\ state' = IF removed THEN [state EXCEPT ![i] = "Follower"] ELSE state
    /\ UNCHANGED <<currentTerm, votedFor, candidateVars, leaderVars, log, messages, snapshot>>

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
        logOk == \/ m.mlastLogTerm > LastTerm(i)
                 \/ /\ m.mlastLogTerm = LastTerm(i)
                    /\ m.mlastLogIndex >= LastIndex(i)
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
\* that hears from the leader of its term returns to follower. An index
\* before i's snapshot is committed at i, so the entries there match the
\* leader's: i accepts without a change and reports its snapshot's index.
HandleAppendEntriesRequest(m) ==
    LET i == m.mdest
        j == m.msource
        prev == m.mprevLogIndex
        base == snapshot[i].index
        compacted == prev < base
        logOk == \/ prev = 0
                 \/ compacted
                 \/ /\ prev <= LastIndex(i)
                    /\ TermAt(i, prev) = m.mprevLogTerm
        accept == /\ m.mterm = currentTerm[i]
                  /\ state[i] # "Leader"
                  /\ logOk
        \* The log after accepting: unchanged if it already holds the entry,
        \* else cut after prev and extended with the new entry.
        newLog == IF compacted \/ m.mentries = <<>> \/
                     (LastIndex(i) > prev /\ EntryAt(i, prev + 1).term = m.mentries[1].term)
                  THEN log[i]
                  ELSE SubSeq(log[i], 1, prev - base) \o m.mentries
        matchIdx == IF compacted THEN base ELSE prev + Len(m.mentries)
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
    /\ UNCHANGED <<currentTerm, votedFor, candidateVars, leaderVars, snapshot>>

\* Server i receives a leader's snapshot. Of a stale term it is rejected;
\* otherwise i becomes a follower and, if the snapshot goes past what i has
\* committed, installs it: it keeps the entries after the snapshot's index
\* if it holds that index with the snapshot's term (they match the
\* leader's), else drops its whole log, and commits up to the snapshot.
\* The answer is an AppendEntries response: matched up to the snapshot.
HandleInstallSnapshotRequest(m) ==
    LET i == m.mdest
        j == m.msource
        sn == m.msnapshot
        accept == m.mterm = currentTerm[i]
        install == /\ accept
                   /\ BugInstallOldSnapshot \/ sn.index > commitIndex[i]
        keep == /\ sn.index >= snapshot[i].index
                /\ sn.index < LastIndex(i)
                /\ TermAt(i, sn.index) = sn.term
    IN
    /\ m \in DOMAIN messages
    /\ m.mtype = "InstallSnapshotRequest"
    /\ m.mterm <= currentTerm[i]
    /\ ~(m.mterm = currentTerm[i] /\ state[i] = "Leader")
    /\ state' = IF accept THEN [state EXCEPT ![i] = "Follower"] ELSE state
    /\ IF install
       THEN /\ snapshot' = [snapshot EXCEPT ![i] = sn]
            /\ log' = [log EXCEPT ![i] =
                   IF keep THEN SubSeq(@, sn.index - snapshot[i].index + 1, Len(@)) ELSE <<>>]
            /\ commitIndex' = [commitIndex EXCEPT ![i] = sn.index]
       ELSE UNCHANGED logVars
    /\ Reply([mtype       |-> "AppendEntriesResponse",
              mterm       |-> currentTerm[i],
              msuccess    |-> accept,
              mmatchIndex |-> IF accept THEN sn.index ELSE 0,
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
    \/ \E i, j \in Server : InstallSnapshot(i, j)
    \/ \E i \in Server : CompactLog(i)
    \/ \E i \in Server : AdvanceCommitIndex(i)
    \/ \E m \in DOMAIN messages : UpdateTerm(m)
    \/ \E m \in DOMAIN messages : HandleRequestVoteRequest(m)
    \/ \E m \in DOMAIN messages : HandleRequestVoteResponse(m)
    \/ \E m \in DOMAIN messages : HandleAppendEntriesRequest(m)
    \/ \E m \in DOMAIN messages : HandleAppendEntriesResponse(m)
    \/ \E m \in DOMAIN messages : HandleInstallSnapshotRequest(m)
    \/ \E m \in DOMAIN messages : DropStaleResponse(m)
    \/ \E m \in DOMAIN messages : DropMessage(m)
    \/ \E m \in DOMAIN messages : DuplicateMessage(m)

Spec == Init /\ [][Next]_vars

-----------------------------------------------------------------------------
(* Invariants and properties *)

Entry == [term : Nat, value : Value \cup {Nil}, old : SUBSET Server, new : SUBSET Server]
Command == [value : Value \cup {Nil}, old : SUBSET Server, new : SUBSET Server]

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
    /\ \A i \in Server :
          /\ snapshot[i].index = Len(snapshot[i].value)
          /\ snapshot[i].term \in Nat
          /\ snapshot[i].old \in SUBSET Server /\ snapshot[i].new \in SUBSET Server
          /\ \A k \in 1..snapshot[i].index : snapshot[i].value[k] \in Command

\* At most one leader per term, whatever configurations the servers use.
ElectionSafety ==
    \A i, j \in Server :
        (i # j /\ state[i] = "Leader" /\ state[j] = "Leader") => currentTerm[i] # currentTerm[j]

\* Servers i and j agree on indexes 1..n: both hold them, with the same
\* commands, and the same entries (terms included) wherever neither has
\* compacted them into its snapshot. Without snapshots this is
\* SubSeq(log[i], 1, n) = SubSeq(log[j], 1, n).
AgreeUpTo(i, j, n) ==
    LET b == Max(snapshot[i].index, snapshot[j].index)
        m == Min(n, b)
    IN  /\ n <= LastIndex(i)
        /\ n <= LastIndex(j)
        /\ CommandsOf(snapshot[i], log[i], m) = CommandsOf(snapshot[j], log[j], m)
        /\ SubSeq(log[i], b - snapshot[i].index + 1, n - snapshot[i].index) =
           SubSeq(log[j], b - snapshot[j].index + 1, n - snapshot[j].index)

\* Two logs holding an entry with the same index and term are identical up
\* to that index.
LogMatching ==
    \A i, j \in Server :
        \A k \in (Max(snapshot[i].index, snapshot[j].index) + 1)..Min(LastIndex(i), LastIndex(j)) :
            EntryAt(i, k).term = EntryAt(j, k).term => AgreeUpTo(i, j, k)

\* An entry committed in term t is in the log of every leader of a later
\* term. Server i knows an entry as committed once commitIndex[i] covers it;
\* it was committed in a term no later than currentTerm[i], so every leader
\* of a term after currentTerm[i] must hold i's whole committed prefix.
LeaderCompleteness ==
    \A i, l \in Server :
        (state[l] = "Leader" /\ currentTerm[l] > currentTerm[i]) =>
            AgreeUpTo(l, i, commitIndex[i])

\* A server never knows more entries as committed than its log holds, nor
\* fewer than its snapshot holds.
CommitIndexInLog ==
    \A i \in Server : snapshot[i].index <= commitIndex[i] /\ commitIndex[i] <= LastIndex(i)

\* Server a's log is at least as up to date as server b's (the voting rule's
\* comparison).
AtLeastAsUpToDate(a, b) ==
    \/ LastTerm(a) > LastTerm(b)
    \/ LastTerm(a) = LastTerm(b) /\ LastIndex(a) >= LastIndex(b)

\* The inductive core of LeaderCompleteness: every server that could win an
\* election right now (one that may stand for election and whose log is at
\* least as up to date as those of a quorum of its configuration) holds
\* every committed entry.
\* A violation shows a committed entry about to be lost one election
\* before a leader actually overwrites it.
ElectableLeaderComplete ==
    \A s \in Server :
        (/\ MayStandForElection(s)
         /\ IsQuorum(Config(s), {q \in Server : AtLeastAsUpToDate(s, q)})) =>
            \A i \in Server : AgreeUpTo(s, i, commitIndex[i])

\* Servers apply the entries up to their commit index in order; no two of
\* them apply different entries at the same index.
StateMachineSafety ==
    \A i, j \in Server : AgreeUpTo(i, j, Min(commitIndex[i], commitIndex[j]))

\* Server s holds the entry server i has at index k (its command, and the
\* entry itself where neither has compacted it).
HoldsEntryOf(s, i, k) ==
    /\ k <= LastIndex(s)
    /\ CommandAt(s, k) = CommandAt(i, k)
    /\ (k > snapshot[s].index /\ k > snapshot[i].index) => EntryAt(s, k) = EntryAt(i, k)

\* Committed entries survive every configuration change: for every entry a
\* server knows as committed, the servers that do not hold it never form a
\* quorum of the configuration (old, joint or new) of any server that holds
\* it. (A server that lacks the entry may still use a stale configuration in
\* which the lacking servers are a quorum, but its log is behind, so that
\* quorum can elect no one: ElectableLeaderComplete covers that side.)
CommittedEntriesSurviveReconfig ==
    \A i \in Server : \A k \in 1..commitIndex[i] :
        LET holds(s) == HoldsEntryOf(s, i, k)
            lacking  == {s \in Server : ~holds(s)}
        IN  \A j \in Server : holds(j) => ~IsQuorum(Config(j), lacking)

\* A leader never overwrites or deletes entries in its own log (an action
\* property: checked on every step): it may only compact a prefix into its
\* snapshot, and the entries it holds before and after a step agree.
LeaderAppendOnlyStep ==
    \A i \in Server :
        (state[i] = "Leader" /\ state'[i] = "Leader" /\ currentTerm'[i] = currentTerm[i]) =>
            LET s1 == snapshot[i]
                s2 == snapshot'[i]
                b  == Max(s1.index, s2.index)
            IN  /\ s2.index >= s1.index
                /\ LastIndexOf(s2, log'[i]) >= LastIndexOf(s1, log[i])
                /\ SubSeq(log'[i], b - s2.index + 1, LastIndexOf(s1, log[i]) - s2.index) =
                   SubSeq(log[i], b - s1.index + 1, Len(log[i]))
LeaderAppendOnly == [][LeaderAppendOnlyStep]_vars

=============================================================================
