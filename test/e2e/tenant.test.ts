/**
 * End to end: spawn the BUILT CLI (`npm run build` first) on the demo tenant and on snapshot fixtures, and assert
 * exit codes, the JSON report's documented shape (schemas/), stderr and the files written.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const BIN = new URL('../../bin/mfa-audit.js', import.meta.url).pathname;
const FIXTURES = new URL('./fixtures/', import.meta.url).pathname;
const NOW = ['--now', '2026-11-21T12:00:00Z'];
const ESC = String.fromCharCode(27);

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mfa-audit-tenant-e2e-'));
});

function run(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, 'tenant', ...args], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

interface Account {
  id: string;
  userPrincipalName: string;
  displayName: string;
  kind: string;
  verdict: string;
  mechanisms: string[];
  reasons: string[];
  gaps: { description: string; policyIds: string[] }[];
  roles?: string[];
  agentGroups?: string[];
}
interface Report {
  tenantId: string;
  generatedAt: string;
  summary: Record<'accounts' | 'pass' | 'fail' | 'exempt' | 'unknown', number>;
  findings: { id: string; severity: string; message: string }[];
  accounts: Account[];
}

/** Every field the documented report shape fixes, with the values it allows. */
function expectReportShape(report: Report, users: { id: string }[]): void {
  expect(typeof report.tenantId).toBe('string');
  expect(Number.isNaN(Date.parse(report.generatedAt))).toBe(false);
  expect(Object.keys(report.summary).sort()).toEqual(['accounts', 'exempt', 'fail', 'pass', 'unknown']);
  for (const finding of report.findings) {
    expect(typeof finding.id).toBe('string');
    expect(['high', 'medium', 'low', 'info']).toContain(finding.severity);
    expect(finding.message.length).toBeGreaterThan(0);
  }
  // Every user object exactly once.
  expect(report.accounts.map((a) => a.id).sort()).toEqual(users.map((u) => u.id).sort());
  for (const account of report.accounts) {
    expect(typeof account.userPrincipalName).toBe('string');
    expect(['member', 'guest', 'service', 'sync', 'emergency']).toContain(account.kind);
    expect(['pass', 'fail', 'exempt', 'unknown']).toContain(account.verdict);
    for (const m of account.mechanisms) {
      expect(['security-defaults', 'conditional-access', 'per-user-mfa', 'federated-idp']).toContain(m);
    }
    expect(Array.isArray(account.reasons)).toBe(true);
    for (const gap of account.gaps) {
      expect(gap.description.length).toBeGreaterThan(0);
      expect(Array.isArray(gap.policyIds)).toBe(true);
    }
    // Every fail names a sign-in that gets through; every pass names its mechanism; every unknown says why.
    if (account.verdict === 'fail') expect(account.gaps.length).toBeGreaterThan(0);
    if (account.verdict === 'pass') expect(account.mechanisms.length).toBeGreaterThan(0);
    if (account.verdict === 'unknown') expect(account.reasons.length).toBeGreaterThan(0);
  }
  const count = (v: string) => report.accounts.filter((a) => a.verdict === v).length;
  expect(report.summary).toEqual({
    accounts: report.accounts.length,
    pass: count('pass'),
    fail: count('fail'),
    exempt: count('exempt'),
    unknown: count('unknown'),
  });
}

/** Exactly one line on stderr, the CLI's prefix, no stack trace, nothing on stdout. */
function expectOneLineError(r: Run, pattern: RegExp): void {
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(/^mfa-audit: /);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.stderr).toMatch(pattern);
}

const demo = JSON.parse(readFileSync(new URL('../../fixtures/demo-tenant.json', import.meta.url), 'utf8'));
const demoUsers = demo.graph['v1.0/users'] as { id: string; userPrincipalName: string }[];

describe('mfa-audit tenant --demo', () => {
  let result: Run;
  let report: Report;
  beforeAll(async () => {
    result = await run(['--demo', '--format', 'json', ...NOW]);
    report = JSON.parse(result.stdout) as Report;
  });

  const account = (upnStart: string): Account => {
    const found = report.accounts.find((a) => a.userPrincipalName.toLowerCase().startsWith(upnStart.toLowerCase()));
    if (!found) throw new Error(`no account ${upnStart} in the demo report`);
    return found;
  };

  it('exits 1 with a schema-shaped report of every account (the demo tenant has real gaps)', () => {
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1);
    expectReportShape(report, demoUsers);
    expect(report.tenantId).toBe(demo.tenantId);
    expect(report.generatedAt).toBe('2026-11-21T12:00:00.000Z');
    expect(report.summary.accounts).toBeGreaterThanOrEqual(40);
    expect(report.summary.accounts).toBeLessThanOrEqual(80);
    for (const verdict of ['pass', 'fail', 'exempt', 'unknown'] as const) {
      expect(report.summary[verdict]).toBeGreaterThan(0);
    }
  });

  it('fails an ordinary member through the HQ exclusion and the missing legacy block', () => {
    const member = account('enrico.cattaneo');
    expect(member.verdict).toBe('fail');
    const text = member.gaps.map((g) => g.description).join('\n');
    expect(text).toMatch(/HQ|trusted/i);
    expect(text).toMatch(/exchangeActiveSync|legacy|other/i);
  });

  it('fails the break-glass account that every MFA policy excludes, and passes the one with FIDO2', () => {
    const breakglass = account('breakglass01');
    expect(breakglass.kind).toBe('emergency');
    expect(breakglass.verdict).toBe('fail');
    expect(account('emergency-access02').verdict).toBe('pass');
  });

  it('fails the service accounts in the exclusion group, the AdminAgents one included', () => {
    for (const upn of ['svc-scanner', 'svc-backup', 'svc-psa-sync']) {
      expect(account(upn).kind).toBe('service');
      expect(account(upn).verdict).toBe('fail');
    }
    expect(account('svc-psa-sync').agentGroups ?? []).toContain('AdminAgents');
    // Not named like a service account: a member until --service-accounts says otherwise (and failing either way).
    expect(account('powerbi.reports').kind).toBe('member');
    expect(account('powerbi.reports').verdict).toBe('fail');
  });

  it('passes administrators and admin/helpdesk agents, fails sales agents', () => {
    expect(account('adele.vance').verdict).toBe('pass');
    expect(account('adele.vance').mechanisms).toContain('conditional-access');
    expect(account('grady.archie').verdict).toBe('pass'); // HelpdeskAgents through the nested Tier 2 group
    expect(account('alex.wilber').verdict).toBe('fail');
  });

  it('exempts the sync account and disabled users, and leaves federated users unknown', () => {
    expect(account('Sync_').kind).toBe('sync');
    expect(account('Sync_').verdict).toBe('exempt');
    expect(account('joe.leaver').verdict).toBe('exempt');
    expect(account('info@').verdict).toBe('exempt');
    const federated = account('bas.dekker@tailspin-it.com');
    expect(federated.verdict).toBe('unknown');
    expect(federated.reasons.join(' ')).toMatch(/federat/i);
  });

  it('classifies the guests as guests', () => {
    for (const upn of ['megan_contoso.com#EXT#', 'sam.taylor_outlook.com#EXT#', 'contractor.jones']) {
      expect(account(upn).kind).toBe('guest');
    }
  });

  it('reports the report-only legacy block and at least one high finding', () => {
    expect(report.findings.some((f) => f.severity === 'high')).toBe(true);
    const text = report.findings.map((f) => f.message).join('\n');
    expect(text).toMatch(/report-only/i);
  });

  it('takes service accounts from --service-accounts and emergency accounts from --break-glass', async () => {
    const r = await run([
      '--demo',
      '--format',
      'json',
      ...NOW,
      '--service-accounts',
      '^powerbi[.]',
      '--break-glass',
      'adele.vance@northwindcloud.com',
    ]);
    const custom = JSON.parse(r.stdout) as Report;
    const find = (upn: string) => custom.accounts.find((a) => a.userPrincipalName.startsWith(upn));
    expect(find('powerbi.reports')?.kind).toBe('service');
    expect(find('adele.vance')?.kind).toBe('emergency');
  });

  it('renders a table for people and markdown for step summaries', async () => {
    const table = await run(['--demo', '--format', 'table', ...NOW]);
    expect(table.code).toBe(1);
    expect(table.stdout).toMatch(/^FAIL {2}\d+ of \d+ accounts can sign in without MFA/m);
    expect(table.stdout).toContain('Failing accounts');
    expect(table.stdout).toContain('breakglass01@');
    const markdown = await run(['--demo', '--format', 'markdown', ...NOW]);
    expect(markdown.code).toBe(1);
    expect(markdown.stdout).toMatch(/^## MFA audit of tenant/);
    expect(markdown.stdout).toContain('### Failing accounts');
  });

  it('gives the same JSON on every run', async () => {
    const again = await run(['--demo', '--format', 'json', ...NOW]);
    expect(again.stdout).toBe(result.stdout);
  });
});

describe('mfa-audit tenant --snapshot', () => {
  it('passes a tenant with security defaults on (exit 0)', async () => {
    const r = await run(['--snapshot', join(FIXTURES, 'tenant-security-defaults.json'), '--format', 'json', ...NOW]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as Report;
    expectReportShape(report, [
      { id: '9f1c2d3e-4a5b-4c6d-8e7f-0a1b2c3d4e5f' },
      { id: '1a2b3c4d-5e6f-4a7b-9c8d-9e0f1a2b3c4d' },
    ]);
    expect(report.accounts.every((a) => a.verdict === 'pass' && a.mechanisms.includes('security-defaults'))).toBe(true);
  });

  it('audits a tenant of zero users: empty lists, zero counts, exit 0', async () => {
    const r = await run(['--snapshot', join(FIXTURES, 'tenant-zero-users.json'), '--format', 'json', ...NOW]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.summary).toEqual({ accounts: 0, pass: 0, fail: 0, exempt: 0, unknown: 0 });
    expect(report.accounts).toEqual([]);
    const table = await run(['--snapshot', join(FIXTURES, 'tenant-zero-users.json'), '--format', 'table', ...NOW]);
    expect(table.code).toBe(0);
    expect(table.stdout).toContain('no user objects');
  });

  it('is incomplete (exit 3), never a pass, when nothing but the users was collected', async () => {
    const r = await run(['--snapshot', join(FIXTURES, 'tenant-nothing-collected.json'), '--format', 'json', ...NOW]);
    expect(r.code).toBe(3);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.accounts[0]?.verdict).toBe('unknown');
    expect(report.accounts[0]?.reasons.length).toBeGreaterThan(0);
  });

  it('reads a path relative to the working directory', async () => {
    writeFileSync(join(dir, 'relative.json'), readFileSync(join(FIXTURES, 'tenant-zero-users.json')));
    const r = await run(['--snapshot', 'relative.json', '--format', 'json', ...NOW]);
    expect(r.code).toBe(0);
  });
});

describe('mfa-audit tenant: bad input is one line and exit 2', () => {
  it.each([
    ['tenant-broken-format.json', /format|snapshot/i],
    ['tenant-broken-users-not-array.json', /v1\.0\/users/],
    ['tenant-broken-truncated.json', /JSON|snapshot/i],
  ])('a broken snapshot (%s)', async (file, pattern) => {
    expectOneLineError(await run(['--snapshot', join(FIXTURES, file), '--format', 'json']), pattern);
  });

  it('a missing snapshot file', async () => {
    expectOneLineError(await run(['--snapshot', join(dir, 'does-not-exist.json')]), /does-not-exist\.json/);
  });

  it('no data source at all', async () => {
    expectOneLineError(await run([]), /--tenant-id.*--snapshot.*--demo/);
  });

  it.each([
    [['--demo', '--snapshot', 'x.json']],
    [['--demo', '--tenant-id', 'contoso.onmicrosoft.com']],
    [['--snapshot', 'x.json', '--tenant-id', 'contoso.onmicrosoft.com']],
  ])('mutually exclusive sources %j', async (args) => {
    expectOneLineError(await run(args), /cannot be used together/);
  });

  it('--save-snapshot without --tenant-id', async () => {
    expectOneLineError(await run(['--demo', '--save-snapshot', 'out.json']), /--save-snapshot.*--tenant-id/);
  });

  it('a --now that is not a date', async () => {
    expectOneLineError(await run(['--demo', '--now', 'yesterday']), /--now/);
  });

  it('an unknown format', async () => {
    expectOneLineError(await run(['--demo', '--format', 'pdf']), /format/);
  });

  it('a --service-accounts value that is neither a file nor a regular expression', async () => {
    expectOneLineError(await run(['--demo', '--service-accounts', 'svc-(']), /--service-accounts/);
  });

  it('an unknown flag', async () => {
    expectOneLineError(await run(['--demo', '--bogus']), /unknown option '--bogus'/);
  });
});

describe('mfa-audit tenant: output', () => {
  it('writes the report to --output and nothing to stdout', async () => {
    const out = join(dir, 'reports', 'demo.json');
    const r = await run(['--demo', '--format', 'json', '--output', out, ...NOW]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(existsSync(out)).toBe(true);
    const report = JSON.parse(readFileSync(out, 'utf8')) as Report;
    expect(report.accounts).toHaveLength(demoUsers.length);
  });

  it('prints JSON when stdout is not a terminal and no format is asked for', async () => {
    const r = await run(['--demo', ...NOW]);
    expect(() => JSON.parse(r.stdout)).not.toThrow();
  });

  it('respects NO_COLOR, and colours only when asked (FORCE_COLOR) for a table', async () => {
    const forced = await run(['--demo', '--format', 'table', ...NOW], { FORCE_COLOR: '1' });
    expect(forced.stdout).toContain(`${ESC}[`);
    const noColor = await run(['--demo', '--format', 'table', ...NOW], { FORCE_COLOR: '1', NO_COLOR: '1' });
    expect(noColor.stdout).not.toContain(ESC);
    expect(noColor.stdout).toContain('Failing accounts');
    const flag = await run(['--demo', '--format', 'table', '--no-color', ...NOW], { FORCE_COLOR: '1' });
    expect(flag.stdout).not.toContain(ESC);
    const json = await run(['--demo', '--format', 'json', ...NOW], { FORCE_COLOR: '1' });
    expect(json.stdout).not.toContain(ESC);
  });

  it('writes no progress to stderr when it is not a terminal', async () => {
    const r = await run(['--demo', '--format', 'json', ...NOW]);
    expect(r.stderr).toBe('');
  });
});
