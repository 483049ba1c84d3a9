import { relative } from "node:path";
import { defineConfig } from "vitest/config";
import { BaseSequencer, type TestSpecification } from "vitest/node";

/** CI sets this to a file: a JSON report goes there too (`.ci/run` reruns what was skipped). */
const report = process.env.LOCKSTEP_TEST_REPORT;

/**
 * The suites that run once for every registered protocol (the simulation suite, graph
 * equality) are the longest files, and they grow with the registry. Without timings of an
 * earlier run (a fresh clone, as in CI) vitest starts the largest files first, by bytes, which
 * put these small files last and left one worker running the last of them alone. They start
 * first here; the other files keep vitest's order (by the last run's timings when it has them).
 */
const PER_PROTOCOL = /^test\/(protocols\/simulation-\d+|conform\/conform-[a-z]+)\.test\.ts$/;

class PerProtocolSuitesFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const first = (f: TestSpecification) =>
      PER_PROTOCOL.test(relative(this.ctx.config.root, f.moduleId).split("\\").join("/"));
    return [...sorted.filter(first), ...sorted.filter((f) => !first(f))];
  }
}

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Model checking runs are CPU-bound; two cores are the norm here. (A third worker, so that
    // the files that mostly wait on real processes would not idle a core, slowed the CPU-bound
    // files enough on a loaded machine to take a graph-equality test past its 120 s timeout.)
    maxWorkers: 2,
    sequence: { sequencer: PerProtocolSuitesFirst },
    testTimeout: 600_000,
    hookTimeout: 600_000,
    reporters: report ? ["default", ["json", { outputFile: report }]] : ["default"],
  },
});
