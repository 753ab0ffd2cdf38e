// A loopback SMTP server that keeps every message it receives, parsed and raw.
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { freePort } from './free-port.js';

export interface SmtpSink {
  /** smtp://127.0.0.1:P */
  url: string;
  port: number;
  /** Parsed messages, in arrival order. */
  messages: ParsedMail[];
  /** Raw RFC 5322 source of each message, same order as `messages`. */
  raw: string[];
  /** Resolves once at least `count` messages arrived (default timeout 30 s). */
  waitFor(count: number, timeoutMs?: number): Promise<ParsedMail[]>;
  close(): Promise<void>;
}

export async function startSmtpSink(): Promise<SmtpSink> {
  const messages: ParsedMail[] = [];
  const raw: string[] = [];
  const waiters = new Set<() => void>();

  const server = new SMTPServer({
    authOptional: true,
    // Accept credentials too, in case the code under test is configured with SMTP auth.
    allowInsecureAuth: true,
    onAuth: (auth, _session, callback) => callback(null, { user: auth.username ?? 'test' }),
    disabledCommands: ['STARTTLS'],
    disableReverseLookup: true,
    logger: false,
    // Do not wait the default 30 s for pooled client connections on close().
    closeTimeout: 1_000,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', (err) => callback(err));
      stream.on('end', () => {
        const source = Buffer.concat(chunks);
        simpleParser(source)
          .then((parsed) => {
            raw.push(source.toString('utf8'));
            messages.push(parsed);
            for (const wake of waiters) wake();
            callback();
          })
          .catch((err: unknown) => callback(err instanceof Error ? err : new Error(String(err))));
      });
    },
  });
  server.on('error', () => {
    /* client connection errors: not the sink's concern */
  });

  const port = await freePort();
  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.server.once('error', onError);
    server.listen(port, '127.0.0.1', () => {
      server.server.off('error', onError);
      resolve();
    });
  });

  let closed: Promise<void> | undefined;

  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    messages,
    raw,
    waitFor(count: number, timeoutMs = 30_000): Promise<ParsedMail[]> {
      if (messages.length >= count) return Promise.resolve(messages.slice());
      return new Promise<ParsedMail[]>((resolve, reject) => {
        const wake = () => {
          if (messages.length >= count) {
            clearTimeout(timer);
            waiters.delete(wake);
            resolve(messages.slice());
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(wake);
          reject(
            new Error(`SMTP sink: waited ${timeoutMs} ms for ${count} message(s), ${messages.length} arrived`),
          );
        }, timeoutMs);
        waiters.add(wake);
      });
    },
    close(): Promise<void> {
      closed ??= new Promise<void>((resolve) => server.close(() => resolve()));
      return closed;
    },
  };
}
