import { defineConfig } from "vitest/config";

/** CI sets this to a file: a JSON report goes there too (`.ci/run` reruns what was skipped). */
const report = process.env.LOCKSTEP_TEST_REPORT;

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Model checking runs are CPU-bound; two cores are the norm here.
    maxWorkers: 2,
    testTimeout: 600_000,
    hookTimeout: 600_000,
    reporters: report ? ["default", ["json", { outputFile: report }]] : ["default"],
  },
});
