/** Sending mail: the Mailer the jobs ask for, and its SMTP and outbox-folder implementations. */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer from 'nodemailer';

/** A fully rendered message. */
export interface OutgoingMessage {
  from: string;
  to: string;
  subject: string;
  html: string;
  text: string;
  /** Fixed per delivery, so a resend is recognisable as the same message. */
  messageId: string;
  /** HTTPS unsubscribe URL for List-Unsubscribe (RFC 2369) with one-click POST (RFC 8058). */
  unsubscribeUrl?: string;
}

/** Sends messages; `close` releases pooled connections. */
export interface Mailer {
  send(message: OutgoingMessage): Promise<void>;
  close(): Promise<void>;
}

/** A send that failed; `permanent` means retrying cannot help (a 5xx answer, a refused address). */
export class MailError extends Error {
  constructor(message: string, readonly permanent: boolean) {
    super(message);
    this.name = 'MailError';
  }
}

function toNodemailer(message: OutgoingMessage) {
  return {
    from: message.from,
    to: message.to,
    subject: message.subject,
    html: message.html,
    text: message.text,
    messageId: message.messageId,
    ...(message.unsubscribeUrl
      ? { list: { unsubscribe: message.unsubscribeUrl }, headers: { 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' } }
      : {}),
  };
}

/** Pooled SMTP to `url` (smtp:// or smtps://, credentials in the URL). */
export function createSmtpMailer(url: string, poolSize: number): Mailer {
  const transport = nodemailer.createTransport({
    url,
    pool: true,
    maxConnections: poolSize,
    // The default reconnects every 100 messages; a campaign sends thousands to one relay.
    maxMessages: Infinity,
  } as Parameters<typeof nodemailer.createTransport>[0]);
  return {
    async send(message) {
      try {
        await transport.sendMail(toNodemailer(message));
      } catch (error) {
        const e = error as { message?: string; responseCode?: number; code?: string; command?: string };
        // Only a refusal of this recipient or this message is permanent. A 5xx to AUTH or to the
        // connection (a wrong password, a misconfigured relay) is the sender's problem: retry, so
        // the mail goes out once it is fixed.
        const refusedThisMessage = e.code === 'EENVELOPE' || /^(RCPT|DATA)/i.test(e.command ?? '');
        const permanent = refusedThisMessage && typeof e.responseCode === 'number' && e.responseCode >= 500 && e.responseCode < 600;
        throw new MailError(`SMTP: ${e.message ?? String(error)}`, permanent);
      }
    },
    async close() {
      transport.close();
    },
  };
}

/** Writes each message as an .eml file into `dir` instead of sending: the embedded default. */
export function createOutboxMailer(dir: string): Mailer {
  const builder = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    async send(message) {
      const info = await builder.sendMail(toNodemailer(message));
      await mkdir(dir, { recursive: true });
      const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${message.messageId.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 40)}.eml`;
      // Write then rename, so the outbox page never reads half a message.
      const tmp = join(dir, `.${name}.tmp`);
      await writeFile(tmp, info.message as Buffer);
      await rename(tmp, join(dir, name));
    },
    async close() {},
  };
}
