/** `mfa-audit tenant` in-process: source selection, options, progress and exit codes (the engine runs for real). */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { DEMO_TENANT_URL } from '../../src/cli/run-tenant.js';
import { parseNow } from '../../src/io.js';
import { UsageError } from '../../src/errors.js';
import { memoryIo } from '../helpers/io.js';

const NOW = ['--now', '2026-11-21T12:00:00Z'];
const FIXTURES = new URL('../e2e/fixtures/', import.meta.url).pathname;

async function tenant(args: string[], io = memoryIo()) {
  const code = await runCli(['tenant', ...args], io);
  return { code, out: io.out(), err: io.err() };
}

describe('mfa-audit tenant (in-process)', () => {
  it('finds the demo tenant next to the package, from src/ as from dist/', () => {
    expect(existsSync(fileURLToPath(DEMO_TENANT_URL))).toBe(true);
    expect(fileURLToPath(DEMO_TENANT_URL)).toMatch(/fixtures[\\/]demo-tenant\.json$/);
  });

  it('audits the demo tenant: exit 1, JSON by default when stdout is not a terminal', async () => {
    const r = await tenant(['--demo', ...NOW]);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.out);
    expect(report.generatedAt).toBe('2026-11-21T12:00:00.000Z');
    expect(report.source).toMatchObject({ kind: 'demo', path: 'fixtures/demo-tenant.json' });
    expect(r.err).toBe('');
  });

  it('uses the clock it is given when there is no --now', async () => {
    const io = memoryIo({ now: new Date('2027-01-02T03:04:05Z') });
    const r = await tenant(['--snapshot', join(FIXTURES, 'tenant-zero-users.json')], io);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).generatedAt).toBe('2027-01-02T03:04:05.000Z');
  });

  it('shows progress on stderr only when stderr is a terminal, and never with --quiet', async () => {
    const tty = await tenant(['--demo', '--format', 'json', ...NOW], memoryIo({ tty: true }));
    expect(tty.err).toContain('Reading the bundled demo tenant');
    expect(tty.err).toMatch(/Auditing 57 user objects/);
    expect(() => JSON.parse(tty.out)).not.toThrow();
    const quiet = await tenant(['--demo', '--format', 'json', '--quiet', ...NOW], memoryIo({ tty: true }));
    expect(quiet.err).toBe('');
    const piped = await tenant(['--demo', '--format', 'json', ...NOW], memoryIo({ tty: false }));
    expect(piped.err).toBe('');
  });

  it('prints a table by default on a terminal, in colour unless NO_COLOR', async () => {
    const plain = await tenant(['--demo', '--quiet', ...NOW], memoryIo({ tty: true, env: { NO_COLOR: '1' } }));
    expect(plain.out).toMatch(/^MFA audit of tenant/);
    expect(plain.out).not.toContain(String.fromCharCode(27));
    const coloured = await tenant(['--demo', '--quiet', ...NOW], memoryIo({ tty: true }));
    expect(coloured.out).toContain(`${String.fromCharCode(27)}[`);
  });

  it.each([
    [[], /say what to audit/],
    [['--demo', '--snapshot', 'x.json'], /--snapshot and --demo cannot be used together/],
    [['--tenant-id', 'contoso.onmicrosoft.com', '--demo'], /--tenant-id and --demo cannot be used together/],
    [['--snapshot', 'x.json', '--save-snapshot', 'y.json'], /--save-snapshot .* --tenant-id/],
    [['--tenant-id', ' '], /--tenant-id needs/],
    [['--demo', '--now', 'soon'], /--now 'soon' is not an ISO-8601/],
    [['--demo', '--break-glass', 'a@x.com b@x.com'], /separate accounts with commas/],
    [['--demo', '--break-glass', ' , '], /--break-glass needs at least one UPN/],
    [['--demo', '--service-accounts', '(unclosed'], /neither a file nor a valid regular expression/],
    [['--demo', '--format', 'pdf'], /format/],
  ])('%j is a usage error: one line, exit 2', async (args, pattern) => {
    const r = await tenant(args);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err.trimEnd().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(pattern);
  });

  it('reads --service-accounts from a file of UPNs and /regexes/', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mfa-audit-svc-'));
    writeFileSync(
      join(dir, 'service-accounts.txt'),
      '# service accounts of Northwind\npowerbi.reports@northwindcloud.com\n/^room-/   # rooms\n\n',
    );
    const r = await tenant(
      ['--demo', '--format', 'json', '--service-accounts', 'service-accounts.txt', ...NOW],
      memoryIo({ cwd: dir }),
    );
    const report = JSON.parse(r.out) as { accounts: { userPrincipalName: string; kind: string }[] };
    const kind = (upn: string) => report.accounts.find((a) => a.userPrincipalName.startsWith(upn))?.kind;
    expect(kind('powerbi.reports')).toBe('service');
    expect(kind('room-amsterdam')).toBe('service');
    expect(kind('adele.vance')).toBe('member');
  });

  it('does not load live collection unless --tenant-id is given', async () => {
    // The snapshot path never imports src/graph/live.ts: a broken live module could not affect it.
    const r = await tenant(['--snapshot', join(FIXTURES, 'tenant-security-defaults.json'), '--format', 'json', ...NOW]);
    expect(r.code).toBe(0);
  });
});

describe('parseNow', () => {
  const io = memoryIo({ now: new Date('2026-01-01T00:00:00Z') });
  it('takes ISO-8601 dates and instants, and the clock when absent', () => {
    expect(parseNow('2026-11-21T12:00:00Z', io).toISOString()).toBe('2026-11-21T12:00:00.000Z');
    expect(parseNow('2026-11-21', io).toISOString()).toBe('2026-11-21T00:00:00.000Z');
    expect(parseNow(undefined, io).toISOString()).toBe('2026-01-01T00:00:00.000Z');
  });
  it('refuses anything else', () => {
    for (const bad of ['', 'now', '1700000000', '2026-13-45T99:00:00Z']) {
      expect(() => parseNow(bad, io)).toThrow(UsageError);
    }
  });
});
