/** `npm run bench`: runs every benchmark and prints a table for the README. Exit 1 if a target is missed. */
import type { BenchLine } from './measure.js';
import { benchHttp } from './http.js';
import { benchRender } from './render.js';
import { benchScore } from './score.js';

const lines: BenchLine[] = [...(await benchRender()), ...(await benchScore()), ...(await benchHttp())];
console.log(`node ${process.version}, ${new Date().toISOString().slice(0, 10)}\n`);
console.log('| what | measured | baseline (same run) | ratio | target |');
console.log('|---|---|---|---|---|');
for (const l of lines) console.log(`| ${l.name} | ${l.value} | ${l.baseline} | ${l.ratio} | ${l.target}${l.ok ? '' : ' (MISSED)'} |`);
process.exitCode = lines.every((l) => l.ok) ? 0 : 1;
