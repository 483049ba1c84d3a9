/** The server a runtime drives (ticks, messages, proposals) and its durable records. */
import * as O from "fp-ts/lib/Option.js";
import { describe, expect, it } from "vitest";
import { PersistentState } from "../../src/raft/codec.js";
import { initialPersistent } from "../../src/raft/node.js";
import * as S from "../../src/raft/server.js";
import { raftService, recordsFor, recover, runtimeTimers } from "../../src/raft/service.js";
import { type Message, noBugs, type PersistentState as PS } from "../../src/raft/types.js";

const servers = ["s1", "s2", "s3"];
const cfg: S.ServerConfig = {
  env: { servers, initConfig: servers, bugs: noBugs },
  timers: runtimeTimers,
};

/** Three servers, messages delivered at the next tick; records replayed into a "disk". */
function run(ticks: number, propose: (now: number) => string | undefined) {
  const nodes = new Map(servers.map((id, k) => [id, S.boot(cfg, id, initialPersistent, k + 1, 0)]));
  const disk = new Map<string, PS>(servers.map((id) => [id, initialPersistent]));
  const applied = new Map<string, string[]>(servers.map((id) => [id, []]));
  let inFlight: Message[] = [];
  let sentBeforePersist = 0;
  const perform = (id: string, s: S.Stepped) => {
    nodes.set(id, s.server);
    if (O.isSome(s.ready.persist)) disk.set(id, s.ready.persist.value);
    // Everything a message says about its sender's state is on its disk already.
    if (s.ready.messages.length > 0 && disk.get(id) !== s.server.node.persistent)
      sentBeforePersist++;
    inFlight.push(...s.ready.messages);
    for (const a of s.ready.apply) if (a.entry.value !== null) applied.get(id)?.push(a.entry.value);
  };
  for (let now = 1; now <= ticks; now++) {
    const batch = inFlight;
    inFlight = [];
    for (const m of batch) perform(m.mdest, S.receive(cfg, nodes.get(m.mdest) as S.Server, m, now));
    for (const id of servers) perform(id, S.tick(cfg, nodes.get(id) as S.Server, now));
    const v = propose(now);
    if (v !== undefined)
      for (const id of servers) {
        const p = S.propose(cfg, nodes.get(id) as S.Server, v, now);
        if (O.isSome(p)) perform(id, p.value);
      }
  }
  return { nodes, disk, applied, sentBeforePersist };
}

describe("the runtime's server", () => {
  it("elects one leader by its own timers, and commits and applies proposals everywhere", () => {
    const r = run(300, (now) => (now % 20 === 0 ? `v${now}` : undefined));
    const leaders = [...r.nodes.values()].filter((s) => s.node.volatile.state === "Leader");
    expect(leaders).toHaveLength(1);
    for (const s of r.nodes.values()) expect(O.toUndefined(s.leader)).toBe(leaders[0]?.node.id);
    const first = r.applied.get("s1") ?? [];
    expect(first.length).toBeGreaterThan(5);
    for (const id of servers)
      expect(r.applied.get(id)?.slice(0, first.length - 2)).toEqual(
        first.slice(0, first.length - 2),
      );
    expect(r.sentBeforePersist).toBe(0);
  });

  it("its records replay to the state they were made from", () => {
    const r = run(300, (now) => (now % 15 === 0 ? `v${now}` : undefined));
    for (const id of servers) {
      const p = r.nodes.get(id)?.node.persistent as PS;
      const records = recordsFor(initialPersistent, p);
      expect(PersistentState.encode(recover(records))).toEqual(PersistentState.encode(p));
    }
    // A conflicting suffix replaced: from the first index that differs.
    const a: PS = {
      currentTerm: 1,
      votedFor: O.none,
      log: [{ term: 1, value: "x", old: [], new: [] }],
    };
    const b: PS = { ...a, currentTerm: 2, log: [{ term: 2, value: "y", old: [], new: [] }] };
    expect(recover([...recordsFor(initialPersistent, a), ...recordsFor(a, b)])).toEqual(b);
  });

  it("refuses records and frames that do not decode", () => {
    expect(() => recover([{ type: "entries", from: 3, entries: [] }])).toThrow(
      /record 1: entries from index 3/,
    );
    expect(() => recover([{ type: "hard", currentTerm: -1, votedFor: null }])).toThrow(/record 1/);
    const replica = raftService.create({
      id: "s1",
      servers,
      initialMembers: servers,
      records: [],
      seed: 1,
    });
    expect(replica.receive({ mtype: "AppendEntriesRequest", mterm: "x" }).ok).toBe(false);
    expect(replica.receive({ hello: 1 }).ok).toBe(false);
    expect(replica.propose("v").ok).toBe(false);
  });
});
