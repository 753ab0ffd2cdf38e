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

/** Parses `argv` (without node and the script). */
export function parseCommand(argv: string[]): ParsedCommand {
  const words = argv.filter((a) => !a.startsWith('-'));
  const two = `${words[0]} ${words[1]}` as CommandName;
  const name: CommandName | undefined = two in SPECS ? two : words[0] in SPECS ? (words[0] as CommandName) : undefined;
  if (!name) throw new UsageError(argv.length === 0 ? 'no command given' : `unknown command "${words.slice(0, 2).join(' ')}"`);
  const spec = SPECS[name];
  const options: Record<string, { type: 'string' | 'boolean' }> = {};
  for (const flag of spec.flags ?? []) options[flag] = { type: 'string' };
  if (spec.json) options.json = { type: 'boolean' };
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(`${name}: ${(error as Error).message.replace(/\. To specify.*$/s, '')}`);
  }
  const args = parsed.positionals.slice(name.split(' ').length);
  if (args.length !== spec.args) {
    throw new UsageError(spec.args === 0 ? `${name} takes no arguments, got: ${args.join(' ')}` : `${name} needs ${spec.argNames?.join(' ')}`);
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  for (const flag of spec.required ?? []) {
    if (typeof values[flag] !== 'string' || values[flag] === '') throw new UsageError(`${name} needs --${flag}`);
  }
  return { name, args, flags: values as ParsedCommand['flags'] };
}
