/** `npm run sim -- --protocol paxos`: files, sizes, exit codes and one-line errors. */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runSim, runTwice, scratchDir } from "../sim/helpers.js";

const run = runSim;

const tmp = () => scratchDir("lockstep-paxos-sim-");

describe("npm run sim --protocol paxos", () => {
  it("writes one trace per seed and prints one line each", async () => {
    const out = tmp();
    const r = await run([
      "--protocol",
      "paxos",
      "--seeds",
      "1..2",
      "--steps",
      "150",
      "--faults",
      "all",
      "--out",
      out,
    ]);
    expect(r.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(["paxos-seed-1.ndjson", "paxos-seed-2.ndjson"]);
    expect(r.stdout).toMatch(
      /^paxos seed=1 events=150 timeouts=\d+ .* -> .*paxos-seed-1\.ndjson$/m,
    );
    const lines = readFileSync(join(out, "paxos-seed-2.ndjson"), "utf8").trimEnd().split("\n");
    expect(lines).toHaveLength(152);
    expect(JSON.parse(lines[0] as string)).toMatchObject({ protocol: "paxos", seed: 2 });
  });

  it("is deterministic: the same seed writes the same bytes", async () => {
    const args = ["--protocol", "paxos", "--seed", "9", "--steps", "300", "--faults", "all"];
    const [x, y] = await runTwice(args, "paxos-seed-9.ndjson", "lockstep-paxos-sim-");
    expect(x?.length).toBeGreaterThan(0);
    expect(x?.equals(y as Buffer)).toBe(true);
  });

  it("sizes the system with --acceptors, --leaders, --replicas and --window", async () => {
    const out = tmp();
    const r = await run([
      "--protocol",
      "paxos",
      "--seed",
      "1",
      "--steps",
      "100",
      "--acceptors",
      "5",
      "--leaders",
      "3",
      "--replicas",
      "3",
      "--window",
      "4",
      "--out",
      out,
    ]);
    expect(r.code).toBe(0);
    const header = JSON.parse(
      readFileSync(join(out, "paxos-seed-1.ndjson"), "utf8").split("\n")[0] as string,
    );
    expect(header.constants.Acceptor["#set"]).toHaveLength(5);
    expect(header.constants.Leader["#set"]).toEqual(["l1", "l2", "l3"]);
    expect(header.constants.Replica["#set"]).toHaveLength(3);
    expect(header.constants.Window).toBe(4);
  });

  it("exits 1 naming the seed and the event when an invariant breaks", async () => {
    const r = await run([
      "--protocol",
      "paxos",
      "--seed",
      "1",
      "--steps",
      "300",
      "--faults",
      "all",
      "--bug",
      "executeOutOfOrder",
      "--out",
      tmp(),
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^paxos seed=1: invariant \w+.* violated at event \d+ -> /m);
  });

  it("rejects bad flags with one line and exit 2", async () => {
    for (const [args, message] of [
      [["--servers", "3"], /--servers does not apply to paxos/],
      [["--bug", "forgetVote"], /unknown bug "forgetVote"/],
      [["--invariants", "LeaderCompleteness"], /unknown invariant "LeaderCompleteness"/],
      [["--acceptors", "12"], /--acceptors 12: expected an integer from 1 to 9/],
      [["--leaders", "0"], /positive integer/],
      [["--faults", "meteor"], /unknown fault "meteor"/],
    ] as const) {
      const r = await run(["--protocol", "paxos", ...args, "--out", tmp()]);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    }
  });
});
