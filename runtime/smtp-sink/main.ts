import pino from 'pino';
import { startSmtpSink } from './index';

/**
 * The SMTP sink as a process of its own, so that `npm start` supervises it like PostgreSQL and
 * Temporal (a crash of the API no longer takes the mail down with it, and the other way round).
 * Usage: node --import tsx runtime/smtp-sink/main.ts <host> <port> <ui port> <dir> <log level>
 * Reports `{ smtpUrl, uiUrl }` over the IPC channel once it listens; started without one (the chaos
 * runner plays a process manager that kills and restarts it), prints `ready <smtp url>` instead.
 */
async function main(): Promise<void> {
  const [host = '127.0.0.1', port = '0', uiPort = '0', dir = '', level = 'info'] = process.argv.slice(2);
  const logger = pino({ level });
  const sink = await startSmtpSink({ host, port: Number(port), uiPort: Number(uiPort), dir, logger });
  const stop = (): void => {
    void sink.stop().then(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  // The channel closes when the supervising process is gone, however it died.
  process.on('disconnect', stop);
  if (process.send) process.send({ smtpUrl: sink.smtpUrl, uiUrl: sink.uiUrl });
  else process.stdout.write(`ready ${sink.smtpUrl}\n`);
}

main().catch((error: unknown) => {
  process.send?.({ error: error instanceof Error ? error.message : String(error) });
  process.exit(1);
});
