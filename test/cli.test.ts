// The `nps` command line as a person uses it: the real CLI in a child process (tsx src/cli.ts),
// its stdout, stderr and exit code, against a throwaway database, data folder and queue prefix.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importClientFile } from '../src/app/import-clients.js';
import { insertCampaign } from '../src/db/campaigns-repo.js';
import { verifyPassword } from '../src/domain/password.js';
import { cliEnv, createCliSandbox, describeRun, runCli, type CliRun, type CliSandbox } from './support/cli.js';
import { dialectsUnderTest } from './support/databases.js';
import { freePort } from './support/free-port.js';
import { answer, eventually, scoreLinks, startTestSystem, writeClientCsv, type TestSystem } from './support/system.js';

const USAGE_HEADING = 'Usage: nps <command> [options]';
const RESULT_FIELDS = ['nps', 'promoters', 'passives', 'detractors', 'responses', 'delivered', 'responseRate', 'marginOfError'] as const;

/** Asserts the exit code, showing the whole run when it is not the expected one. */
function expectExit(run: CliRun, code: number): void {
  expect(run.code, describeRun(run)).toBe(code);
}

/** Asserts a failure: a non-zero exit code, not a crash by signal. */
function expectFailure(run: CliRun): void {
  expect(run.signal, describeRun(run)).toBeNull();
  expect(run.code, describeRun(run)).not.toBe(0);
}

/** The `<file>:<line>:` problems of an import, by line. */
function problemLines(stderr: string, file: string): Map<number, string> {
  const problems = new Map<number, string>();
  for (const line of stderr.split('\n')) {
    if (!line.startsWith(`${file}:`)) continue;
    const m = /^:(\d+): (.*)$/.exec(line.slice(file.length));
    if (m) problems.set(Number(m[1]), m[2]);
  }
  return problems;
}

describe('nps: wrong commands and flags', () => {
  let sandbox: CliSandbox;
  beforeAll(async () => {
    sandbox = await createCliSandbox('sqlite');
  });
  afterAll(async () => {
    await sandbox?.close();
  });

  it('a wrong command, a wrong or missing flag or value, a missing file or no arguments print the usage on stderr and exit 2', async () => {
    const cases: { args: string[]; says: RegExp }[] = [
      { args: [], says: /Usage: nps/ },
      { args: ['frobnicate'], says: /unknown command "frobnicate"/ },
      { args: ['campaign', 'create', '--quartr', '2026-Q4'], says: /--quartr/ },
      { args: ['campaign', 'create'], says: /campaign create needs --quarter/ },
      { args: ['import', 'clients'], says: /import clients needs FILE\.csv/ },
      { args: ['results', '--by', 'nonsense'], says: /--by must be one of account_manager, segment, account, channel/ },
    ];
    const [help, ...runs] = await Promise.all([sandbox.run(['--help']), ...cases.map((c) => sandbox.run(c.args))]);
    for (const [i, run] of runs.entries()) {
      expectExit(run, 2);
      expect(run.stderr, describeRun(run)).toMatch(cases[i].says);
      expect(run.stderr, describeRun(run)).toContain(USAGE_HEADING);
      expect(run.stdout, describeRun(run)).toBe('');
    }
    // Asked for, the usage is the answer: stdout and exit 0.
    expectExit(help, 0);
    expect(help.stdout).toContain(USAGE_HEADING);
  });
});

describe('nps: settings that are wrong', () => {
  let sandbox: CliSandbox;
  beforeAll(async () => {
    sandbox = await createCliSandbox('sqlite');
  });
  afterAll(async () => {
    await sandbox?.close();
  });

  it('a malformed or unreachable DATABASE_URL and an unreachable REDIS_URL are named in the error, quickly, with a non-zero exit', async () => {
    const [closedDbPort, closedRedisPort] = [await freePort(), await freePort()];
    const [malformed, unreachableDb, worker] = await Promise.all([
      sandbox.run(['migrate'], { DATABASE_URL: 'mysql://nps:hunter2@db.example/nps' }),
      sandbox.run(['migrate'], { DATABASE_URL: `postgres://nps:hunter2@127.0.0.1:${closedDbPort}/nps` }),
      sandbox.run(['worker'], { REDIS_URL: `redis://127.0.0.1:${closedRedisPort}` }),
    ]);

    expectFailure(malformed);
    expect(malformed.stderr, describeRun(malformed)).toMatch(/DATABASE_URL/);
    expect(malformed.stderr, 'the password is not printed').not.toContain('hunter2');

    expectFailure(unreachableDb);
    expect(unreachableDb.stderr, describeRun(unreachableDb)).toMatch(/DATABASE_URL/);
    expect(unreachableDb.stderr, 'the password is not printed').not.toContain('hunter2');

    // The worker does not hang retrying forever: it gives up within seconds and says why.
    expectFailure(worker);
    expect(worker.stderr, describeRun(worker)).toMatch(/REDIS_URL/);
    expect(worker.ms, describeRun(worker)).toBeLessThan(10_000);
  });
});

describe.each(dialectsUnderTest())('nps on %s', (dialect) => {
  let sandbox: CliSandbox;
  beforeAll(async () => {
    sandbox = await createCliSandbox(dialect);
  });
  afterAll(async () => {
    await sandbox?.close();
  });

  const contacts = () =>
    sandbox.query((db) =>
      db.selectFrom('contacts as c').innerJoin('accounts as a', 'a.id', 'c.account_id').select(['c.email', 'c.name', 'a.name as account', 'a.segment']).orderBy('c.email').execute(),
    );

  it('import clients: bad rows are reported as file:line and skipped, good rows land, exit 1; a corrected re-import updates by email, exit 0', async () => {
    const file = join(sandbox.dataDir, 'clients.csv');
    // Windows line ends, a blank line and a quoted name over two lines: the line numbers are the ones an editor shows.
    const lines = [
      /* 1 */ 'account,email,name,account_manager_email,segment,locale,time_zone',
      /* 2 */ 'Acme,ann@acme.test,Ann,am@agency.test,managed,en,Europe/London',
      /* 3 */ 'Acme,,No Email,am@agency.test,managed,,',
      /* 4 */ 'Acme,not-an-email,Bad Email,,managed,,',
      /* 5 */ '',
      /* 6 */ 'Globex,bob@globex.test,"Bob',
      /* 7 */ 'Builder",,self_serve,,',
      /* 8 */ 'Globex,carol@globex.test,Carol,,enterprise,,',
      /* 9 */ 'Initech,ANN@acme.test,Ann Again,,managed,,',
      /* 10 */ 'Initech,dan@initech.test,Dan,,self-serve,,',
    ];
    await writeFile(file, `${lines.join('\r\n')}\r\n`);

    const first = await sandbox.run(['import', 'clients', file]);
    expectExit(first, 1);
    const problems = problemLines(first.stderr, file);
    expect([...problems.keys()], describeRun(first)).toEqual([3, 4, 8, 9]);
    expect(problems.get(3)).toMatch(/email is missing/);
    expect(problems.get(4)).toMatch(/"not-an-email" is not an email address/);
    expect(problems.get(8)).toMatch(/unknown segment "enterprise"/);
    expect(problems.get(9)).toMatch(/ANN@acme\.test already appears on line 2/);
    expect(first.stdout, describeRun(first)).toMatch(/imported 3 contact\(s\): 3 new, 0 updated, 3 new account\(s\); 4 row\(s\) skipped/);

    const afterFirst = await contacts();
    expect(afterFirst.map((c) => c.email)).toEqual(['ann@acme.test', 'bob@globex.test', 'dan@initech.test']);
    expect(afterFirst[0]).toMatchObject({ name: 'Ann', account: 'Acme', segment: 'managed' });
    expect(afterFirst[1].name).toMatch(/^Bob\r?\nBuilder$/);
    expect(afterFirst[2]).toMatchObject({ account: 'Initech', segment: 'self_serve' });

    // Fixed up and re-imported: the same person (whatever the case of the address) is updated, not added twice.
    await writeFile(file, ['account,email,name', 'Acme,Ann@Acme.test,Ann Smith', 'Globex,erin@globex.test,Erin', ''].join('\n'));
    const second = await sandbox.run(['import', 'clients', file]);
    expectExit(second, 0);
    expect(problemLines(second.stderr, file).size, describeRun(second)).toBe(0);
    expect(second.stdout, describeRun(second)).toMatch(/1 new, 1 updated/);
    const afterSecond = await contacts();
    expect(afterSecond.map((c) => c.email)).toEqual(['ann@acme.test', 'bob@globex.test', 'dan@initech.test', 'erin@globex.test']);
    expect(afterSecond[0]).toMatchObject({ name: 'Ann Smith', account: 'Acme' });
  });

  it('staff add prints a generated password once, the one that logs in; the same email again is refused with exit 1', async () => {
    const added = await sandbox.run(['staff', 'add', '--email', 'am@agency.test', '--name', 'Ann Manager', '--role', 'account_manager']);
    expectExit(added, 0);
    const password = /password \(shown once\): (\S+)/.exec(added.stdout)?.[1];
    expect(password, describeRun(added)).toBeDefined();
    expect(password!.length).toBeGreaterThanOrEqual(12);
    expect(added.stdout.split(password!).length - 1, 'printed exactly once').toBe(1);
    expect(added.stderr).not.toContain(password!);

    const again = await sandbox.run(['staff', 'add', '--email', 'AM@Agency.test', '--name', 'Ann Again', '--role', 'admin']);
    expectExit(again, 1);
    expect(again.stderr, describeRun(again)).toMatch(/am@agency\.test already exists/);
    expect(again.stdout).not.toMatch(/password/);

    const staff = await sandbox.query((db) => db.selectFrom('staff').select(['email', 'name', 'role', 'password_hash']).execute());
    expect(staff.map(({ email, name, role }) => ({ email, name, role }))).toEqual([{ email: 'am@agency.test', name: 'Ann Manager', role: 'account_manager' }]);
    expect(staff[0].password_hash).not.toContain(password!);
    expect(await verifyPassword(password!, staff[0].password_hash), 'the printed password is the one that logs in').toBe(true);
  });

  it('campaign create prints just an id; campaign list --json shows it as a draft; results --json has the contract fields, nps null before any answer', async () => {
    const csv = await writeClientCsv(sandbox.dataDir, 2, 2);
    expectExit(await sandbox.run(['import', 'clients', csv]), 0);

    const created = await sandbox.run(['campaign', 'create', '--quarter', '2026-Q4']);
    expectExit(created, 0);
    expect(created.stdout, describeRun(created)).toMatch(/^\S+\n$/);
    // `--campaign=ID`, not `--campaign ID`: about 1 id in 64 starts with '-' (see 'campaign ids that start with -').
    const id = created.stdout.trim();

    const [list, results] = await Promise.all([sandbox.run(['campaign', 'list', '--json']), sandbox.run(['results', `--campaign=${id}`, '--json'])]);

    expectExit(list, 0);
    const campaigns = JSON.parse(list.stdout) as { id: string; quarter: string; status: string }[];
    expect(campaigns).toEqual([expect.objectContaining({ id, quarter: '2026-Q4', status: 'draft' })]);

    expectExit(results, 0);
    const lines = JSON.parse(results.stdout) as Record<string, unknown>[];
    expect(Array.isArray(lines)).toBe(true);
    for (const field of RESULT_FIELDS) expect(lines[0], `results --json has "${field}"`).toHaveProperty(field);
    expect(lines[0]).toMatchObject({ nps: null, promoters: 0, passives: 0, detractors: 0, responses: 0, delivered: 0 });
  });
});

describe('nps refuses bad input and changes nothing', () => {
  let sandbox: CliSandbox;
  beforeAll(async () => {
    sandbox = await createCliSandbox('sqlite');
  });
  afterAll(async () => {
    await sandbox?.close();
  });

  const contacts = () => sandbox.query((db) => db.selectFrom('contacts').select(['email', 'name', 'updated_at']).orderBy('email').execute());

  it('import clients: a binary file, a header without email and a missing file are refused with a clear error and change nothing', async () => {
    await sandbox.open(async (db) => {
      await importClientFile({ db, now: () => new Date() }, await writeClientCsv(sandbox.dataDir, 1, 2));
    });
    const before = await contacts();
    expect(before).toHaveLength(2);
    const png = join(sandbox.dataDir, 'logo.csv');
    await writeFile(png, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x01, 0x00]));
    const zip = join(sandbox.dataDir, 'clients.xlsx.csv');
    await writeFile(zip, Buffer.concat([Buffer.from('PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00', 'latin1'), Buffer.from('account,email\nZip,zip@zip.test\n')]));
    const noEmail = join(sandbox.dataDir, 'no-email.csv');
    await writeFile(noEmail, 'account,e-mail,name\nAcme,zed@acme.test,Zed\n');
    const missing = join(sandbox.dataDir, 'not-there.csv');

    const [pngRun, zipRun, noEmailRun, missingRun] = await Promise.all([png, zip, noEmail, missing].map((f) => sandbox.run(['import', 'clients', f])));
    for (const [run, file] of [[pngRun, png], [zipRun, zip]] as const) {
      expectFailure(run);
      expect(run.stderr, describeRun(run)).toContain(file);
      expect(run.stderr, describeRun(run)).toMatch(/not (a )?CSV|binary/i);
      expect(run.stderr, 'no stack trace').not.toMatch(/\n\s+at /);
    }
    expectFailure(noEmailRun);
    expect(noEmailRun.stderr, describeRun(noEmailRun)).toMatch(/header/);
    expect(noEmailRun.stderr, describeRun(noEmailRun)).toMatch(/missing: email/);
    expectFailure(missingRun);
    expect(missingRun.stderr, describeRun(missingRun)).toContain(`${missing}: no such file`);
    expect(missingRun.stderr, 'no stack trace').not.toMatch(/\n\s+at /);

    expect(await contacts()).toEqual(before);
  });

  it('a quarter like 2026-Q5 and a role like boss are refused with a clear error and a non-zero exit', async () => {
    const [results, create, boss] = await Promise.all([
      sandbox.run(['results', '--quarter', '2026-Q5']),
      sandbox.run(['campaign', 'create', '--quarter', '2026-Q5']),
      sandbox.run(['staff', 'add', '--email', 'boss@agency.test', '--name', 'The Boss', '--role', 'boss']),
    ]);
    for (const run of [results, create]) {
      expectFailure(run);
      expect(run.stderr, describeRun(run)).toMatch(/quarter "2026-Q5" should look like 2026-Q4/);
      expect(run.stdout, describeRun(run)).toBe('');
    }
    expectFailure(boss);
    expect(boss.stderr, describeRun(boss)).toMatch(/role must be admin or account_manager.*boss/);
    expect(boss.stdout, describeRun(boss)).not.toMatch(/password/);

    expect(await sandbox.query((db) => db.selectFrom('campaigns').select('id').execute())).toEqual([]);
    expect(await sandbox.query((db) => db.selectFrom('staff').select('email').execute())).toEqual([]);
  });
});

describe("campaign ids that start with '-' (1 in 64: ids are base64url)", () => {
  const id = '-dashFirstCampaignId00';
  let sandbox: CliSandbox;
  beforeAll(async () => {
    sandbox = await createCliSandbox('sqlite');
    await sandbox.open(async (db) => {
      const inserted = await insertCampaign(db.kysely, {
        id, quarter: '2026-Q4', segment: null, accountManagerEmail: null, status: 'draft', sendAt: null, closesAt: null,
        scheduleKey: null, createdBy: 'test', createdAt: new Date().toISOString(), startedAt: null, finishedAt: null,
      });
      expect(inserted).toBe(true);
    });
  });
  afterAll(async () => {
    await sandbox?.close();
  });

  it('work with --campaign=ID and after --', async () => {
    const [results, send] = await Promise.all([sandbox.run(['results', `--campaign=${id}`, '--json']), sandbox.run(['campaign', 'send', '--', id])]);
    expectExit(results, 0);
    expect(JSON.parse(results.stdout)[0]).toMatchObject({ nps: null, responses: 0 });
    expectExit(send, 0);
    expect(send.stdout).toContain(`campaign ${id} is starting`);
  });

  // node:util parseArgs alone would read a leading '-' as an option; the CLI keeps id-shaped words positional.
  it('work exactly as printed: results --campaign ID and campaign send ID', async () => {
    const [results, send] = await Promise.all([sandbox.run(['results', '--campaign', id, '--json']), sandbox.run(['campaign', 'send', id])]);
    expectExit(results, 0);
    expectExit(send, 0);
  });
});

describe('nps results after real answers (sqlite)', () => {
  let system: TestSystem;
  beforeAll(async () => {
    system = await startTestSystem('sqlite');
  });
  afterAll(async () => {
    await system?.close();
  });

  it('import, create and send from the command line, three people click, and results --json gives their NPS', async () => {
    const env = cliEnv(system.env);
    const nps = (...args: string[]) => runCli(args, env);

    const csv = await writeClientCsv(system.dataDir, 2, 2);
    expectExit(await nps('import', 'clients', csv), 0);
    const created = await nps('campaign', 'create', '--quarter', '2026-Q4');
    expectExit(created, 0);
    const id = created.stdout.trim();
    // `--` and `--campaign=ID` work for every id, also one that starts with '-'.
    const sent = await nps('campaign', 'send', '--', id);
    expectExit(sent, 0);
    expect(sent.stdout).toContain(`campaign ${id} is starting`);

    const messages = await system.sink.waitFor(4);
    await eventually('all four deliveries to be marked sent', async () => {
      const rows = await system.ctx.db.kysely.selectFrom('deliveries').select('status').where('campaign_id', '=', id).execute();
      return rows.length === 4 && rows.every((r) => r.status === 'sent');
    });
    const mailTo = (address: string) => messages.find((m) => String([m.to].flat()[0]?.text).includes(address));
    const plan: [string, number][] = [['person1@account1.test', 10], ['person2@account1.test', 9], ['person1@account2.test', 3]];
    for (const [address, score] of plan) {
      const mail = mailTo(address);
      expect(mail, `a survey email to ${address}`).toBeDefined();
      await answer(scoreLinks(mail!).get(String(score)) as string, score);
    }

    const [results, list] = await Promise.all([nps('results', `--campaign=${id}`, '--json'), nps('campaign', 'list', '--json')]);
    expectExit(results, 0);
    const [line] = JSON.parse(results.stdout) as Record<string, number | null>[];
    // 2 promoters, 1 detractor of 3 answers: NPS (2 - 1) / 3 = +33.3; 3 of 4 delivered answered.
    expect(line).toMatchObject({ promoters: 2, passives: 0, detractors: 1, responses: 3, delivered: 4, nps: 33.3, responseRate: 75 });
    expect(line.marginOfError).toBeGreaterThan(0);

    expectExit(list, 0);
    expect(JSON.parse(list.stdout)).toEqual([expect.objectContaining({ id, sent: 4, responded: 3 })]);
  });
});
