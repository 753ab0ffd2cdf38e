/** The page frame every HTML page shares. */
import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';

const STYLE = `
  :root { color-scheme: light; --ink: #0f172a; --muted: #64748b; --line: #cbd5e1; --accent: #2563eb; --ok: #15803d; --bad: #b91c1c; }
  * { box-sizing: border-box; }
  body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: #f8fafc; }
  main { max-width: 44rem; margin: 2rem auto; padding: 1.5rem; background: #fff; border: 1px solid #e2e8f0; border-radius: 8px; }
  main.wide { max-width: 72rem; }
  h1 { font-size: 1.4rem; margin: 0 0 1rem; }
  label { display: block; font-weight: 600; margin: 1rem 0 .25rem; }
  textarea, input[type=email], input[type=password], input[type=text] { width: 100%; padding: .5rem; font: inherit; border: 1px solid var(--line); border-radius: 4px; }
  textarea { min-height: 5rem; }
  button { font: inherit; padding: .55rem 1.1rem; border: 0; border-radius: 4px; background: var(--accent); color: #fff; cursor: pointer; margin-top: 1rem; }
  .scores { display: flex; flex-wrap: wrap; gap: .25rem; border: 0; padding: 0; margin: 0; }
  .scores label { margin: 0; font-weight: 400; }
  .scores input { position: absolute; opacity: 0; }
  .scores span { display: inline-block; width: 2.5rem; line-height: 2.5rem; text-align: center; border: 1px solid var(--line); border-radius: 4px; cursor: pointer; }
  .scores input:checked + span { background: var(--accent); border-color: var(--accent); color: #fff; font-weight: 700; }
  .scores input:focus-visible + span { outline: 2px solid var(--ink); }
  .ends { display: flex; justify-content: space-between; color: var(--muted); font-size: .85rem; max-width: 30rem; }
  .status { padding: .6rem .8rem; border-radius: 4px; background: #eff6ff; margin: 1rem 0; }
  .status.ok { background: #f0fdf4; color: var(--ok); }
  .status.bad { background: #fef2f2; color: var(--bad); }
  .muted { color: var(--muted); font-size: .9rem; }
  table { border-collapse: collapse; width: 100%; }
  th, td { text-align: left; padding: .4rem .5rem; border-bottom: 1px solid #e2e8f0; vertical-align: top; }
  nav a { margin-right: 1rem; }
  iframe { width: 100%; height: 36rem; border: 1px solid #e2e8f0; }
  pre { white-space: pre-wrap; word-break: break-word; background: #f1f5f9; padding: .75rem; border-radius: 4px; }
`;

/** Wraps a page body with head, styles and an optional admin navigation. */
export function Layout(props: { title: string; children: Child; wide?: boolean; nav?: boolean }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>{props.title}</title>
        {/* raw: JSX would escape the quotes in font names and break the rule */}
        <style>{raw(STYLE)}</style>
      </head>
      <body>
        <main class={props.wide ? 'wide' : undefined}>
          {props.nav ? (
            <nav>
              <a href="/admin">Dashboard</a>
              <a href="/admin/outbox">Outbox</a>
              <form method="post" action="/admin/logout" style="display:inline">
                <button type="submit" style="margin:0;padding:.2rem .6rem">Log out</button>
              </form>
            </nav>
          ) : null}
          {props.children}
        </main>
      </body>
    </html>
  );
}

/** A page that explains a problem in plain words. */
export function MessagePage(props: { title: string; message: string }) {
  return (
    <Layout title={props.title}>
      <h1>{props.title}</h1>
      <p>{props.message}</p>
    </Layout>
  );
}
