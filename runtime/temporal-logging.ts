import { Runtime, type LogLevel, type LogMetadata, type Logger as TemporalLogger } from '@temporalio/worker';
import type { Logger } from 'pino';

const LEVELS: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

/** Temporal's own logs through our pino logger, so they share level, format and destination. */
export function createTemporalLogger(logger: Logger): TemporalLogger {
  const log = (level: LogLevel, message: string, meta?: LogMetadata): void => {
    // The worker logs every activation and activity at TRACE, with the activation as metadata:
    // copying it for pino to drop costs the worker's main thread more than the rest of this file.
    if (!logger.isLevelEnabled(LEVELS[level])) return;
    // The SDK's workflow and activity lines name the workflow id; ours call it instanceId: one name to search by.
    const instanceId = typeof meta?.['workflowId'] === 'string' ? { instanceId: meta['workflowId'] } : {};
    logger[LEVELS[level]]({ ...meta, ...instanceId, component: 'temporal' }, message);
  };
  return {
    log,
    trace: (message, meta) => log('TRACE', message, meta),
    debug: (message, meta) => log('DEBUG', message, meta),
    info: (message, meta) => log('INFO', message, meta),
    warn: (message, meta) => log('WARN', message, meta),
    error: (message, meta) => log('ERROR', message, meta),
  };
}

let installed = false;

/**
 * The Temporal runtime can be installed once per process, before any worker or native connection.
 * `metricsBindAddress` (`host:port`): the SDK's worker metrics served for Prometheus at `/metrics` there.
 */
export function installTemporalRuntime(logger: Logger, options: { metricsBindAddress?: string } = {}): void {
  if (installed) return;
  Runtime.install({
    logger: createTemporalLogger(logger),
    ...(options.metricsBindAddress
      ? { telemetryOptions: { metrics: { prometheus: { bindAddress: options.metricsBindAddress } } } }
      : {}),
  });
  installed = true;
}
