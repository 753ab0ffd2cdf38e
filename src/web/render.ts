/** Sends a JSX page as a complete HTML document. */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** Renders `element` with a doctype (Hono's c.html writes none) and the given status. */
export async function page(c: Context, element: unknown, status: ContentfulStatusCode = 200): Promise<Response> {
  const body = await (element as Promise<string> | string);
  return c.html(`<!doctype html>${body}`, status);
}
