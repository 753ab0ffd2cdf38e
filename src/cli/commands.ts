/** The `nps` commands. Each builds what it needs from the configuration and closes it after. */
import { createCampaign, startCampaign } from '../app/campaigns.js';
import { importClientFile } from '../app/import-clients.js';
import { queryResults, type ResultsScope } from '../app/results.js';
import { addStaff, ensureFirstAdmin } from '../app/staff.js';
import type { Config } from '../config.js';
import { listCampaignSummaries } from '../db/campaigns-repo.js';
import { RESULT_GROUPS, type ResultGroup } from '../db/results-repo.js';
import { SEGMENTS } from '../domain/client-import.js';
import { interpretNps } from '../domain/nps.js';
import { parseQuarter } from '../domain/quarter.js';
import { AppError } from '../errors.js';
import { resultsTable, table } from './format.js';
import { ensureRedis } from './redis-server.js';
import { Runtime } from './runtime.js';
import { UsageError, type ParsedCommand } from './parse.js';

/** Where a command writes: stdout for results, stderr for progress and problems. */
export interface Output {
  out: (line: string) => void;
  err: (line: string) => void;
}

/** A caution when the margin of error is too wide for the verdict to mean much. */
function readWithCare(line: { responses: number; marginOfError: number | null }): string {
  return line.marginOfError !== null && line.marginOfError > 15 ? ` (from ${line.responses} answer(s), ±${line.marginOfError}: read with care)` : '';
}

/** A quarter flag is checked before anything is opened: a typo is a usage error, not a connection attempt. */
function requireQuarter(value: string): void {
  if (!parseQuarter(value)) throw new UsageError(`--quarter "${value}" should look like 2026-Q4`);
}

/** Runs one parsed command; returns the exit code. */
export async function runCommand(config: Readonly<Config>, command: ParsedCommand, io: Output): Promise<number> {
  const runtime = new Runtime(config, io.err);
  const now = () => new Date();
  try {
    switch (command.name) {
      case 'migrate': {
        await runtime.database(true);
        io.err('database is up to date');
        return 0;
      }
      case 'staff add': {
        const db = await runtime.database(true);
        const login = await addStaff({ db, now, config }, { email: command.flags.email, name: command.flags.name, role: command.flags.role });
        io.out(login.generatedPassword ? `created ${login.email}; password (shown once): ${login.generatedPassword}` : `created ${login.email}; password from NPS_PASSWORD`);
        return 0;
      }
      case 'import clients': {
        const db = await runtime.database(true);
        const report = await importClientFile({ db, now }, command.args[0], (done, total) => io.err(`importing: ${done} of ${total} rows...`));
        for (const p of report.problems) io.err(`${command.args[0]}:${p.line}: ${p.message}`);
        io.out(`imported ${report.created + report.updated} contact(s): ${report.created} new, ${report.updated} updated, ${report.accountsCreated} new account(s); ${report.problems.length} row(s) skipped`);
        return report.problems.length > 0 ? 1 : 0;
      }
      case 'campaign create': {
        requireQuarter(command.flags.quarter);
        const { quarter, segment, 'account-manager': manager, 'send-at': sendAt } = command.flags;
        if (segment !== undefined && !(SEGMENTS as readonly string[]).includes(segment)) throw new UsageError(`--segment must be ${SEGMENTS.join(' or ')}`);
        const sendDate = sendAt === undefined ? null : new Date(sendAt);
        if (sendDate && Number.isNaN(sendDate.getTime())) throw new UsageError(`--send-at "${sendAt}" is not a date; use ISO 8601 like 2026-12-07T09:00:00Z`);
        const ctx = await runtime.context(true);
        const campaign = await createCampaign(ctx, { quarter, segment: (segment as 'managed' | 'self_serve' | undefined) ?? null, accountManagerEmail: manager ?? null, sendAt: sendDate, createdBy: 'cli' });
        io.out(campaign.id);
        io.err(campaign.status === 'scheduled' ? `campaign scheduled to send at ${campaign.sendAt}` : `campaign created as a draft; start it with: npm run nps -- campaign send ${campaign.id}`);
        return 0;
      }
      case 'campaign send': {
        const ctx = await runtime.context(true);
        const { resent } = await startCampaign(ctx, command.args[0]);
        const workers = await ctx.queues.campaigns.getWorkersCount();
        io.out(resent === null ? `campaign ${command.args[0]} is starting` : `campaign ${command.args[0]} was already started; sending again to ${resent} failed and any waiting deliveries`);
        if (workers === 0) io.err('note: no worker is running; the emails go out once `npm start` (or `npm run nps -- worker`) runs');
        return 0;
      }
      case 'campaign list': {
        const db = await runtime.database(true);
        const campaigns = await listCampaignSummaries(db.kysely);
        if (command.flags.json) {
          io.out(JSON.stringify(campaigns, null, 2));
        } else if (campaigns.length === 0) {
          io.out('no campaigns yet; create one with: npm run nps -- campaign create --quarter 2026-Q4');
        } else {
          io.out(table(['id', 'quarter', 'status', 'audience', 'sent', 'failed', 'responded', 'created'], campaigns.map((k) => [
            k.id, k.quarter, k.status, [k.segment ?? 'all', k.accountManagerEmail].filter(Boolean).join(' '), `${k.sent}/${k.deliveries}`, String(k.failed), String(k.responded), k.createdAt.slice(0, 16).replace('T', ' '),
          ])));
        }
        return 0;
      }
      case 'results': {
        const by = (command.flags.by ?? 'all') as ResultGroup;
        if (!(RESULT_GROUPS as readonly string[]).includes(by)) throw new UsageError(`--by must be one of ${RESULT_GROUPS.filter((g) => g !== 'all').join(', ')}`);
        if (command.flags.quarter !== undefined) requireQuarter(command.flags.quarter);
        if (command.flags.quarter && command.flags.campaign) throw new UsageError('give --quarter or --campaign, not both');
        const scope: ResultsScope = command.flags.campaign ? { campaignId: command.flags.campaign } : command.flags.quarter ? { quarter: command.flags.quarter } : {};
        const db = await runtime.database(true);
        const lines = await queryResults({ db, now }, scope, by);
        if (command.flags.json) io.out(JSON.stringify(lines, null, 2));
        else {
          io.out(resultsTable(lines, by === 'all' ? 'scope' : by.replace('_', ' ')));
          if (by === 'all' && lines[0]) io.out(`\n${interpretNps(lines[0].nps)}${readWithCare(lines[0])}`);
        }
        return 0;
      }
      case 'web': {
        runtime.warnings(true);
        const ctx = await runtime.context(false);
        await runtime.web(ctx);
        await runtime.closeOnSignals();
        return 0;
      }
      case 'worker': {
        runtime.warnings(true);
        const ctx = await runtime.context(false);
        await runtime.workers(ctx, true);
        await runtime.closeOnSignals();
        return 0;
      }
      case 'start': {
        runtime.warnings(false);
        const localRedis = await ensureRedis(config.redisUrl, config.dataDir, io.err);
        if (localRedis) runtime.onClose(() => localRedis.stop());
        const ctx = await runtime.context(true);
        const admin = await ensureFirstAdmin(ctx);
        if (admin) {
          io.out(`first start: created the admin login ${admin.email} with password ${admin.generatedPassword ?? '(from NPS_PASSWORD)'}`);
          io.out('  (shown once; add more logins with: npm run nps -- staff add --email E --name N --role admin)');
        }
        await runtime.workers(ctx, true);
        await runtime.web(ctx);
        io.out(`nps-campaigns is up: ${config.publicUrl}/admin  (Ctrl-C stops it)`);
        await runtime.closeOnSignals();
        return 0;
      }
    }
  } catch (error) {
    if (error instanceof UsageError) throw error;
    if (error instanceof AppError) {
      io.err(`error: ${error.message}`);
      return 1;
    }
    io.err(`error: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    await runtime.close();
  }
}
