/** Timing helpers for the benchmarks: warm up, run rounds, report the median. */

/** Median nanoseconds per operation of `op`, over `rounds` rounds of `perRound` calls. */
export async function nsPerOp(op: () => unknown, perRound: number, rounds = 7): Promise<number> {
  for (let i = 0; i < Math.min(perRound, 1000); i++) await op();
  const samples: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < perRound; i++) await op();
    samples.push(Number(process.hrtime.bigint() - start) / perRound);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

/** "12.3 µs" / "4.56 ms". */
export function formatNs(ns: number): string {
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(2)} ms`;
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(2)} µs`;
  return `${ns.toFixed(0)} ns`;
}

/** One line of the report. */
export interface BenchLine {
  name: string;
  value: string;
  baseline: string;
  ratio: string;
  target: string;
  ok: boolean;
}
