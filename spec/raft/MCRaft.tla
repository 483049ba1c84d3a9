-------------------------------- MODULE MCRaft --------------------------------
(***************************************************************************)
(* Finite models of Raft: the spec plus bounds that keep TLC's search      *)
(* finite, and a choice of which faults the model explores (each fault     *)
(* multiplies the state space; the deep model enables them all).           *)
(***************************************************************************)
EXTENDS Raft

CONSTANTS
    MaxTerm,       \* no server goes past this term
    MaxLogLen,     \* no log grows past this length
    MaxMessages,   \* no more messages than this in flight (copies counted)
    Faults,        \* subset of {"restart", "drop", "duplicate"}
    Compaction     \* whether servers compact their logs into snapshots

\* Explore only states within the bounds (a state outside them is neither
\* checked nor expanded).
StateConstraint ==
    /\ \A i \in Server : currentTerm[i] <= MaxTerm /\ LastIndex(i) <= MaxLogLen
    /\ MessageCount <= MaxMessages

\* A narrower search for the models that hunt one specific bug: at most one
\* election in progress at a time. Every run it admits is a run of Raft.
OneCandidateAtATime ==
    \A i, j \in Server : (state[i] = "Candidate" /\ state[j] = "Candidate") => i = j

\* No split votes: in each term at most one server stands for election
\* (votedFor[i] = i is how a candidate's own vote shows, and it persists).
\* The runs left are the runs of Raft whose election timers never fire
\* together; elections still fail and restart through lost messages,
\* crashes and newer terms.
OneCandidatePerTerm ==
    \A i, j \in Server :
        (votedFor[i] = i /\ votedFor[j] = j /\ currentTerm[i] = currentTerm[j]) => i = j

\* Servers are interchangeable in models whose configurations name no server
\* in particular (InitConfig = Server, no reconfiguration).
ServerSymmetry == Permutations(Server)

\* Servers and client values are interchangeable (models with two values).
ServerValueSymmetry == Permutations(Server) \cup Permutations(Value)

\* What TLC compares to tell states apart (VIEW): everything, except the
\* votes a server that is no longer a candidate counted and the nextIndex and
\* matchIndex of a server that is not a leader. No action reads those (a
\* server rebuilds them when it becomes candidate or leader, and a response
\* changes them only at a candidate or leader), so two states that differ
\* only there have the same futures: the view merges behaviours of the
\* protocol, it never invents one.
ProtocolView ==
    <<currentTerm, state, votedFor, log, commitIndex,
      [i \in Server |-> IF state[i] = "Candidate" THEN votesGranted[i] ELSE {}],
      [i \in Server |-> IF state[i] = "Leader" THEN nextIndex[i] ELSE [j \in Server |-> 1]],
      [i \in Server |-> IF state[i] = "Leader" THEN matchIndex[i] ELSE [j \in Server |-> 0]],
      messages, snapshot>>

\* Symmetry of models that remove one server: InitConfig = Server, one
\* new configuration, the servers that stay interchangeable.
StayingSymmetry == Permutations(UNION NewConfigs)

\* At most two copies of any message in flight (a duplicate, not a flood).
AtMostTwoCopies == \A m \in DOMAIN messages : messages[m] <= 2

\* A per-receiver bound instead of a global one: at most one distinct message
\* in flight to each server (its copies count against MaxMessages). A
\* candidate's vote requests, a leader's AppendEntries to every follower and
\* the answers of the others are still in flight together, in any order.
OneMessagePerReceiver ==
    \A j \in Server : Cardinality({m \in DOMAIN messages : m.mdest = j}) <= 1

\* No message is sent again while a copy of it is still in flight (models
\* without duplication: a resent RequestVote or heartbeat identical to one
\* in flight adds nothing the first copy cannot do, except to be delivered
\* twice, which is what DuplicateMessage explores where it is enabled).
OneCopy == \A m \in DOMAIN messages : messages[m] = 1

\* The fault actions, enabled only when the model explores that fault.
FaultRestart(i) == "restart" \in Faults /\ Restart(i)
FaultDropMessage(m) == "drop" \in Faults /\ DropMessage(m)
FaultDuplicateMessage(m) == "duplicate" \in Faults /\ DuplicateMessage(m)

\* Compaction, enabled only in the models that explore it (without it no
\* snapshot is taken, so InstallSnapshot is never enabled either).
MCCompactLog(i) == Compaction /\ CompactLog(i)

\* Next restricted to the faults this model explores.
MCNext ==
    \/ \E i \in Server : FaultRestart(i)
    \/ \E i \in Server : Timeout(i)
    \/ \E i, j \in Server : RequestVote(i, j)
    \/ \E i \in Server : BecomeLeader(i)
    \/ \E i \in Server, v \in Value : ClientRequest(i, v)
    \/ \E i \in Server, newSet \in NewConfigs : Reconfigure(i, newSet)
    \/ \E i \in Server : AppendNewConfig(i)
    \/ \E i, j \in Server : AppendEntries(i, j)
    \/ \E i, j \in Server : InstallSnapshot(i, j)
    \/ \E i \in Server : MCCompactLog(i)
    \/ \E i \in Server : AdvanceCommitIndex(i)
    \/ \E m \in DOMAIN messages : UpdateTerm(m)
    \/ \E m \in DOMAIN messages : HandleRequestVoteRequest(m)
    \/ \E m \in DOMAIN messages : HandleRequestVoteResponse(m)
    \/ \E m \in DOMAIN messages : HandleAppendEntriesRequest(m)
    \/ \E m \in DOMAIN messages : HandleAppendEntriesResponse(m)
    \/ \E m \in DOMAIN messages : HandleInstallSnapshotRequest(m)
    \/ \E m \in DOMAIN messages : DropStaleResponse(m)
    \/ \E m \in DOMAIN messages : FaultDropMessage(m)
    \/ \E m \in DOMAIN messages : FaultDuplicateMessage(m)
\* Reachability witness, not a safety property: "no server ever commits a
\* configuration C(new) reached through a joint configuration". A model
\* expects TLC to refute it, which shows the models really do get through
\* a whole reconfiguration instead of passing vacuously.
ReconfigNeverCompletes ==
    ~\E i \in Server :
        /\ LastConfigIndex(i) > 1
        /\ LastConfigIndex(i) <= commitIndex[i]
        /\ ~IsJoint(Config(i))
===============================================================================
