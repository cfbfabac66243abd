import pino from 'pino';
import { startSmtpSink } from '../runtime/smtp-sink';

/*
 * The SMTP sink as a process of its own, so the chaos runner can take it down and bring it back
 * like a mail relay that goes away: SMTP_SINK_PORT, MAIL_UI_PORT and MAIL_DIR from the
 * environment; prints one `ready` line once both ports listen.
 */
const logger = pino({ level: process.env.LOG_LEVEL ?? 'warn' });
const sink = await startSmtpSink({
  host: '127.0.0.1',
  port: Number(process.env.SMTP_SINK_PORT),
  uiPort: Number(process.env.MAIL_UI_PORT),
  dir: process.env.MAIL_DIR ?? '',
  logger,
});
process.stdout.write(`ready ${sink.smtpUrl}\n`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    // A relay that goes away drops its connections; it does not wait for clients to say QUIT.
    setTimeout(() => process.exit(0), 2_000).unref();
    void sink.stop().then(() => process.exit(0));
  });
}
