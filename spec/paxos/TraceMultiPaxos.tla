--------------------------- MODULE TraceMultiPaxos ---------------------------
(***************************************************************************)
(* Trace validation harness: is a logged run of the implementation a       *)
(* behaviour of MultiPaxos?                                                *)
(*                                                                         *)
(* A trace (traces/FORMAT.md) names, for every event, the spec action the  *)
(* implementation performed, its parameters, and the post-state of every   *)
(* spec variable. Each step of this harness therefore evaluates only the   *)
(* named action with its logged parameters bound and checks that the       *)
(* successor equals the logged post-state: a check, not a search, about    *)
(* one state per event. A parameter the trace leaves out is searched for   *)
(* over its whole domain, as Next would.                                   *)
(*                                                                         *)
(* The traces come from TraceMultiPaxosData, a module that `npm run       *)
(* validate` generates in a temporary directory beside copies of this spec *)
(* (it is never part of the repository). It defines                        *)
(*                                                                         *)
(*   TraceCount           the number of traces checked in this run;        *)
(*   TraceLen(t)          the number of events of trace t (event 0 is      *)
(*                        Init);                                           *)
(*   TraceInitState(t)    the logged initial state, a record of all spec   *)
(*                        variables;                                       *)
(*   TraceEvent(t, k)     event k-1 of trace t, for k in 2..TraceLen(t):   *)
(*                        [a |-> action name, p |-> parameters,            *)
(*                         d |-> changes of the variables it modified].    *)
(*                                                                         *)
(* Changes are stored as patches of the previous logged value (see Patch)  *)
(* so that the module grows with what the run changed, not with the size   *)
(* of its state: since the previous state equals its logged value,         *)
(* Patch(v, d) is exactly the logged post-state of v.                      *)
(*                                                                         *)
(* Success is the cursor reaching the last event. Every reachable state    *)
(* of the harness equals a logged state, so there is one state per         *)
(* matched event and the model checker's distinct-state count is the       *)
(* number of events matched: a run that ends with fewer states than        *)
(* events diverged at the first unmatched event (deadlock checking is off; *)
(* a stuck cursor is what the count reveals). When several traces share    *)
(* one TLC launch, TraceProgress, run as an invariant, prints how far each *)
(* got. By hand: check INVARIANT TraceIncomplete, which TLC must report    *)
(* violated.                                                               *)
(***************************************************************************)
EXTENDS MultiPaxos, TraceMultiPaxosData

\* traceId: which trace of TraceMultiPaxosData; cursor: events 0..cursor-1 matched;
\* ev: the event to match next, TraceEvent(traceId, cursor + 1) (FALSE after
\* the last one). Keeping ev in the state makes each step read the event
\* once (tla-checker re-evaluates a LET definition at every use); it is a
\* function of traceId and cursor, so it adds no states.
VARIABLES traceId, cursor, ev

traceVars == <<traceId, cursor, ev>>

NextEvent(t, k) == IF k <= TraceLen(t) THEN TraceEvent(t, k) ELSE FALSE

-----------------------------------------------------------------------------
(* Logged values *)

\* Apply a logged change d to the previous value old:
\*   [k |-> "v", v |-> x]                  the new value is x;
\*   [k |-> "s", keep |-> n, tail |-> t]   a sequence: the first n elements, then t;
\*   [k |-> "f", del |-> D, upd |-> u]     a function without the keys in D and with
\*                                         each key x of u patched by u[x] (a new key's
\*                                         patch is a "v" one).
RECURSIVE Patch(_, _)
Patch(old, d) ==
    CASE d.k = "v" -> d.v
      [] d.k = "s" -> SubSeq(old, 1, d.keep) \o d.tail
      [] d.k = "f" -> [x \in (DOMAIN old \ d.del) \cup DOMAIN d.upd |->
                          IF x \in DOMAIN d.upd
                          THEN IF x \in DOMAIN old THEN Patch(old[x], d.upd[x]) ELSE d.upd[x].v
                          ELSE old[x]]

\* The logged post-state of the variable called name whose pre-state is old.
Logged(old, E, name) == IF name \in DOMAIN E.d THEN Patch(old, E.d[name]) ELSE old

\* The values an action parameter ranges over: the logged one (if it is in
\* the parameter's domain), or the whole domain when the trace omits it.
Arg(E, name, domain) == IF name \in DOMAIN E.p THEN {E.p[name]} \cap domain ELSE domain

-----------------------------------------------------------------------------
(* The action an event names, parameters bound as in Next *)

TraceAction(E) ==
    CASE E.a = "ClientRequest" ->
            \E r \in Arg(E, "r", Replica), c \in Arg(E, "c", Commands) :
                ClientRequest(r, c)
      [] E.a = "Propose" ->
            \E r \in Arg(E, "r", Replica), c \in Arg(E, "c", Commands) :
                Propose(r, c)
      [] E.a = "HandleDecision" ->
            \E r \in Arg(E, "r", Replica), m \in Arg(E, "m", DOMAIN messages) :
                HandleDecision(r, m)
      [] E.a = "Perform" ->
            \E r \in Arg(E, "r", Replica) :
                Perform(r)
      [] E.a = "LeaderTimeout" ->
            \E l \in Arg(E, "l", Leader) :
                LeaderTimeout(l)
      [] E.a = "HandlePropose" ->
            \E l \in Arg(E, "l", Leader), m \in Arg(E, "m", DOMAIN messages) :
                HandlePropose(l, m)
      [] E.a = "HandleP1b" ->
            \E l \in Arg(E, "l", Leader), m \in Arg(E, "m", DOMAIN messages) :
                HandleP1b(l, m)
      [] E.a = "HandleP2b" ->
            \E l \in Arg(E, "l", Leader), m \in Arg(E, "m", DOMAIN messages) :
                HandleP2b(l, m)
      [] E.a = "RestartLeader" ->
            \E l \in Arg(E, "l", Leader) :
                RestartLeader(l)
      [] E.a = "HandleP1a" ->
            \E a \in Arg(E, "a", Acceptor), m \in Arg(E, "m", DOMAIN messages) :
                HandleP1a(a, m)
      [] E.a = "HandleP2a" ->
            \E a \in Arg(E, "a", Acceptor), m \in Arg(E, "m", DOMAIN messages) :
                HandleP2a(a, m)
      [] E.a = "DropMessage" ->
            \E m \in Arg(E, "m", DOMAIN messages) :
                DropMessage(m)
      [] E.a = "DuplicateMessage" ->
            \E m \in Arg(E, "m", DOMAIN messages) :
                DuplicateMessage(m)
      [] OTHER -> FALSE

\* Every spec variable's successor is its logged post-state.
TraceMatch(E) ==
    /\ slotIn'          = Logged(slotIn, E, "slotIn")
    /\ slotOut'         = Logged(slotOut, E, "slotOut")
    /\ requests'        = Logged(requests, E, "requests")
    /\ proposals'       = Logged(proposals, E, "proposals")
    /\ decisions'       = Logged(decisions, E, "decisions")
    /\ replicaLeaders'  = Logged(replicaLeaders, E, "replicaLeaders")
    /\ executed'        = Logged(executed, E, "executed")
    /\ ballotNum'       = Logged(ballotNum, E, "ballotNum")
    /\ active'          = Logged(active, E, "active")
    /\ leaderProposals' = Logged(leaderProposals, E, "leaderProposals")
    /\ scouting'        = Logged(scouting, E, "scouting")
    /\ scoutWaitFor'    = Logged(scoutWaitFor, E, "scoutWaitFor")
    /\ scoutPvalues'    = Logged(scoutPvalues, E, "scoutPvalues")
    /\ commanders'      = Logged(commanders, E, "commanders")
    /\ acceptorBallot'  = Logged(acceptorBallot, E, "acceptorBallot")
    /\ accepted'        = Logged(accepted, E, "accepted")
    /\ messages'        = Logged(messages, E, "messages")

-----------------------------------------------------------------------------
(* The harness *)

TraceInit ==
    /\ traceId \in 1..TraceCount
    /\ cursor = 1
    /\ Init
    /\ slotIn          = TraceInitState(traceId).slotIn
    /\ slotOut         = TraceInitState(traceId).slotOut
    /\ requests        = TraceInitState(traceId).requests
    /\ proposals       = TraceInitState(traceId).proposals
    /\ decisions       = TraceInitState(traceId).decisions
    /\ replicaLeaders  = TraceInitState(traceId).replicaLeaders
    /\ executed        = TraceInitState(traceId).executed
    /\ ballotNum       = TraceInitState(traceId).ballotNum
    /\ active          = TraceInitState(traceId).active
    /\ leaderProposals = TraceInitState(traceId).leaderProposals
    /\ scouting        = TraceInitState(traceId).scouting
    /\ scoutWaitFor    = TraceInitState(traceId).scoutWaitFor
    /\ scoutPvalues    = TraceInitState(traceId).scoutPvalues
    /\ commanders      = TraceInitState(traceId).commanders
    /\ acceptorBallot  = TraceInitState(traceId).acceptorBallot
    /\ accepted        = TraceInitState(traceId).accepted
    /\ messages        = TraceInitState(traceId).messages
    /\ ev = NextEvent(traceId, 2)

TraceNext ==
    /\ cursor < TraceLen(traceId)
    /\ TraceAction(ev)
    /\ TraceMatch(ev)
    /\ cursor' = cursor + 1
    /\ ev' = NextEvent(traceId, cursor + 2)
    /\ UNCHANGED traceId

TraceSpec == TraceInit /\ [][TraceNext]_<<vars, traceVars>>

\* Invariant (always TRUE) that prints the trace and cursor of every state, so
\* that traces sharing one TLC launch still get one verdict each: a trace
\* matched as many events as the highest cursor printed for it.
TraceProgress == PrintT(<<"lockstep-trace", traceId, cursor>>)

\* For checking by hand: TLC must report this invariant violated, which shows
\* that the cursor reached the end of the trace.
TraceIncomplete == cursor < TraceLen(traceId)

=============================================================================
