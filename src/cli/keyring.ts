/** The signing keys: SECRET_KEYS, or a key generated once into the data folder for one-machine use. */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, type Config } from '../config.js';
import { keyringFromSecrets, type Keyring } from '../domain/token.js';

/** Builds the keyring; throws ConfigError naming SECRET_KEYS when a key is unusable. */
export function loadKeyring(config: Readonly<Config>): Keyring {
  let secrets = config.secretKeys;
  if (!secrets) {
    const file = join(config.dataDir, 'secret-keys');
    try {
      secrets = readFileSync(file, 'utf8').split(/\s+/).filter(Boolean);
    } catch {
      mkdirSync(config.dataDir, { recursive: true });
      secrets = [randomBytes(32).toString('base64url')];
      // 'wx' fails if another process wrote it first; then read theirs.
      try {
        writeFileSync(file, `${secrets[0]}\n`, { mode: 0o600, flag: 'wx' });
      } catch {
        secrets = readFileSync(file, 'utf8').split(/\s+/).filter(Boolean);
      }
    }
  }
  try {
    return keyringFromSecrets(secrets);
  } catch (error) {
    throw new ConfigError(`SECRET_KEYS: ${(error as Error).message}`);
  }
}
