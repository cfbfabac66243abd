import nodemailer, { type Transporter } from 'nodemailer';

/** One pooled SMTP transport per process, handed to the activities that send mail. */
export function createMailTransport(smtpUrl: string): Transporter {
  const url = new URL(smtpUrl);
  return nodemailer.createTransport({
    host: url.hostname,
    port: Number(url.port || (url.protocol === 'smtps:' ? 465 : 587)),
    secure: url.protocol === 'smtps:',
    auth: url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined,
    // A local sink speaks plain SMTP; a real relay upgrades with STARTTLS when it offers it.
    ignoreTLS: url.searchParams.get('ignoreTLS') === 'true',
    pool: true,
    maxConnections: 5,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
}
