/** Latency statistics over one sample set, in milliseconds. */
export interface LatencyStats {
  count: number;
  p50: number;
  p99: number;
  mean: number;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

export function summarise(samples: number[]): LatencyStats {
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = sorted.reduce((sum, x) => sum + x, 0) / Math.max(1, sorted.length);
  return { count: sorted.length, p50: percentile(sorted, 50), p99: percentile(sorted, 99), mean };
}

export function formatStats(label: string, stats: LatencyStats, extra = ''): string {
  return `${label.padEnd(34)} n=${String(stats.count).padStart(4)}  p50=${stats.p50.toFixed(1).padStart(7)} ms  p99=${stats.p99.toFixed(1).padStart(7)} ms${extra}`;
}

/** Runs `count` jobs with at most `concurrency` in flight; returns each job's latency and the wall time. */
export async function runConcurrently(
  count: number,
  concurrency: number,
  job: (i: number) => Promise<void>,
): Promise<{ latencies: number[]; wallMs: number }> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  const lane = async (): Promise<void> => {
    while (next < count) {
      const i = next++;
      const t0 = performance.now();
      await job(i);
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane));
  return { latencies, wallMs: performance.now() - started };
}
