/** The score POST's database write: one prepared statement, against building the same upsert through Kysely per call. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { isoNow, newId } from '../src/db/ids.js';
import { prepareRecordScore } from '../src/db/responses-repo.js';
import { formatNs, nsPerOp, type BenchLine } from './measure.js';
import { seedSentDeliveries } from './seed.js';

export async function benchScore(): Promise<BenchLine[]> {
  const dir = await mkdtemp(join(tmpdir(), 'nps-bench-'));
  const { db, deliveries } = await seedSentDeliveries(dir, 10_000);
  try {
    const k = db.kysely;
    const recordScore = prepareRecordScore(db);
    let i = 0;
    const prepared = await nsPerOp(() => recordScore(deliveries[i++ % deliveries.length], i % 11, isoNow()), 5_000);
    // The same statement built and prepared again on every call, as a plain Kysely query would be.
    let j = 0;
    const perCall = await nsPerOp(() => {
      const t = isoNow();
      const d = deliveries[j++ % deliveries.length];
      return sql`insert into responses (id, delivery_id, campaign_id, contact_id, account_id, channel, score, state, created_at, updated_at)
        select ${newId()}, d.id, d.campaign_id, d.contact_id, c.account_id, 'email', ${j % 11}, 'confirmed', ${t}, ${t}
        from deliveries d join contacts c on c.id = d.contact_id join campaigns k on k.id = d.campaign_id
        where d.id = ${d} and k.status in ('sending', 'sent') and (k.closes_at is null or k.closes_at > ${t})
        on conflict (delivery_id) do update set score = excluded.score, state = 'confirmed', updated_at = excluded.updated_at
        returning id, campaign_id`.execute(k);
    }, 5_000);
    return [
      {
        name: 'record a score (SQLite upsert, WAL, synchronous=NORMAL)',
        value: `${formatNs(prepared)} (${Math.round(1e9 / prepared).toLocaleString('en')}/s)`,
        baseline: `${formatNs(perCall)} (same SQL prepared per call through Kysely)`,
        ratio: `${(perCall / prepared).toFixed(1)}x faster`,
        target: 'prepared once',
        ok: prepared < perCall,
      },
    ];
  } finally {
    await db.close();
    await rm(dir, { recursive: true, force: true });
  }
}
