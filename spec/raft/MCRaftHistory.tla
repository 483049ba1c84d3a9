----------------------------- MODULE MCRaftHistory -----------------------------
(***************************************************************************)
(* MCRaft with history variables: what has happened so far, kept beside    *)
(* the spec's own variables so that invariants can be stated as the        *)
(* literature states them, and Raft can be checked as a refinement of the  *)
(* abstract replicated log (../ReplicatedLog.tla).                         *)
(*                                                                         *)
(*   elections  every election won: [term, leader, log at election]      *)
(*              (Ongaro's `elections`);                                    *)
(*   commits    every entry a leader committed: [index, term the leader   *)
(*              committed it in, entry] (etcd's commit history);           *)
(*   chosen     the decided log of commands, the abstract state of         *)
(*              ReplicatedLog (a restarted server forgets its commit       *)
(*              index, so the spec's variables alone do not determine it). *)
(*                                                                         *)
(* HistoryNext is MCNext with every action followed by RecordHistory,      *)
(* which reads the step's before and after states and changes nothing of   *)
(* Raft's: every behaviour of this module is a behaviour of MCRaft with    *)
(* the history added, and Raft.tla's actions and variables (those a trace  *)
(* logs) are untouched.                                                    *)
(***************************************************************************)
EXTENDS MCRaft, ReplicatedLog

\* One declaration; the embedded checker's copy merges it with Raft's.
VARIABLES elections, commits, chosen

historyVars == <<elections, commits, chosen>>

-----------------------------------------------------------------------------
(* The refinement mapping to ReplicatedLog *)

\* What each server has committed, as commands (CommandOf: an entry without
\* its term): the first commitIndex of its snapshot and log (never past
\* their end, which CommitIndexInLog checks).
\* (Written out rather than through CommandsOf: the embedded checker fails
\* on CommandsOf applied to the primed variables here.)
KnownOf(xsnap, xlog, xcommit) ==
    [i \in Server |->
        [k \in 1..Min(xcommit[i], LastIndexOf(xsnap[i], xlog[i])) |->
            IF k <= xsnap[i].index THEN xsnap[i].value[k]
            ELSE CommandOf(xlog[i][k - xsnap[i].index])]]

\* The abstract state is <<chosen, KnownOf(snapshot, log, commitIndex)>>.
RefinesReplicatedLog ==
    [][RLNext(chosen, KnownOf(snapshot, log, commitIndex),
              chosen', KnownOf(snapshot', log', commitIndex'))]_<<chosen, log, commitIndex, snapshot>>

-----------------------------------------------------------------------------
(* History *)

HistoryInit ==
    /\ Init
    /\ elections = {}
    /\ commits   = {}
    /\ chosen    = <<>>

\* Reads a step of Raft and records it.
RecordHistory ==
    /\ elections' = elections \cup
          {[term |-> currentTerm'[i], leader |-> i, snapshot |-> snapshot'[i], log |-> log'[i]] :
              i \in {s \in Server : state[s] # "Leader" /\ state'[s] = "Leader"}}
    /\ commits' = commits \cup
          UNION {{[index |-> k, term |-> currentTerm[i], entry |-> EntryAt(i, k)] :
                     k \in (commitIndex[i] + 1)..commitIndex'[i]} :
                 i \in {s \in Server : state[s] = "Leader" /\ commitIndex'[s] > commitIndex[s]}}
    /\ chosen' = RLExtend(chosen, KnownOf(snapshot', log', commitIndex'))

HFaultRestart(i)                 == FaultRestart(i) /\ RecordHistory
HTimeout(i)                      == Timeout(i) /\ RecordHistory
HRequestVote(i, j)               == RequestVote(i, j) /\ RecordHistory
HBecomeLeader(i)                 == BecomeLeader(i) /\ RecordHistory
HClientRequest(i, v)             == ClientRequest(i, v) /\ RecordHistory
HReconfigure(i, newSet)          == Reconfigure(i, newSet) /\ RecordHistory
HAppendNewConfig(i)              == AppendNewConfig(i) /\ RecordHistory
HAppendEntries(i, j)             == AppendEntries(i, j) /\ RecordHistory
HInstallSnapshot(i, j)           == InstallSnapshot(i, j) /\ RecordHistory
HCompactLog(i)                   == MCCompactLog(i) /\ RecordHistory
HAdvanceCommitIndex(i)           == AdvanceCommitIndex(i) /\ RecordHistory
HUpdateTerm(m)                   == UpdateTerm(m) /\ RecordHistory
HHandleRequestVoteRequest(m)     == HandleRequestVoteRequest(m) /\ RecordHistory
HHandleRequestVoteResponse(m)    == HandleRequestVoteResponse(m) /\ RecordHistory
HHandleAppendEntriesRequest(m)   == HandleAppendEntriesRequest(m) /\ RecordHistory
HHandleAppendEntriesResponse(m)  == HandleAppendEntriesResponse(m) /\ RecordHistory
HHandleInstallSnapshotRequest(m) == HandleInstallSnapshotRequest(m) /\ RecordHistory
HDropStaleResponse(m)            == DropStaleResponse(m) /\ RecordHistory
HFaultDropMessage(m)             == FaultDropMessage(m) /\ RecordHistory
HFaultDuplicateMessage(m)        == FaultDuplicateMessage(m) /\ RecordHistory

\* MCNext, each action followed by RecordHistory.
HistoryNext ==
    \/ \E i \in Server : HFaultRestart(i)
    \/ \E i \in Server : HTimeout(i)
    \/ \E i, j \in Server : HRequestVote(i, j)
    \/ \E i \in Server : HBecomeLeader(i)
    \/ \E i \in Server, v \in Value : HClientRequest(i, v)
    \/ \E i \in Server, newSet \in NewConfigs : HReconfigure(i, newSet)
    \/ \E i \in Server : HAppendNewConfig(i)
    \/ \E i, j \in Server : HAppendEntries(i, j)
    \/ \E i, j \in Server : HInstallSnapshot(i, j)
    \/ \E i \in Server : HCompactLog(i)
    \/ \E i \in Server : HAdvanceCommitIndex(i)
    \/ \E m \in DOMAIN messages : HUpdateTerm(m)
    \/ \E m \in DOMAIN messages : HHandleRequestVoteRequest(m)
    \/ \E m \in DOMAIN messages : HHandleRequestVoteResponse(m)
    \/ \E m \in DOMAIN messages : HHandleAppendEntriesRequest(m)
    \/ \E m \in DOMAIN messages : HHandleAppendEntriesResponse(m)
    \/ \E m \in DOMAIN messages : HHandleInstallSnapshotRequest(m)
    \/ \E m \in DOMAIN messages : HDropStaleResponse(m)
    \/ \E m \in DOMAIN messages : HFaultDropMessage(m)
    \/ \E m \in DOMAIN messages : HFaultDuplicateMessage(m)

\* MCRaft's ProtocolView with the history (which the invariants read).
HistoryView == <<ProtocolView, historyVars>>

-----------------------------------------------------------------------------
(* Invariants over the history *)

\* Leader Completeness as the Raft paper states it: an entry committed in
\* term t is in the log of the leader of every term after t (checked on the
\* snapshot and log each leader had when elected, the command where the
\* snapshot covers the index; a leader only appends afterwards, which
\* LeaderAppendOnly checks).
LeaderCompletenessPaper ==
    \A c \in commits, e \in elections :
        e.term > c.term =>
            /\ c.index <= LastIndexOf(e.snapshot, e.log)
            /\ IF c.index <= e.snapshot.index
               THEN e.snapshot.value[c.index] = CommandOf(c.entry)
               ELSE e.log[c.index - e.snapshot.index] = c.entry
=============================================================================
