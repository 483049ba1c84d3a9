--------------------------- MODULE TraceValidation ---------------------------
(***************************************************************************)
(* Trace validation: is a logged run of the implementation a behaviour of  *)
(* the spec? This module holds what every protocol's harness shares; the   *)
(* harness itself is generated.                                            *)
(*                                                                         *)
(* A trace (traces/FORMAT.md) names, for every event, the spec action the  *)
(* implementation performed, its parameters, and the post-state of every   *)
(* spec variable. Each step of the harness therefore evaluates only the    *)
(* named action with its logged parameters bound and checks that the       *)
(* successor equals the logged post-state: a check, not a search, about    *)
(* one state per event. A parameter the trace leaves out is searched for   *)
(* over its whole domain, as Next would.                                   *)
(*                                                                         *)
(* `npm run validate` writes, in a temporary directory beside copies of    *)
(* the spec and of this module (none of it is ever part of the             *)
(* repository; `--keep DIR` keeps a copy):                                 *)
(*                                                                         *)
(* The data module Trace<P>Data, for the spec module <P>, which defines    *)
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
(* The harness Trace<P>, which EXTENDS the spec <P>, this                  *)
(* module and the data module, and is generated from the trace descriptor  *)
(* (src/trace/protocol.ts: the variables, the actions and their            *)
(* parameters) and the spec's Next (each action's binders and their        *)
(* domains). For a spec with an action Restart(i) and a variable          *)
(* currentTerm it reads                                                    *)
(*                                                                         *)
(*   NextEvent(t, k) == IF k <= TraceLen(t) THEN TraceEvent(t, k)          *)
(*                      ELSE FALSE                                         *)
(*   TraceAction(E) ==      \* the action an event names, bound as in Next *)
(*       CASE E.a = "Restart" -> \E i \in Arg(E, "i", Server) : Restart(i) *)
(*         [] ...                                                          *)
(*         [] OTHER -> FALSE                                               *)
(*   TraceMatch(E) ==       \* every variable's successor is logged        *)
(*       /\ currentTerm' = Logged(currentTerm, E, "currentTerm")           *)
(*       /\ ...                                                            *)
(*   TraceInit ==                                                          *)
(*       /\ traceId \in 1..TraceCount /\ cursor = 1 /\ Init                *)
(*       /\ currentTerm = TraceInitState(traceId).currentTerm /\ ...       *)
(*       /\ ev = NextEvent(traceId, 2)                                     *)
(*   TraceNext ==                                                          *)
(*       /\ cursor < TraceLen(traceId)                                     *)
(*       /\ TraceAction(ev) /\ TraceMatch(ev)                              *)
(*       /\ cursor' = cursor + 1 /\ ev' = NextEvent(traceId, cursor + 2)   *)
(*       /\ UNCHANGED traceId                                              *)
(*   TraceSpec == TraceInit /\ [][TraceNext]_<<vars, traceVars>>           *)
(*   TraceIncomplete == cursor < TraceLen(traceId)                         *)
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
(*                                                                         *)
(* A partial trace (traces/FORMAT.md), which logs only some variables and  *)
(* may leave out steps of named actions, gets another generated harness    *)
(* (src/trace/partial-harness.ts explains it): each step constrains only   *)
(* the variables the event logs, patched from their last logged values     *)
(* (kept in a variable lv), the spec chooses the rest, and up to a bound   *)
(* of unlogged steps fill in where the next event needs them. It uses      *)
(* Patch, Logged, Arg and TraceProgress from here.                         *)
(***************************************************************************)
EXTENDS Naturals, Sequences, TLC

\* traceId: which trace of the data module; cursor: events 0..cursor-1 matched;
\* ev: the event to match next, TraceEvent(traceId, cursor + 1) (FALSE after
\* the last one). Keeping ev in the state makes each step read the event
\* once (tla-checker re-evaluates a LET definition at every use); it is a
\* function of traceId and cursor, so it adds no states.
VARIABLES traceId, cursor, ev

traceVars == <<traceId, cursor, ev>>

-----------------------------------------------------------------------------
(* Logged values *)

\* Apply a logged change d to the previous value old:
\*   [k |-> "v", v |-> x]                  the new value is x;
\*   [k |-> "s", keep |-> n, tail |-> t]   a sequence: the first n elements, then t;
\*   [k |-> "f", del |-> D, upd |-> u]     a function without the keys in D and with
\*                                         each key x of u patched by u[x] (a new key's
\*                                         patch is a "v" one);
\*   [k |-> "e", del |-> D, add |-> A]     a set without the elements in D, with those
\*                                         in A.
\* These are the update operations of trace format version 3 (traces/FORMAT.md):
\* "v" sets a value, "s" truncates and appends, "f" unsets and sets keys of a
\* function, "e" removes and adds elements of a set.
RECURSIVE Patch(_, _)
Patch(old, d) ==
    CASE d.k = "v" -> d.v
      [] d.k = "s" -> SubSeq(old, 1, d.keep) \o d.tail
      [] d.k = "e" -> (old \ d.del) \cup d.add
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
(* Reporting *)

\* Invariant (always TRUE) that prints the trace and cursor of every state, so
\* that traces sharing one TLC launch still get one verdict each: a trace
\* matched as many events as the highest cursor printed for it.
TraceProgress == PrintT(<<"lockstep-trace", traceId, cursor>>)

=============================================================================
