/**
 * What `npm run bench` prints for Multi-Paxos besides the simulator's speed: liveness (about half a
 * minute), and with --runtime the same runs with fixed stalls.
 */
import type { BenchSection } from "../../protocol.js";
import { defaultLiveness, type LivenessOptions, livenessRuns } from "./liveness.js";

const SEEDS = 1000;

const row = (o: LivenessOptions, about: string, line: (s?: string) => void): void => {
  const t0 = performance.now();
  const s = livenessRuns(1, SEEDS, o);
  const secs = ((performance.now() - t0) / 1000).toFixed(1);
  line(
    `liveness (paxos, 3 acceptors, 2 leaders, 2 replicas, ${about}): ${SEEDS} seeds, faults (${o.faults.join(", ")}) stop at a random tick in 1–${o.maxFaultTicks}; ticks until progress resumes (${secs} s)`,
  );
  line(
    `  one leader leads:             p50 ${s.leader.p50}, p99 ${s.leader.p99}, max ${s.leader.max}`,
  );
  line(
    `  pending operations executed:  p50 ${s.recovery.p50}, p90 ${s.recovery.p90}, p99 ${s.recovery.p99}, max ${s.recovery.max} (worst: seed ${s.worst?.seed}, ${s.worst?.pending} pending)`,
  );
  line(
    `  runs with a hole (a slot all of whose proposals were lost; the spec never proposes it again): ${s.holed.length}`,
  );
  line(`  runs without a hole that did not recover within ${o.bound} ticks: ${s.stuck.length}`);
  line();
};

export const paxosBenchSections: ReadonlyArray<BenchSection> = [
  {
    title: "liveness",
    optIn: false,
    run: async (line) => row(defaultLiveness, "stalls lengthened by 2 measured round trips", line),
  },
  {
    // The same runs with the simulator's default timers, for comparison (with --runtime).
    title: "liveness with fixed stalls",
    optIn: true,
    run: async (line) =>
      row(
        { ...defaultLiveness, knobs: { rttFactor: 0 } },
        "fixed stalls (the simulator's default)",
        line,
      ),
  },
];
