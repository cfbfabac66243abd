import type { Transporter } from 'nodemailer';
import type { Logger } from 'pino';
import type { Orm } from '../db/orm';
import type { MailTemplates } from './mail-templates/load';

/** What activities are given by the worker's entry point; nothing is imported as a singleton. */
export interface ActivityDeps {
  orm: Orm;
  mailer: Transporter;
  mailFrom: string;
  /** Public base URL of the API for links in mails (e.g. survey links); default http://localhost:3000. */
  publicUrl?: string;
  /**
   * The server secret (runtime/auth-secret.ts) the API checks mail links with. Without it mails
   * carry no signed links: task mails link only the task page, customer mails the API's record URLs.
   */
  linkSecret?: string;
  logger: Logger;
  /** The mail templates `mail.sendTemplate` renders; default the built-in ones (templates/mail). */
  mailTemplates?: MailTemplates;
  /** Injected so tests and replays can fix "now" for records that carry it. */
  now?: () => Date;
}
