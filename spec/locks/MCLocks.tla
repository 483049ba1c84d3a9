------------------------------- MODULE MCLocks -------------------------------
(***************************************************************************)
(* Finite models of the lock service: the spec plus bounds on time and on *)
(* failovers, and a choice of the faults each model explores (each one     *)
(* multiplies the state space).                                            *)
(***************************************************************************)
EXTENDS Locks

CONSTANTS
    MaxTime,    \* real time stops here
    MaxGen,     \* no lock gets past this generation
    Faults,     \* subset of {"loss", "duplicate", "failover"}: answers, requests
                \* and grants lost; a release request handled with a copy still on
                \* its way; a new master taking over
    Writers,    \* the clients that write to the resource
    KeepAlivers \* the clients that send KeepAlives

StateConstraint == now <= MaxTime /\ \A l \in Lock : gen[l] <= MaxGen

BoundedTick == now < MaxTime /\ Tick

\* Every session is opened at time 0 (when one opens makes no difference to
\* the properties: any later start is a shift of time).
OpenAtStart(c) == now = 0 /\ CreateSession(c)
FaultFailover == "failover" \in Faults /\ Failover

\* The fault actions, enabled only when the model explores that fault.
FaultLoseKeepAlive(c) == "loss" \in Faults /\ LoseKeepAlive(c)
FaultLoseRequest(r) == "loss" \in Faults /\ LoseRequest(r)
FaultHandleReleaseCopy(r) == "duplicate" \in Faults /\ HandleReleaseCopy(r)
FaultLoseGrant(m) == "loss" \in Faults /\ LoseGrant(m)

\* Next restricted to the bounds and to the faults this model explores.
MCNext ==
    \/ BoundedTick
    \/ \E c \in Client : OpenAtStart(c)
    \/ \E c \in KeepAlivers : KeepAlive(c)
    \/ \E c \in Client : ReceiveKeepAlive(c)
    \/ \E c \in Client : FaultLoseKeepAlive(c)
    \/ \E c \in Client : ExpireSession(c)
    \/ \E c \in Client : ClientSessionLost(c)
    \/ FaultFailover
    \/ \E c \in Client : \E l \in Lock : \E m \in Mode : Acquire(c, l, m)
    \/ \E l \in Lock : \E w \in waiting[l] : GrantLock(l, w)
    \/ \E m \in grants : ReceiveGrant(m)
    \/ \E c \in Client : \E l \in Lock : Release(c, l)
    \/ \E r \in requests : HandleRelease(r)
    \/ \E r \in requests : FaultHandleReleaseCopy(r)
    \/ \E r \in requests : FaultLoseRequest(r)
    \/ \E m \in grants : FaultLoseGrant(m)
    \/ \E c \in Writers : \E l \in Lock : SendWrite(c, l)
    \/ \E w \in writes : AcceptWrite(w)
    \/ \E w \in writes : RejectWrite(w)

=============================================================================
