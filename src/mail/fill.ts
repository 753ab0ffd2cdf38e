/**
 * A template split once at its `{{name}}` placeholders, then filled per recipient by
 * concatenation: about a microsecond, where compiling MJML costs about ten milliseconds.
 */

/** Escapes text for HTML element content and double-quoted attributes. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** A compiled template ready to fill. */
export interface FillableTemplate {
  /** The placeholder names, each once. */
  readonly names: readonly string[];
  /** Fills every placeholder; throws when a value is missing, so no `{{x}}` reaches a client. */
  fill(values: Readonly<Record<string, string>>): string;
}

/** Splits `source` at its placeholders. `escape` says how values are made safe (HTML or none). */
export function splitTemplate(source: string, escape: (value: string) => string = (v) => v): FillableTemplate {
  const pieces = source.split(/\{\{\s*([a-z_][a-z0-9_]*)\s*\}\}/);
  // split() with a capture group alternates literal text and placeholder names.
  const literals = pieces.filter((_, i) => i % 2 === 0);
  const slots = pieces.filter((_, i) => i % 2 === 1);
  const names = [...new Set(slots)];
  return {
    names,
    fill(values) {
      const safe: Record<string, string> = {};
      for (const name of names) {
        const value = values[name];
        if (value === undefined) throw new Error(`template value "${name}" is missing`);
        safe[name] = escape(value);
      }
      let out = literals[0];
      for (let i = 0; i < slots.length; i++) out += safe[slots[i]] + literals[i + 1];
      return out;
    },
  };
}
