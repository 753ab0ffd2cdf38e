/**
 * The score POST through the whole web app (token check, prepared upsert, link event, results
 * request to Redis), in process, against a bare Hono route: what a click costs the server.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { surveyLinks } from '../src/app/links.js';
import { loadConfig } from '../src/config.js';
import { keyringFromSecrets } from '../src/domain/token.js';
import { createProducerConnection, redisAnswers } from '../src/queue/connection.js';
import { createQueues } from '../src/queue/queues.js';
import { createApp } from '../src/web/app.js';
import { formatNs, nsPerOp, type BenchLine } from './measure.js';
import { seedSentDeliveries } from './seed.js';

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });

export async function benchHttp(): Promise<BenchLine[]> {
  if (spawnSync('sh', ['-c', 'command -v redis-server']).status !== 0) {
    console.error('bench/http: redis-server is not installed; skipping the score POST benchmark');
    return [];
  }
  const dir = await mkdtemp(join(tmpdir(), 'nps-bench-http-'));
  const redisPort = await freePort();
  const redis = spawn('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const redisUrl = `redis://127.0.0.1:${redisPort}`;
  const secret = 'bench-secret-that-is-long-enough-000000000';
  const connection = createProducerConnection(redisUrl);
  connection.on('error', () => {}); // the bench stops its Redis at the end
  for (let i = 0; i < 50 && !(await redisAnswers(redisUrl, 200)); i++) await new Promise((r) => setTimeout(r, 100));
  // One POST per delivery, as in life: every request in the run below goes to a fresh one.
  const { db, deliveries } = await seedSentDeliveries(dir, 12_000);
  try {
    const config = loadConfig({ SECRET_KEYS: secret, REDIS_URL: redisUrl, DATA_DIR: dir, QUEUE_PREFIX: 'bench' });
    const keyring = keyringFromSecrets([secret]);
    const queues = createQueues(connection, 'bench');
    const app = createApp({ config, db, queues, keyring, now: () => new Date(), outboxDir: join(dir, 'outbox'), redisAnswers: async () => true });
    const paths = deliveries.map((d) => `${new URL(surveyLinks('http://bench', keyring, d, new Date('2099-01-01')).scoreUrl).pathname}/score`);
    let i = 0;
    const post = await nsPerOp(async () => {
      const response = await app.request(paths[i++ % paths.length], { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `score=${i % 11}` });
      if (response.status !== 200) throw new Error(`score POST answered ${response.status}`);
    }, 2_000, 5);
    const bare = new Hono().post('/s/:token/score', async (c) => c.json({ ok: true, score: (await c.req.parseBody()).score }));
    const baseline = await nsPerOp(() => bare.request('/s/x/score', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'score=7' }), 2_000, 5);
    await queues.close();
    return [
      {
        name: 'score POST through the whole app, in process (token, upsert, link event, burst check, results request to Redis)',
        value: `${formatNs(post)} (${Math.round(1e9 / post).toLocaleString('en')}/s on one core)`,
        baseline: `${formatNs(baseline)} (a bare Hono route parsing the same form)`,
        ratio: `${(post / baseline).toFixed(1)}x the bare route`,
        target: 'no target',
        ok: true,
      },
    ];
  } finally {
    connection.disconnect();
    await db.close();
    redis.kill('SIGTERM');
    await rm(dir, { recursive: true, force: true });
  }
}
