/**
 * The wide-area latency comparison of `npm run bench`: every protocol module with a
 * `latencyBench` runs the same deployments (the same sites, link latencies and clients, no
 * faults), and the commit latencies of all seeds are summarized alike (median, 95th
 * percentile, mean).
 */
import type { LatencyDeployment, ProtocolModule } from "../protocol.js";

const near = 50;
const far = 250;

const deployment = (
  label: string,
  sites: number,
  oneFar: boolean,
  clientSites: number,
): LatencyDeployment => ({
  label,
  sites,
  latency: near,
  far: oneFar ? far : near,
  clientSites,
  arrival: [100, 300],
  maxBacklog: 6,
  events: 3000,
});

/** Links of 50 ticks, the far site's 250, clients sending every 100–300 ticks. */
export const latencyDeployments: ReadonlyArray<LatencyDeployment> = [
  deployment("3 sites, all near, clients at every site", 3, false, 3),
  deployment("3 sites, all near, clients at site 1 only (idle servers)", 3, false, 1),
  deployment("3 sites, site 3 far, clients at every site", 3, true, 3),
  deployment("3 sites, site 3 far, clients at sites 1 and 2", 3, true, 2),
  deployment("3 sites, site 3 far, clients at site 1 only", 3, true, 1),
  deployment("5 sites, all near, clients at every site", 5, false, 5),
  deployment("5 sites, site 5 far, clients at every site", 5, true, 5),
];

export interface LatencyRow {
  readonly deployment: string;
  /** Commands whose latency was measured, over all seeds. */
  readonly commands: number;
  readonly median: number;
  readonly p95: number;
  readonly mean: number;
}

/** The q-quantile (0 < q < 1) of sorted values: the smallest with at least q·n at or below it. */
const quantile = (sorted: ReadonlyArray<number>, q: number): number =>
  sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)] as number;

/** Median, 95th percentile and mean of latencies (NaN for none). */
export function summarize(deploymentLabel: string, xs: ReadonlyArray<number>): LatencyRow {
  const sorted = [...xs].sort((a, b) => a - b);
  const n = sorted.length;
  return {
    deployment: deploymentLabel,
    commands: n,
    median: n === 0 ? Number.NaN : quantile(sorted, 0.5),
    p95: n === 0 ? Number.NaN : quantile(sorted, 0.95),
    mean: n === 0 ? Number.NaN : sorted.reduce((a, b) => a + b, 0) / n,
  };
}

/** The protocol's rows: seeds 1…`seeds` of each deployment, their latencies pooled. */
export function latencyRows(
  p: ProtocolModule,
  seeds: number,
  deployments: ReadonlyArray<LatencyDeployment> = latencyDeployments,
): ReadonlyArray<LatencyRow> {
  const bench = p.latencyBench;
  if (bench === undefined) return [];
  return deployments.map((d) => {
    const xs: number[] = [];
    for (let seed = 1; seed <= seeds; seed++) for (const x of bench.run(d, seed)) xs.push(x);
    return summarize(d.label, xs);
  });
}
