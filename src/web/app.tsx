/** Builds the web app from its dependencies; no module-level state, so tests build their own. */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { csrf } from 'hono/csrf';
import { HTTPException } from 'hono/http-exception';
import { NONCE, secureHeaders } from 'hono/secure-headers';
import { AppError, HTTP_STATUS } from '../errors.js';
import { adminRoutes } from './admin/routes.js';
import type { WebDeps } from './deps.js';
import { surveyRoutes } from './public/survey.js';
import { unsubscribeRoutes } from './public/unsubscribe.js';
import { page } from './render.js';
import { MessagePage } from './views/layout.js';

const TITLES: Record<number, string> = {
  400: 'That did not work',
  401: 'Please sign in',
  403: 'Not allowed',
  404: 'Not found',
  409: 'Already done',
  410: 'This survey has closed',
  413: 'Too much text',
  503: 'Temporarily unavailable',
};

const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', '57P01', '57P02', '57P03', '53300', 'SQLITE_BUSY', 'SQLITE_LOCKED']);

/** True for errors that mean "the database cannot be reached now", not "this request is wrong". */
function isUnavailable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && UNAVAILABLE_CODES.has(code) || /Connection terminated|timeout exceeded when trying to connect/i.test(String((error as Error)?.message));
}

/** The whole HTTP surface: survey links, unsubscribe, admin, health. */
export function createApp(deps: WebDeps) {
  const log = deps.log ?? ((line: string) => console.error(line));
  const app = new Hono();

  app.use(
    '*',
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'none'"],
        scriptSrc: [NONCE],
        styleSrc: ["'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        frameSrc: ["'self'"],
        baseUri: ["'none'"],
      },
      referrerPolicy: 'no-referrer', // survey URLs carry tokens
    }),
  );
  // Survey answers are short; a larger body is a mistake or an attack.
  app.use('*', bodyLimit({ maxSize: 64 * 1024, onError: () => { throw new HTTPException(413, { message: 'That is more text than a survey answer can hold.' }); } }));

  app.get('/healthz', async (c) => {
    const [database, redis] = await Promise.all([deps.db.ping().catch(() => false), deps.redisAnswers().catch(() => false)]);
    const ok = database && redis;
    return c.json({ status: ok ? 'ok' : 'degraded', database: database ? 'ok' : 'down', redis: redis ? 'ok' : 'down' }, ok ? 200 : 503);
  });

  app.get('/', (c) => c.redirect('/admin', 302));
  app.route('/s', surveyRoutes(deps));
  // Outside csrf(): an RFC 8058 one-click POST from a mailbox provider carries no Origin header.
  app.route('/u', unsubscribeRoutes(deps));
  // Same origin as the request, or the public address when a TLS proxy sits in front.
  const publicOrigin = new URL(deps.config.publicUrl).origin;
  app.use('/admin/*', csrf({ origin: (o, c) => o === publicOrigin || o === new URL(c.req.url).origin }));
  app.route('/admin', adminRoutes(deps));

  app.notFound((c) => page(c, <MessagePage title="Not found" message="There is nothing at this address." />, 404));

  app.onError((error, c) => {
    if (error instanceof AppError) {
      const status = HTTP_STATUS[error.code];
      if (c.req.path.endsWith('/score') && c.req.method === 'POST') return c.json({ ok: false, error: error.message }, status);
      return page(c, <MessagePage title={TITLES[status] ?? 'That did not work'} message={error.message} />, status);
    }
    if (error instanceof HTTPException) {
      const status = error.status;
      const message = status === 403 ? 'This form was refused: it came from another site, or without saying where it came from. Please use the form on this site.' : error.message || 'The request could not be handled.';
      return page(c, <MessagePage title={TITLES[status] ?? 'That did not work'} message={message} />, status);
    }
    log(`web: ${c.req.method} ${c.req.path} failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
    // The database away (restarting, failing over, locked) is temporary: say so, and let clients retry.
    if (isUnavailable(error)) {
      c.header('Retry-After', '30');
      return page(c, <MessagePage title={TITLES[503]} message="We cannot save or show answers right now. Please try again in a minute." />, 503);
    }
    return page(c, <MessagePage title="Something went wrong" message="Something went wrong on our side. Please try again in a minute." />, 500);
  });

  return app;
}
