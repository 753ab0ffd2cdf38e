/** Redis connections for queues (producers) and workers (consumers). */
import { Redis } from 'ioredis';

/** A connection for a Worker: BullMQ requires it to retry forever rather than fail a blocking call. */
export function createWorkerConnection(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, lazyConnect: false });
}

/** A connection for adding jobs: fails a command after a few retries instead of hanging a web request. */
export function createProducerConnection(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: 3, connectTimeout: 5_000 });
}

/** Answers whether Redis at `url` responds within `timeoutMs`; never throws. */
export async function redisAnswers(url: string, timeoutMs = 2_000): Promise<boolean> {
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: timeoutMs, retryStrategy: () => null });
  probe.on('error', () => {});
  try {
    await probe.connect();
    return (await probe.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}
