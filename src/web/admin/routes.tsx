/** The admin: login, a campaign overview, and the outbox. The full admin comes later. */
import { Hono } from 'hono';
import type { ParsedMail } from 'mailparser';
import { listCampaignSummaries } from '../../db/campaigns-repo.js';
import { findStaffLogin } from '../../db/staff-repo.js';
import { formatNps } from '../../domain/nps.js';
import { verifyPassword } from '../../domain/password.js';
import { AppError } from '../../errors.js';
import { listOutbox, readOutboxMessage } from '../../mail/outbox.js';
import { readStoredResults } from '../../db/results-repo.js';
import type { WebDeps } from '../deps.js';
import { readForm } from '../form.js';
import { page } from '../render.js';
import { Layout } from '../views/layout.js';
import { endSession, requireStaff, startSession, type AdminVariables } from './session.js';

// A real hash of a random password: checking it costs what a real check costs, so a wrong email
// takes as long as a wrong password.
const DUMMY_HASH = 'scrypt$16384$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

function LoginPage(props: { error?: string; next: string; email?: string }) {
  return (
    <Layout title="Sign in">
      <h1>Sign in</h1>
      {props.error ? <div class="status bad" role="alert">{props.error}</div> : null}
      <form method="post" action="/admin/login">
        <input type="hidden" name="next" value={props.next} />
        <label for="email">Email</label>
        <input id="email" type="email" name="email" required autocomplete="username" value={props.email ?? ''} />
        <label for="password">Password</label>
        <input id="password" type="password" name="password" required autocomplete="current-password" />
        <button type="submit">Sign in</button>
      </form>
    </Layout>
  );
}

/** A header as sent, unfolded ("Name: value" split over lines joined again), without its name. */
function headerValue(mail: ParsedMail, key: string): string {
  const line = mail.headerLines.find((h) => h.key === key)?.line ?? '';
  return line.replace(/\r?\n[ \t]+/g, ' ').replace(/^[^:]*:\s*/, '');
}

/** Only same-site paths under /admin may be a redirect target after login. */
function safeNext(value: unknown): string {
  return typeof value === 'string' && /^\/admin(\/[A-Za-z0-9/_.-]*)?$/.test(value) ? value : '/admin';
}

/** The admin routes, mounted at /admin (behind csrf()). */
export function adminRoutes(deps: WebDeps) {
  const app = new Hono<{ Variables: AdminVariables }>();

  app.get('/login', (c) => page(c, <LoginPage next={safeNext(c.req.query('next'))} />));

  app.post('/login', async (c) => {
    const body = await readForm(c);
    const email = typeof body.email === 'string' ? body.email.trim().toLowerCase() : '';
    const password = typeof body.password === 'string' ? body.password : '';
    const next = safeNext(body.next);
    const login = email ? await findStaffLogin(deps.db.kysely, email) : undefined;
    const ok = (await verifyPassword(password, login?.passwordHash ?? DUMMY_HASH)) && login !== undefined;
    if (!ok) return page(c, <LoginPage error="That email and password do not match." next={next} email={email} />, 401);
    await startSession(c, deps, login.id);
    return c.redirect(next, 303);
  });

  app.post('/logout', async (c) => {
    await endSession(c, deps);
    return c.redirect('/admin/login', 303);
  });

  app.use('*', requireStaff(deps));

  app.get('/', async (c) => {
    const campaigns = await listCampaignSummaries(deps.db.kysely);
    const results = await Promise.all(campaigns.map((k) => readStoredResults(deps.db.kysely, { kind: 'campaign', id: k.id }, 'all')));
    return page(
      c,
      <Layout title="NPS campaigns" wide nav>
        <h1>Campaigns</h1>
        <p class="muted">Signed in as {c.get('staff').name} ({c.get('staff').role.replace('_', ' ')}).</p>
        {campaigns.length === 0 ? (
          <p>No campaigns yet. Create one with <code>npm run nps -- campaign create --quarter 2026-Q4</code>.</p>
        ) : (
          <table>
            <thead>
              <tr><th>Quarter</th><th>Audience</th><th>Status</th><th>Sent</th><th>Responses</th><th>NPS</th><th>Id</th></tr>
            </thead>
            <tbody>
              {campaigns.map((k, i) => (
                <tr>
                  <td>{k.quarter}</td>
                  <td>{[k.segment ?? 'all segments', k.accountManagerEmail].filter(Boolean).join(', ')}</td>
                  <td>{k.status}</td>
                  <td>{k.sent} of {k.deliveries}{k.failed ? `, ${k.failed} failed` : ''}</td>
                  <td>{k.responded}</td>
                  <td>{formatNps(results[i][0]?.nps ?? null)}</td>
                  <td><code>{k.id}</code></td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Layout>,
    );
  });

  app.get('/outbox', async (c) => {
    const { entries, total } = await listOutbox(deps.outboxDir);
    return page(
      c,
      <Layout title="Outbox" wide nav>
        <h1>Outbox</h1>
        <p class="muted">
          {deps.config.smtpUrl
            ? 'SMTP_URL is set: messages go to the mail server, not here.'
            : `SMTP_URL is not set: messages are written to ${deps.outboxDir} instead of being sent. ${total} message(s).`}
        </p>
        <table>
          <thead><tr><th>Written</th><th>To</th><th>Subject</th></tr></thead>
          <tbody>
            {entries.map((e) => (
              <tr>
                <td>{e.date.slice(0, 16).replace('T', ' ')} UTC</td>
                <td>{e.to}</td>
                <td><a href={`/admin/outbox/${e.file}`}>{e.subject || '(no subject)'}</a></td>
              </tr>
            ))}
          </tbody>
        </table>
      </Layout>,
    );
  });

  app.get('/outbox/:file', async (c) => {
    const message = await readOutboxMessage(deps.outboxDir, c.req.param('file'));
    if (!message) throw new AppError('NotFound', 'There is no such message in the outbox.');
    const { mail } = message;
    return page(
      c,
      <Layout title={mail.subject ?? 'Message'} wide nav>
        <h1>{mail.subject}</h1>
        <table>
          <tbody>
            <tr><th>From</th><td>{mail.from?.text}</td></tr>
            <tr><th>To</th><td>{mail.to ? [mail.to].flat().map((a) => a.text).join(', ') : ''}</td></tr>
            <tr><th>Date</th><td>{mail.date?.toISOString()}</td></tr>
            <tr><th>Message-ID</th><td>{mail.messageId}</td></tr>
            <tr><th>List-Unsubscribe</th><td>{headerValue(mail, 'list-unsubscribe')}</td></tr>
            <tr><th>List-Unsubscribe-Post</th><td>{headerValue(mail, 'list-unsubscribe-post')}</td></tr>
          </tbody>
        </table>
        <h2>HTML part</h2>
        {/* sandbox="" runs no script and keeps the message away from the admin's cookies */}
        <iframe sandbox="" srcdoc={typeof mail.html === 'string' ? mail.html : ''} title="HTML part"></iframe>
        <h2>Text part</h2>
        <pre>{mail.text}</pre>
      </Layout>,
    );
  });

  return app;
}
