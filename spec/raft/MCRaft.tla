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
    Faults         \* subset of {"restart", "drop", "duplicate"}

\* Explore only states within the bounds (a state outside them is neither
\* checked nor expanded).
StateConstraint ==
    /\ \A i \in Server : currentTerm[i] <= MaxTerm /\ Len(log[i]) <= MaxLogLen
    /\ MessageCount <= MaxMessages

\* A narrower search for the models that hunt one specific bug: at most one
\* election in progress at a time. Every run it admits is a run of Raft.
OneCandidateAtATime ==
    \A i, j \in Server : (state[i] = "Candidate" /\ state[j] = "Candidate") => i = j

\* Servers are interchangeable in models whose configurations name no server
\* in particular (InitConfig = Server, no reconfiguration).
ServerSymmetry == Permutations(Server)

\* The fault actions, enabled only when the model explores that fault.
FaultRestart(i) == "restart" \in Faults /\ Restart(i)
FaultDropMessage(m) == "drop" \in Faults /\ DropMessage(m)
FaultDuplicateMessage(m) == "duplicate" \in Faults /\ DuplicateMessage(m)

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
    \/ \E i \in Server : AdvanceCommitIndex(i)
    \/ \E m \in DOMAIN messages : UpdateTerm(m)
    \/ \E m \in DOMAIN messages : HandleRequestVoteRequest(m)
    \/ \E m \in DOMAIN messages : HandleRequestVoteResponse(m)
    \/ \E m \in DOMAIN messages : HandleAppendEntriesRequest(m)
    \/ \E m \in DOMAIN messages : HandleAppendEntriesResponse(m)
    \/ \E m \in DOMAIN messages : DropStaleResponse(m)
    \/ \E m \in DOMAIN messages : FaultDropMessage(m)
    \/ \E m \in DOMAIN messages : FaultDuplicateMessage(m)
\* Reachability witness, not a safety property: "no server ever commits a
\* configuration C(new) reached through a joint configuration". A model
\* expects TLC to refute it, which shows the models really do get through
\* a whole reconfiguration instead of passing vacuously.
ReconfigNeverCompletes ==
    ~\E i \in Server :
        /\ LastConfigIndex(log[i]) > 1
        /\ LastConfigIndex(log[i]) <= commitIndex[i]
        /\ ~IsJoint(Config(i))
===============================================================================
