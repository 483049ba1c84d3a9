/** What `npm run bench` prints for Raft besides the simulator's speed: liveness, real processes. */
import type { BenchSection } from "../../protocol.js";
import { runtimeBench } from "../../runtime/bench.js";
import { defaultLiveness, livenessRuns } from "./liveness.js";

const SEEDS = 1000;

export const raftBenchSections: ReadonlyArray<BenchSection> = [
  {
    title: "liveness",
    optIn: false,
    run: async (line) => {
      const t0 = performance.now();
      const s = livenessRuns(1, SEEDS, defaultLiveness);
      const secs = ((performance.now() - t0) / 1000).toFixed(1);
      line(
        `liveness (raft, 3 servers): ${SEEDS} seeds, faults (${defaultLiveness.faults.join(", ")}) stop at a random tick in 1–${defaultLiveness.maxFaultTicks}; ticks until progress resumes (${secs} s)`,
      );
      line(
        `  leader elected:            p50 ${s.leader.p50}, p99 ${s.leader.p99}, max ${s.leader.max}`,
      );
      line(
        `  pending commands committed: p50 ${s.recovery.p50}, p90 ${s.recovery.p90}, p99 ${s.recovery.p99}, max ${s.recovery.max} (worst: seed ${s.worst?.seed}, ${s.worst?.pending} pending)`,
      );
      line(`  runs that did not recover within ${defaultLiveness.bound} ticks: ${s.stuck.length}`);
      line();
    },
  },
  {
    title: "runtime",
    optIn: true,
    run: (line) => runtimeBench("raft", line),
  },
];
