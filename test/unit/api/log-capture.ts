import pino from 'pino';
import type { Logger } from 'pino';

export interface CapturedLog {
  logger: Logger;
  /** Parsed log records, in the order they were written. */
  records: () => Array<Record<string, unknown>>;
}

/** A real pino logger writing into memory, so tests can assert on what was logged. */
export function captureLog(): CapturedLog {
  const lines: string[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
  return { logger, records: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}
