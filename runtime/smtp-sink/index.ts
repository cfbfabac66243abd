import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { SMTPServer } from 'smtp-server';
import type { Logger } from 'pino';
import { assertPortFree } from '../port-check';
import { MessageStore } from './message-store';
import { createMailUi } from './mail-ui';

export interface SmtpSinkOptions {
  host: string;
  /** SMTP port; 0 picks a free one (tests). */
  port: number;
  /** HTTP port of the message list; 0 picks a free one. */
  uiPort: number;
  dir: string;
  logger: Logger;
  portVariables?: { port: string; uiPort: string };
}

export interface RunningSmtpSink {
  smtpUrl: string;
  uiUrl: string;
  store: MessageStore;
  stop(): Promise<void>;
}

/** An in-process SMTP server that accepts every message and keeps it for reading. */
export async function startSmtpSink(options: SmtpSinkOptions): Promise<RunningSmtpSink> {
  const vars = options.portVariables ?? { port: 'SMTP_SINK_PORT', uiPort: 'MAIL_UI_PORT' };
  if (options.port !== 0) await assertPortFree(options.port, options.host, vars.port);
  if (options.uiPort !== 0) await assertPortFree(options.uiPort, options.host, vars.uiPort);
  const log = options.logger.child({ service: 'smtp-sink' });
  const store = new MessageStore(options.dir);

  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    size: 25 * 1024 * 1024,
    onAuth(_auth, _session, callback) {
      callback(null, { user: 'sink' });
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const envelope = {
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
          to: session.envelope.rcptTo.map((r) => r.address),
        };
        store.save(Buffer.concat(chunks), envelope).then(
          (id) => {
            log.info({ id, to: envelope.to }, 'mail received');
            callback();
          },
          (error: Error) => callback(error),
        );
      });
    },
  });
  smtp.listen(options.port, options.host);
  await once(smtp.server, 'listening');
  const ui = createMailUi(store);
  ui.listen(options.uiPort, options.host);
  await once(ui, 'listening');

  const smtpPort = (smtp.server.address() as AddressInfo).port;
  const uiPort = (ui.address() as AddressInfo).port;
  return {
    smtpUrl: `smtp://${options.host}:${smtpPort}`,
    uiUrl: `http://${options.host}:${uiPort}`,
    store,
    stop: async () => {
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
      ui.closeAllConnections();
      await new Promise<void>((resolve) => ui.close(() => resolve()));
    },
  };
}
