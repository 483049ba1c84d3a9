-------------------------------- MODULE Locks --------------------------------
(***************************************************************************)
(* A lock service in the style of Chubby (Burrows, OSDI'06), as a state    *)
(* machine on a replicated log, with time.                                 *)
(*                                                                         *)
(* The service (the master of a cell). Its replicated state, each change   *)
(* of which is one command of the log (../ReplicatedLog.tla): the          *)
(* sessions, the locks (holders, mode, generation, waiters, lock-delay)    *)
(* and each session's lease as logged when the session was created. Its    *)
(* volatile state: each session's current lease, which KeepAlives extend   *)
(* without a log write (putting every KeepAlive on the consensus path is   *)
(* what Chubby avoids), so a new master does not know it.                  *)
(*                                                                         *)
(* Time. `now` is real time, and the master's clock. Each client has its   *)
(* own clock, within Drift of real time (NTP-disciplined clocks: bounded   *)
(* error, free to wander inside it). A client measures its lease from its  *)
(* own clock at the time it sent the request, and shortens it by           *)
(* 2 * Drift: its clock may run Drift behind at the end and Drift ahead    *)
(* at the start. A client may pause for any length of time: TLA+ lets any  *)
(* of its actions wait while time goes on.                                 *)
(*                                                                         *)
(* Clients. A session is created once per client, kept alive by KeepAlive  *)
(* (one request at a time), and in jeopardy once the client's lease has    *)
(* passed on its own clock: it stops using its locks and waits a grace     *)
(* period for a KeepAlive answer before it gives the session up. A client  *)
(* that believes it holds a lock writes to a downstream resource with the  *)
(* lock's sequencer (lock, generation); the resource checks the sequencer  *)
(* with the service (Chubby's CheckSequencer) and refuses a stale one.     *)
(*                                                                         *)
(* The network. A KeepAlive and an acquire reach the master when sent (a   *)
(* request that waits only makes the master act later, which the client's  *)
(* own timing already allows for); their answers travel, and may be late   *)
(* or lost. A release request may arrive more than once (a client retries  *)
(* an unlock it got no answer to): it names the generation it releases, so *)
(* a late copy cannot release a newer grant.                               *)
(*                                                                         *)
(* Bugs, each a constant (FALSE: the protocol as described):               *)
(*   BugNoFencing                 the resource accepts any sequencer;      *)
(*   BugGrantWithoutSessionCheck  a waiter is granted the lock without     *)
(*                                re-checking its session (etcd#11456);    *)
(*   BugReleaseByName             a release frees the lock by name,        *)
(*                                whoever holds it now (etcd#22082);       *)
(*   BugNoLeaseExtension          a new master restores each lease from    *)
(*                                the log instead of extending it to the   *)
(*                                most the old master may have granted;    *)
(*   BugNoDriftMargin             the client does not shorten its lease by *)
(*                                the clock-error bound.                   *)
(***************************************************************************)
EXTENDS Naturals, FiniteSets

CONSTANTS
    Client,       \* the clients
    Lock,         \* the lock names
    Mode,         \* the modes clients ask for: a subset of {"exclusive", "shared"}
    Lease,        \* lease length, in ticks
    Grace,        \* how long a client in jeopardy waits before giving up
    LockDelay,    \* how long a lock whose holder's session expired stays ungrantable
    Drift,        \* a client's clock is within Drift of real time
    BugNoFencing,
    BugGrantWithoutSessionCheck,
    BugReleaseByName,
    BugNoLeaseExtension,
    BugNoDriftMargin

\* One declaration (the embedded checker keeps only the last of several).
VARIABLES now, clock, session, lease, loggedLease, holders, mode, gen, waiting, delayUntil, cs, expiry, ka, kaSent, held, requests, grants, writes, resource

vars == <<now, clock, session, lease, loggedLease, holders, mode, gen, waiting, delayUntil, cs, expiry, ka, kaSent, held, requests, grants, writes, resource>>

-----------------------------------------------------------------------------
(* Helpers *)

Max(a, b) == IF a >= b THEN a ELSE b

\* How much shorter than the master's a client takes its lease to be.
Margin == IF BugNoDriftMargin THEN 0 ELSE 2 * Drift

\* The client believes its session valid: its lease has not passed on its
\* own clock. (Past it and within Grace, the session is in jeopardy.)
SessionValid(c) == cs[c] = "live" /\ clock[c] < expiry[c]

\* The client believes it holds lock l (under generation held[c][l]).
Believes(c, l) == SessionValid(c) /\ held[c][l] > 0

\* A lock can be granted in mode m: it is free, or shared and asked shared.
Compatible(l, m) == holders[l] = {} \/ (mode[l] = "shared" /\ m = "shared")

\* The sequencer the service would accept for lock l right now: c holds l
\* under generation g.
Current(c, l, g) == c \in holders[l] /\ gen[l] = g

-----------------------------------------------------------------------------
(* Messages *)

ReleaseRequest(c, l, g) == [client |-> c, lock |-> l, gen |-> g]
Grant(c, l, g) == [client |-> c, lock |-> l, gen |-> g]
Write(c, l, g) == [client |-> c, lock |-> l, gen |-> g]
NoWrite == [client |-> "none", gen |-> 0, stale |-> FALSE]

-----------------------------------------------------------------------------
(* Initial state *)

Init ==
    /\ now = 0
    /\ clock = [c \in Client |-> 0]
    /\ session = [c \in Client |-> "none"]
    /\ lease = [c \in Client |-> 0]
    /\ loggedLease = [c \in Client |-> 0]
    /\ holders = [l \in Lock |-> {}]
    /\ mode = [l \in Lock |-> "none"]
    /\ gen = [l \in Lock |-> 0]
    /\ waiting = [l \in Lock |-> {}]
    /\ delayUntil = [l \in Lock |-> 0]
    /\ cs = [c \in Client |-> "none"]
    /\ expiry = [c \in Client |-> 0]
    /\ ka = [c \in Client |-> "idle"]
    /\ kaSent = [c \in Client |-> 0]
    /\ held = [c \in Client |-> [l \in Lock |-> 0]]
    /\ requests = {}
    /\ grants = {}
    /\ writes = {}
    /\ resource = [l \in Lock |-> NoWrite]

-----------------------------------------------------------------------------
(* Time *)

\* Real time advances by one tick; each client's clock by 0, 1 or 2, staying
\* within Drift of real time.
Tick ==
    /\ now' = now + 1
    /\ clock' \in {f \in [Client -> Max(0, now + 1 - Drift)..(now + 1 + Drift)] :
                      \A c \in Client : f[c] \in clock[c]..(clock[c] + 2)}
    /\ UNCHANGED <<session, lease, loggedLease, holders, mode, gen, waiting, delayUntil, cs, expiry, ka, kaSent, held, requests, grants, writes, resource>>

-----------------------------------------------------------------------------
(* Sessions *)

\* Client c opens its session; the master logs it with a lease from now,
\* and the client takes it to end a margin earlier on its own clock.
CreateSession(c) ==
    /\ cs[c] = "none"
    /\ cs' = [cs EXCEPT ![c] = "live"]
    /\ session' = [session EXCEPT ![c] = "live"]
    /\ lease' = [lease EXCEPT ![c] = now + Lease]
    /\ loggedLease' = [loggedLease EXCEPT ![c] = now + Lease]
    /\ expiry' = [expiry EXCEPT ![c] = clock[c] + Lease - Margin]
    /\ UNCHANGED <<now, clock, holders, mode, gen, waiting, delayUntil, ka, kaSent, held, requests, grants, writes, resource>>

\* Client c sends a KeepAlive, noting its own clock's time; the master
\* extends the live session's lease to a full lease from now (not logged)
\* and answers.
KeepAlive(c) ==
    /\ cs[c] = "live"
    /\ ka[c] = "idle"
    /\ session[c] = "live"
    /\ now < lease[c]
    /\ lease' = [lease EXCEPT ![c] = now + Lease]
    /\ ka' = [ka EXCEPT ![c] = "answered"]
    /\ kaSent' = [kaSent EXCEPT ![c] = clock[c]]
    /\ UNCHANGED <<now, clock, session, loggedLease, holders, mode, gen, waiting, delayUntil, cs, expiry, held, requests, grants, writes, resource>>

\* The answer reaches the client (in jeopardy or not, before it gave up):
\* its lease now ends a full lease, less the margin, after it sent the
\* request, on its own clock.
ReceiveKeepAlive(c) ==
    /\ ka[c] = "answered"
    /\ ka' = [ka EXCEPT ![c] = "idle"]
    /\ kaSent' = [kaSent EXCEPT ![c] = 0]
    /\ expiry' = [expiry EXCEPT ![c] =
                     IF cs[c] = "live" THEN Max(expiry[c], kaSent[c] + Lease - Margin)
                     ELSE expiry[c]]
    /\ UNCHANGED <<now, clock, session, lease, loggedLease, holders, mode, gen, waiting, delayUntil, cs, held, requests, grants, writes, resource>>

\* A KeepAlive's answer is lost.
LoseKeepAlive(c) ==
    /\ ka[c] # "idle"
    /\ ka' = [ka EXCEPT ![c] = "idle"]
    /\ kaSent' = [kaSent EXCEPT ![c] = 0]
    /\ UNCHANGED <<now, clock, session, lease, loggedLease, holders, mode, gen, waiting, delayUntil, cs, expiry, held, requests, grants, writes, resource>>

\* The master ends a session whose lease has passed: its locks are freed,
\* and those it held stay ungrantable for LockDelay (for resources that
\* cannot check sequencers).
ExpireSession(c) ==
    /\ session[c] = "live"
    /\ now >= lease[c]
    /\ session' = [session EXCEPT ![c] = "ended"]
    /\ lease' = [lease EXCEPT ![c] = 0]
    /\ holders' = [l \in Lock |-> holders[l] \ {c}]
    /\ mode' = [l \in Lock |-> IF holders[l] \ {c} = {} THEN "none" ELSE mode[l]]
    /\ delayUntil' = [l \in Lock |->
                         IF LockDelay > 0 /\ c \in holders[l] THEN now + LockDelay ELSE delayUntil[l]]
    /\ UNCHANGED <<now, clock, loggedLease, gen, waiting, cs, expiry, ka, kaSent, held, requests, grants, writes, resource>>

\* A client in jeopardy past the grace period gives its session up, and
\* with it every lock it believed it held.
ClientSessionLost(c) ==
    /\ cs[c] = "live"
    /\ clock[c] >= expiry[c] + Grace
    /\ cs' = [cs EXCEPT ![c] = "lost"]
    /\ held' = [held EXCEPT ![c] = [l \in Lock |-> 0]]
    /\ expiry' = [expiry EXCEPT ![c] = 0]
    /\ UNCHANGED <<now, clock, session, lease, loggedLease, holders, mode, gen, waiting, delayUntil, ka, kaSent, requests, grants, writes, resource>>

\* A new master takes over. The log gives it the sessions and locks, not
\* the leases the old one extended; it extends every live session's lease
\* to the most the old master may have granted (a full lease from now)
\* before it serves.
Failover ==
    /\ lease' = [c \in Client |->
                    IF session[c] # "live" THEN lease[c]
                    ELSE IF BugNoLeaseExtension THEN loggedLease[c]
                    ELSE now + Lease]
    /\ UNCHANGED <<now, clock, session, loggedLease, holders, mode, gen, waiting, delayUntil, cs, expiry, ka, kaSent, held, requests, grants, writes, resource>>

-----------------------------------------------------------------------------
(* Locks *)

\* Client c, believing its session valid, asks for lock l in mode m; the
\* master queues the request of a live session that neither holds nor
\* waits for l.
Acquire(c, l, m) ==
    /\ SessionValid(c)
    /\ held[c][l] = 0
    /\ session[c] = "live"
    /\ c \notin holders[l]
    /\ \A w \in waiting[l] : w.client # c
    /\ waiting' = [waiting EXCEPT ![l] = @ \cup {[client |-> c, mode |-> m]}]
    /\ UNCHANGED <<now, clock, session, lease, loggedLease, holders, mode, gen, delayUntil, cs, expiry, ka, kaSent, held, requests, grants, writes, resource>>

\* The master grants lock l to a waiter: the lock is compatible and out of
\* its lock-delay, and (re-checked now, after the wait) the waiter's
\* session is live. A grant from free, or an exclusive one, starts a new
\* generation; shared holders share theirs.
GrantLock(l, w) ==
    /\ w \in waiting[l]
    /\ Compatible(l, w.mode)
    /\ now >= delayUntil[l]
    /\ BugGrantWithoutSessionCheck \/ (session[w.client] = "live" /\ now < lease[w.client])
    /\ LET g == IF holders[l] = {} \/ w.mode = "exclusive" THEN gen[l] + 1 ELSE gen[l]
       IN  /\ gen' = [gen EXCEPT ![l] = g]
           /\ grants' = grants \cup {Grant(w.client, l, g)}
    /\ holders' = [holders EXCEPT ![l] = @ \cup {w.client}]
    /\ mode' = [mode EXCEPT ![l] = w.mode]
    /\ waiting' = [waiting EXCEPT ![l] = {x \in @ : x.client # w.client}]
    /\ UNCHANGED <<now, clock, session, lease, loggedLease, delayUntil, cs, expiry, ka, kaSent, held, requests, writes, resource>>

\* The grant reaches its client, which holds the lock from now on (unless
\* it gave its session up meanwhile).
ReceiveGrant(m) ==
    /\ m \in grants
    /\ grants' = grants \ {m}
    /\ held' = IF cs[m.client] = "live"
               THEN [held EXCEPT ![m.client][m.lock] = m.gen]
               ELSE held
    /\ UNCHANGED <<now, clock, session, lease, loggedLease, holders, mode, gen, waiting, delayUntil, cs, expiry, ka, kaSent, requests, writes, resource>>

\* Client c lets lock l go: it stops using it at once and asks the master
\* to release that generation.
Release(c, l) ==
    /\ held[c][l] > 0
    /\ held' = [held EXCEPT ![c][l] = 0]
    /\ requests' = requests \cup {ReleaseRequest(c, l, held[c][l])}
    /\ UNCHANGED <<now, clock, session, lease, loggedLease, holders, mode, gen, waiting, delayUntil, cs, expiry, ka, kaSent, grants, writes, resource>>

\* The master handles a release request: it frees the sender's hold on the
\* generation the request names, and only that. (The bug: it frees the
\* lock by name, whoever holds it now.)
Released(r) ==
    LET l    == r.lock
        left == IF BugReleaseByName THEN {}
                ELSE IF Current(r.client, l, r.gen) THEN holders[l] \ {r.client}
                ELSE holders[l]
    IN  /\ holders' = [holders EXCEPT ![l] = left]
        /\ mode' = [mode EXCEPT ![l] = IF left = {} THEN "none" ELSE @]

HandleRelease(r) ==
    /\ r \in requests
    /\ Released(r)
    /\ requests' = requests \ {r}
    /\ UNCHANGED <<now, clock, session, lease, loggedLease, gen, waiting, delayUntil, cs, expiry, ka, kaSent, held, grants, writes, resource>>

\* The same, for a request of which another copy is still on its way (the
\* client's retry): the request stays.
HandleReleaseCopy(r) ==
    /\ r \in requests
    /\ Released(r)
    /\ UNCHANGED <<now, clock, session, lease, loggedLease, gen, waiting, delayUntil, cs, expiry, ka, kaSent, held, requests, grants, writes, resource>>

\* A release request or a grant is lost.
LoseRequest(r) ==
    /\ r \in requests
    /\ requests' = requests \ {r}
    /\ UNCHANGED <<now, clock, session, lease, loggedLease, holders, mode, gen, waiting, delayUntil, cs, expiry, ka, kaSent, held, grants, writes, resource>>

LoseGrant(m) ==
    /\ m \in grants
    /\ grants' = grants \ {m}
    /\ UNCHANGED <<now, clock, session, lease, loggedLease, holders, mode, gen, waiting, delayUntil, cs, expiry, ka, kaSent, held, requests, writes, resource>>

-----------------------------------------------------------------------------
(* The downstream resource *)

\* Client c, believing it holds lock l, sends the resource a write with the
\* lock's sequencer. (It may pause before the write arrives, for any time.)
SendWrite(c, l) ==
    /\ Believes(c, l)
    /\ writes' = writes \cup {Write(c, l, held[c][l])}
    /\ UNCHANGED <<now, clock, session, lease, loggedLease, holders, mode, gen, waiting, delayUntil, cs, expiry, ka, kaSent, held, requests, grants, resource>>

\* The resource checks the sequencer with the service and applies the
\* write if it is current. (`stale` is a history field, read by no action:
\* whether the write applied last was stale when applied, so that
\* ResourceNeverStale is a state invariant.)
AcceptWrite(w) ==
    /\ w \in writes
    /\ BugNoFencing \/ Current(w.client, w.lock, w.gen)
    /\ writes' = writes \ {w}
    /\ resource' = [resource EXCEPT ![w.lock] =
                       [client |-> w.client, gen |-> w.gen,
                        stale |-> ~Current(w.client, w.lock, w.gen)]]
    /\ UNCHANGED <<now, clock, session, lease, loggedLease, holders, mode, gen, waiting, delayUntil, cs, expiry, ka, kaSent, held, requests, grants>>

\* ... and refuses it if it is stale.
RejectWrite(w) ==
    /\ w \in writes
    /\ ~BugNoFencing
    /\ ~Current(w.client, w.lock, w.gen)
    /\ writes' = writes \ {w}
    /\ UNCHANGED <<now, clock, session, lease, loggedLease, holders, mode, gen, waiting, delayUntil, cs, expiry, ka, kaSent, held, requests, grants, resource>>

-----------------------------------------------------------------------------

Next ==
    \/ Tick
    \/ \E c \in Client : CreateSession(c)
    \/ \E c \in Client : KeepAlive(c)
    \/ \E c \in Client : ReceiveKeepAlive(c)
    \/ \E c \in Client : LoseKeepAlive(c)
    \/ \E c \in Client : ExpireSession(c)
    \/ \E c \in Client : ClientSessionLost(c)
    \/ Failover
    \/ \E c \in Client : \E l \in Lock : \E m \in Mode : Acquire(c, l, m)
    \/ \E l \in Lock : \E w \in waiting[l] : GrantLock(l, w)
    \/ \E m \in grants : ReceiveGrant(m)
    \/ \E c \in Client : \E l \in Lock : Release(c, l)
    \/ \E r \in requests : HandleRelease(r)
    \/ \E r \in requests : HandleReleaseCopy(r)
    \/ \E r \in requests : LoseRequest(r)
    \/ \E m \in grants : LoseGrant(m)
    \/ \E c \in Client : \E l \in Lock : SendWrite(c, l)
    \/ \E w \in writes : AcceptWrite(w)
    \/ \E w \in writes : RejectWrite(w)

Spec == Init /\ [][Next]_vars

-----------------------------------------------------------------------------
(* Invariants and properties *)

TypeOK ==
    /\ now \in Nat
    /\ clock \in [Client -> Nat]
    /\ session \in [Client -> {"none", "live", "ended"}]
    /\ cs \in [Client -> {"none", "live", "lost"}]
    /\ ka \in [Client -> {"idle", "answered"}]
    /\ holders \in [Lock -> SUBSET Client]
    /\ mode \in [Lock -> {"none", "exclusive", "shared"}]
    /\ gen \in [Lock -> Nat]
    /\ held \in [Client -> [Lock -> Nat]]

\* At most one exclusive holder of a lock, never alongside shared ones; a
\* held lock has a mode and a free one none.
ExclusiveHolder ==
    \A l \in Lock :
        /\ mode[l] = "exclusive" => Cardinality(holders[l]) <= 1
        /\ (holders[l] = {}) <=> (mode[l] = "none")

\* Every holder of a lock on the service has a live session there.
HolderHasLiveSession ==
    \A l \in Lock : \A c \in holders[l] : session[c] = "live"

\* A client that believes its session valid has a live session on the
\* service, whose lease has not passed (the drift margin's purpose).
ClientLeaseSafe ==
    \A c \in Client : SessionValid(c) => session[c] = "live" /\ now < lease[c]

\* A client that believes it holds a lock holds it on the service, under
\* the generation it believes.
ClientHoldSound ==
    \A c \in Client : \A l \in Lock : Believes(c, l) => Current(c, l, held[c][l])

\* The resource never applies a write whose sequencer is stale.
ResourceNeverStale == \A l \in Lock : ~resource[l].stale

\* Generations only grow, on the service and at the resource.
GenerationsGrowStep ==
    \A l \in Lock : gen'[l] >= gen[l] /\ resource'[l].gen >= resource[l].gen
GenerationsGrow == [][GenerationsGrowStep]_vars

\* Witness (expected violated): with pauses, a client can act as a holder
\* (send a write) after the service gave the lock to another: at most one
\* client believes it holds a lock or has a write for it on its way.
ActsAsHolder(c, l) == Believes(c, l) \/ \E w \in writes : w.client = c /\ w.lock = l
AtMostOneActsAsHolder ==
    \A l \in Lock : \A c1, c2 \in Client :
        (c1 # c2 /\ ActsAsHolder(c1, l) /\ ActsAsHolder(c2, l)) =>
            mode[l] = "shared" /\ c1 \in holders[l] /\ c2 \in holders[l]

=============================================================================
