import type { Logger } from 'pino';
import type { Config } from './config';
import { assertPortFree } from './port-check';

export interface TemporalMetricsEndpoint {
  /** What the SDK's exporter binds (`host:port`). */
  bindAddress: string;
  /** Where this process's API reads it back to append to GET /api/v1/metrics. */
  url: string;
}

/**
 * Where a worker process serves the Temporal SDK's Prometheus metrics, or null: not a worker, turned
 * off (TEMPORAL_METRICS_PORT=0), or the port taken (another worker process on this machine). A
 * taken port only costs the metrics, never the worker: the runtime would otherwise refuse to install.
 */
export async function temporalMetricsEndpoint(config: Config, logger: Logger): Promise<TemporalMetricsEndpoint | null> {
  const port = config.temporal.metricsPort;
  if (!config.roles.includes('worker') || port === 0) return null;
  try {
    await assertPortFree(port, config.host, 'TEMPORAL_METRICS_PORT');
  } catch (error) {
    logger.warn(
      `${error instanceof Error ? error.message : String(error)} This process exports no Temporal SDK metrics.`,
    );
    return null;
  }
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const reachable = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : host;
  return { bindAddress: `${host}:${port}`, url: `http://${reachable}:${port}/metrics` };
}
