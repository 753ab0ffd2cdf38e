/** Coarse facts about a request, kept as evidence for scanner detection (never a full IP address). */
import type { Context } from 'hono';

/** The /24 (IPv4) or /48 (IPv6) network a request came from, or null when unknown. */
export function coarseNetwork(c: Context): string | null {
  let address: string | undefined;
  try {
    // @hono/node-server puts the socket on c.env.incoming; app.request() in tests has none.
    const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
    address = env?.incoming?.socket?.remoteAddress;
  } catch {
    address = undefined;
  }
  if (!address) return null;
  const v4 = /(\d+)\.(\d+)\.(\d+)\.\d+$/.exec(address);
  if (v4) return `${v4[1]}.${v4[2]}.${v4[3]}.0/24`;
  return `${address.split(':').slice(0, 3).join(':')}::/48`;
}

/** The user agent, shortened. */
export function userAgent(c: Context): string | null {
  return c.req.header('user-agent')?.slice(0, 300) ?? null;
}
