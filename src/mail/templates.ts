/** Loads the email templates and compiles each MJML file once, at start-up. */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { escapeHtml, splitTemplate, type FillableTemplate } from './fill.js';

/** The templates folder at the repository root. */
export const TEMPLATES_DIR = fileURLToPath(new URL('../../templates/', import.meta.url));

/** An email template: the HTML part and the plain-text part, both ready to fill. */
export interface EmailTemplate {
  html: FillableTemplate;
  text: FillableTemplate;
}

/** Compiles MJML to HTML, strictly: malformed markup fails here instead of reaching inboxes. */
export async function compileMjml(source: string, name: string): Promise<string> {
  const { default: mjml2html } = await import('mjml');
  // fonts: {} keeps remote font links out; minify stays off (slow, and its cssnano needs Node 22).
  const result = await mjml2html(source, { validationLevel: 'strict', fonts: {}, keepComments: false });
  if (result.errors.length > 0) {
    throw new Error(`template ${name}: ${result.errors.map((e) => `line ${e.line}: ${e.message}`).join('; ')}`);
  }
  return result.html;
}

/** Loads `<name>.mjml` and `<name>.txt` from the templates folder and compiles them. */
export async function loadEmailTemplate(name: string, dir: string = TEMPLATES_DIR): Promise<EmailTemplate> {
  const [mjml, text] = await Promise.all([readFile(`${dir}/${name}.mjml`, 'utf8'), readFile(`${dir}/${name}.txt`, 'utf8')]);
  const html = splitTemplate(await compileMjml(mjml, `${name}.mjml`), escapeHtml);
  const plain = splitTemplate(text);
  const missing = html.names.filter((n) => !plain.names.includes(n) && !['subject', 'preheader'].includes(n));
  if (missing.length > 0) throw new Error(`template ${name}.txt lacks placeholders the HTML part has: ${missing.join(', ')}`);
  return { html, text: plain };
}
