/** The `nps` command: parse, load settings, run. */
import { existsSync } from 'node:fs';
import { UsageError, parseCommand } from './cli/parse.js';
import { USAGE } from './cli/usage.js';
import { ConfigError, loadConfig } from './config.js';

async function main(argv: string[]): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    (argv.length === 0 ? console.error : console.log)(USAGE);
    return argv.length === 0 ? 2 : 0;
  }
  try {
    const command = parseCommand(argv);
    // Settings from ./.env, if there is one; variables already set in the environment win.
    if (existsSync('.env')) process.loadEnvFile('.env');
    const config = loadConfig();
    // Loaded after parsing, so --help and usage errors answer at once.
    const { runCommand } = await import('./cli/commands.js');
    return await runCommand(config, command, { out: (l) => console.log(l), err: (l) => console.error(l) });
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`error: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    if (error instanceof ConfigError) {
      console.error(`error: ${error.message}`);
      return 1;
    }
    throw error;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
