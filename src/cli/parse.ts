/** Turns argv into a command, or a UsageError that says what is wrong. */
import { parseArgs } from 'node:util';

/** A wrong command, flag or argument; the CLI prints it with the usage and exits 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export type CommandName =
  | 'start' | 'web' | 'worker' | 'migrate' | 'staff add' | 'import clients'
  | 'campaign create' | 'campaign send' | 'campaign list' | 'results';

/** A command with its positional arguments and flags (required flags are always present). */
export interface ParsedCommand {
  name: CommandName;
  args: string[];
  flags: Record<string, string> & { json?: boolean };
}

interface Spec {
  args: number;
  argNames?: string[];
  flags?: string[];
  required?: string[];
  json?: boolean;
}

const SPECS: Record<CommandName, Spec> = {
  start: { args: 0 },
  web: { args: 0 },
  worker: { args: 0 },
  migrate: { args: 0 },
  'staff add': { args: 0, flags: ['email', 'name', 'role'], required: ['email', 'name', 'role'] },
  'import clients': { args: 1, argNames: ['FILE.csv'] },
  'campaign create': { args: 0, flags: ['quarter', 'segment', 'account-manager', 'send-at'], required: ['quarter'] },
  'campaign send': { args: 1, argNames: ['ID'] },
  'campaign list': { args: 0, json: true },
  results: { args: 0, flags: ['quarter', 'campaign', 'by'], json: true },
};

const STRING_FLAGS = new Set(Object.values(SPECS).flatMap((spec) => spec.flags ?? []));
// Ids are 22 characters of base64url and may start with "-": never an option.
const ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;

/**
 * Separates words from options before parseArgs sees them: `--flag value` becomes `--flag=value`
 * (so a value starting with "-" is kept), and id-shaped words go after `--` as positionals.
 */
function normalize(argv: string[]): { words: string[]; options: string[] } {
  const words: string[] = [];
  const options: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i];
    if (token === '--') {
      words.push(...argv.slice(i + 1));
      break;
    }
    const flag = token.startsWith('--') ? token.slice(2) : null;
    if (flag !== null && STRING_FLAGS.has(flag) && i + 1 < argv.length) options.push(`--${flag}=${argv[++i]}`);
    else if (token.startsWith('-') && !ID_PATTERN.test(token)) options.push(token);
    else words.push(token);
  }
  return { words, options };
}

/** Parses `argv` (without node and the script). */
export function parseCommand(argv: string[]): ParsedCommand {
  const { words, options: optionTokens } = normalize(argv);
  const two = `${words[0]} ${words[1]}` as CommandName;
  const name: CommandName | undefined = two in SPECS ? two : words[0] in SPECS ? (words[0] as CommandName) : undefined;
  if (!name) throw new UsageError(argv.length === 0 ? 'no command given' : `unknown command "${words.slice(0, 2).join(' ')}"`);
  const spec = SPECS[name];
  const options: Record<string, { type: 'string' | 'boolean' }> = {};
  for (const flag of spec.flags ?? []) options[flag] = { type: 'string' };
  if (spec.json) options.json = { type: 'boolean' };
  let parsed;
  try {
    parsed = parseArgs({ args: optionTokens, options, allowPositionals: false, strict: true });
  } catch (error) {
    throw new UsageError(`${name}: ${(error as Error).message.replace(/\. To specify.*$/s, '')}`);
  }
  const args = words.slice(name.split(' ').length);
  if (args.length !== spec.args) {
    throw new UsageError(spec.args === 0 ? `${name} takes no arguments, got: ${args.join(' ')}` : `${name} needs ${spec.argNames?.join(' ')}`);
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  for (const flag of spec.required ?? []) {
    if (typeof values[flag] !== 'string' || values[flag] === '') throw new UsageError(`${name} needs --${flag}`);
  }
  return { name, args, flags: values as ParsedCommand['flags'] };
}
