/** Unsubscribe: a page with one button, and the RFC 8058 one-click POST mailbox providers send. */
import { Hono } from 'hono';
import { unsubscribeContact } from '../../db/clients-repo.js';
import { findDeliveryContact } from '../../db/deliveries-repo.js';
import { isoNow } from '../../db/ids.js';
import { verifyToken } from '../../domain/token.js';
import { AppError } from '../../errors.js';
import type { WebDeps } from '../deps.js';
import { page } from '../render.js';
import { Layout, MessagePage } from '../views/layout.js';

/** The unsubscribe routes, mounted at /u outside csrf(): a one-click POST carries no Origin. */
export function unsubscribeRoutes(deps: WebDeps) {
  const app = new Hono();

  const contactOf = async (token: string) => {
    const check = verifyToken(deps.keyring, 'unsubscribe', token, deps.now());
    if (!check.ok) throw new AppError('InvalidToken', 'This unsubscribe link is not valid. Please use the link from your email, complete and unchanged.');
    const contact = await findDeliveryContact(deps.db.kysely, check.subject);
    if (!contact) throw new AppError('InvalidToken', 'This unsubscribe link is not valid.');
    return contact;
  };

  // GET only asks: link scanners fetch it too.
  app.get('/:token', async (c) => {
    const contact = await contactOf(c.req.param('token'));
    return page(
      c,
      <Layout title="Unsubscribe">
        <h1>Unsubscribe from client surveys?</h1>
        <p>{contact.email} will get no more survey emails from us.</p>
        <form method="post" action={`/u/${c.req.param('token')}`}>
          <button type="submit">Unsubscribe</button>
        </form>
      </Layout>,
    );
  });

  app.post('/:token', async (c) => {
    const contact = await contactOf(c.req.param('token'));
    await unsubscribeContact(deps.db.kysely, contact.contactId, isoNow(deps.now()));
    return page(c, <MessagePage title="You are unsubscribed" message={`${contact.email} will get no more survey emails from us.`} />);
  });

  return app;
}
