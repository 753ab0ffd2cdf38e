/** For `npm start` on one machine: use the Redis at REDIS_URL, or start a local one as a child. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { redisAnswers } from '../queue/connection.js';

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

function hasBinary(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

/** A Redis this process started, and how to stop it. */
export interface LocalRedis {
  stop(): Promise<void>;
}

/**
 * Makes sure Redis answers at `url`. When nothing answers on a local address, starts
 * `redis-server` as a child (installing Debian's package first when running as root), with its
 * append-only file in the data folder so queued jobs survive a restart.
 */
export async function ensureRedis(url: string, dataDir: string, say: (line: string) => void): Promise<LocalRedis | null> {
  if (await redisAnswers(url)) return null;
  const parsed = new URL(url);
  if (!LOCAL_HOSTS.has(parsed.hostname)) {
    throw new Error(`REDIS_URL ${parsed.host} does not answer. Start Redis there, or unset REDIS_URL to use a local one.`);
  }
  if (!hasBinary('redis-server')) {
    if (process.getuid?.() === 0 && hasBinary('apt-get')) {
      say('redis-server is not installed; installing Debian\'s redis-server package (about a minute)...');
      const update = spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
      const install = update.status === 0 ? spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'redis-server'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } }) : update;
      if (install.status !== 0) throw new Error('installing redis-server failed; install it by hand (apt-get install redis-server) or set REDIS_URL');
    } else {
      throw new Error(
        'Redis does not answer at REDIS_URL and redis-server is not installed. Install it (sudo apt-get install redis-server, or brew install redis) or set REDIS_URL to a running Redis.',
      );
    }
  }
  const dir = resolve(dataDir, 'redis');
  mkdirSync(dir, { recursive: true });
  const port = parsed.port || '6379';
  const child: ChildProcess = spawn(
    'redis-server',
    ['--port', port, '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--appendfsync', 'everysec', '--save', '', '--maxmemory-policy', 'noeviction'],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  let exited = false;
  child.on('exit', () => { exited = true; });
  for (let i = 0; i < 50; i++) {
    if (exited) throw new Error(`redis-server exited at start (is port ${port} taken by something else?)`);
    if (await redisAnswers(url, 500)) {
      say(`started redis-server on 127.0.0.1:${port} (data in ${dir})`);
      return {
        stop: () =>
          new Promise<void>((done) => {
            if (exited) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error('redis-server did not answer within 5 seconds of starting');
}
