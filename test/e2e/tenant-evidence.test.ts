/**
 * Evidence from Entra in live runs (evaluation.md §9): the built CLI against the test Graph server, which answers
 * Conditional Access What If and serves sign-in logs. Gaps are confirmed, spot-checks agree, sign-in evidence lands on
 * the right accounts, and the offline audit of the saved snapshot is the same report; a disagreement and a
 * single-factor sign-in on a passing account make accounts unknown; a missing permission or licence is one note.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TenantReport } from '../../src/core/tenant/types.js';
import type { GraphServerOptions } from '../../bench/graph-server.js';
import type { TestGraphServer } from '../helpers/graph-server.js';
import { startTestGraphServer } from '../helpers/graph-server.js';
import { graphToken, servedTenant } from '../graph/support.js';
import type { CliRun } from '../helpers/built-cli.js';
import { runBuiltCli } from '../helpers/built-cli.js';
import { parseCsv } from '../helpers/csv.js';

const NOW = '2026-11-21T12:00:00Z';
const demo = servedTenant();
const TOKEN = graphToken();
const dir = mkdtempSync(join(tmpdir(), 'mfa-audit-evidence-'));

type Run = CliRun;

function cli(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return runBuiltCli(args, { env: { MFA_AUDIT_RETRY_SCALE: '0.001', ...env } });
}

const servers: TestGraphServer[] = [];
async function server(options: Omit<GraphServerOptions, 'key' | 'cert' | 'snapshot'> = {}): Promise<TestGraphServer> {
  const s = await startTestGraphServer({
    snapshot: demo,
    token: TOKEN,
    ...options,
    signIns: { perUser: 4, days: 30, now: NOW, singleFactorShare: 0, failureShare: 0.1, seed: 7, ...options.signIns },
  });
  servers.push(s);
  return s;
}
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

function live(target: TestGraphServer, extra: string[] = []): Promise<Run> {
  return cli(
    ['tenant', '--tenant-id', demo.tenantId, '--graph-url', target.url, '--now', NOW, '--format', 'json', ...extra],
    { MFA_AUDIT_ACCESS_TOKEN: TOKEN, NODE_EXTRA_CA_CERTS: target.caFile },
  );
}

function report(run: Run): TenantReport {
  return JSON.parse(run.stdout) as TenantReport;
}

/** The report without what must differ between a live and an offline run. */
function comparable(run: Run): unknown {
  const { source: _source, generatedAt: _generatedAt, ...rest } = report(run) as unknown as Record<string, unknown>;
  return rest;
}

let agreed: { run: Run; saved: string; server: TestGraphServer };
beforeAll(async () => {
  const target = await server();
  const saved = join(dir, 'agreed.json');
  agreed = { run: await live(target, ['--save-snapshot', saved]), saved, server: target };
});

describe('tenant --tenant-id with evidence from Entra (on by default)', () => {
  it('confirms every gap, every spot-check agrees, and sign-in evidence lands on the accounts', () => {
    const { run, server: target } = agreed;
    expect(run.stderr).toBe('');
    const r = report(run);
    expect(r.whatIf).toBeDefined();
    const w = r.whatIf!;
    expect(w.requests).toBeGreaterThan(0);
    expect(w.confirmed).toBe(w.requests);
    expect(w.disputed + w.inconclusive).toBe(0);
    expect(w.spotChecks.requests).toBeGreaterThan(0);
    expect(w.spotChecks.requests).toBeLessThanOrEqual(20);
    expect(w.spotChecks.confirmed).toBe(w.spotChecks.requests);
    // One What If request per distinct gap and spot-check, no more.
    expect(target.stats.whatIf.requests).toBe(w.requests + w.spotChecks.requests);
    for (const a of r.accounts) {
      for (const g of a.gaps)
        if (g.confirmation) expect(['confirmed', 'not-checkable']).toContain(g.confirmation.status);
      expect(a.engineVerdict).toBeUndefined();
      if (a.verdict !== 'exempt') expect(a.evidence?.mfa.count ?? 0).toBeGreaterThanOrEqual(0);
    }
    const withEvidence = r.accounts.filter((a) => a.evidence && a.evidence.mfa.count > 0);
    expect(withEvidence.length).toBeGreaterThan(0);
    expect(r.signIns?.truncated).toBe(false);
    expect(r.signIns?.window.to).toBe('2026-11-21T12:00:00.000Z');
  });

  it('the offline audit of the saved snapshot is the same report', async () => {
    const snapshot = JSON.parse(readFileSync(agreed.saved, 'utf8')) as { graph: Record<string, unknown> };
    expect(Array.isArray(snapshot.graph['beta/identity/conditionalAccess/evaluate'])).toBe(true);
    expect(snapshot.graph['v1.0/auditLogs/signIns/$window']).toBeDefined();
    const offline = await cli(['tenant', '--snapshot', agreed.saved, '--now', NOW, '--format', 'json']);
    expect(offline.code).toBe(agreed.run.code);
    expect(comparable(offline)).toEqual(comparable(agreed.run));
  });

  it('a disagreement of What If makes accounts unknown (disputed), exit 3', async () => {
    const target = await server({ whatIf: { disagree: () => true } });
    const run = await live(target);
    expect(run.code).toBe(3);
    const r = report(run);
    expect(r.whatIf!.disputed).toBeGreaterThan(0);
    expect(r.findings.some((f) => f.id === 'what-if-disagrees')).toBe(true);
    const changed = r.accounts.filter((a) => a.engineVerdict !== undefined);
    expect(changed.length).toBeGreaterThan(0);
    for (const a of changed) expect(a.verdict).toBe('unknown');
    expect(r.accounts.some((a) => a.gaps.some((g) => g.confirmation?.status === 'disputed'))).toBe(true);
  });

  it('a single-factor sign-in on a passing account contradicts the pass', async () => {
    const pass = report(agreed.run).accounts.find((a) => a.verdict === 'pass')!;
    const target = await server({ signIns: { singleFactorUsers: [pass.id] } });
    const run = await live(target, ['--no-confirm']);
    // The demo tenant has failing accounts: exit 1 wins over 3.
    expect(run.code).toBe(report(agreed.run).summary.fail > 0 ? 1 : 3);
    const r = report(run);
    const account = r.accounts.find((a) => a.id === pass.id)!;
    expect(account.verdict).toBe('unknown');
    expect(account.engineVerdict).toBe('pass');
    expect(account.evidence?.singleFactor.count).toBeGreaterThan(0);
    expect(r.findings.some((f) => f.id === 'sign-in-contradicts-pass')).toBe(true);
  });

  it('every format of the offline audit of a saved snapshot with evidence shows it', async () => {
    const pass = report(agreed.run).accounts.find((a) => a.verdict === 'pass')!;
    const target = await server({ signIns: { singleFactorUsers: [pass.id] } });
    const saved = join(dir, 'contradicted.json');
    const run = await live(target, ['--save-snapshot', saved]);
    expect(report(run).accounts.find((a) => a.id === pass.id)!.engineVerdict).toBe('pass');
    const offline = (format: string) => cli(['tenant', '--snapshot', saved, '--now', NOW, '--format', format]);
    const [table, markdown, junit, sarif, csv] = await Promise.all(
      ['table', 'markdown', 'junit', 'sarif', 'csv'].map((format) => offline(format)),
    );
    const changed = "the policies alone said pass; Entra's evidence made it unknown";
    for (const [format, out] of Object.entries({ table, markdown, junit, sarif })) {
      expect(out!.code, format).toBe(run.code);
      const text = out!.stdout.replace(/&apos;/g, "'").replace(/\s+/g, ' ');
      expect(text, format).toContain(changed);
      expect(text, format).toMatch(/sign-ins \(last 30 days\): \d+ without MFA, last 20\d\d-/);
      expect(text, format).toContain('Entra What If: ');
      expect(text, format).toContain('Sign-ins read from ');
    }
    const [header, ...rows] = parseCsv(csv!.stdout);
    const row = rows.find((cells) => cells.includes(pass.id))!;
    expect(row[header!.indexOf('engineVerdict')]).toBe('pass');
    expect(Number(row[header!.indexOf('signInsSingleFactor')])).toBeGreaterThan(0);
    const results = (JSON.parse(sarif!.stdout) as { runs: { results: { properties?: Record<string, unknown> }[] }[] })
      .runs[0]!.results;
    const signIns = (r: { properties?: Record<string, unknown> }) =>
      r.properties?.signIns as { singleFactor?: number } | undefined;
    expect(results.some((r) => r.properties?.engineVerdict === 'pass' && (signIns(r)?.singleFactor ?? 0) > 0)).toBe(
      true,
    );
  });

  it('without the permission or the licence: one note each, the report as before, the same exit code', async () => {
    const target = await server({ whatIf: { error: 'forbidden' }, signIns: { error: 'noLicense' } });
    const [run, plain] = await Promise.all([live(target), live(target, ['--no-confirm', '--sign-ins', '0'])]);
    expect(run.code).toBe(plain.code);
    expect(comparable(run)).toEqual(comparable(plain));
    const notes = run.stderr.trim().split('\n');
    expect(notes).toHaveLength(2);
    expect(run.stderr).toMatch(/What If not read: .*Policy\.Read\.ConditionalAccess/);
    expect(run.stderr).toMatch(/Sign-in logs not read: .*Entra ID P1/);
    expect(report(run).whatIf).toBeUndefined();
  });

  it('refuses evidence flags that cannot be honoured', async () => {
    const tooMany = await cli(['tenant', '--tenant-id', demo.tenantId, '--sign-ins', '31']);
    expect(tooMany.code).toBe(2);
    expect(tooMany.stderr).toMatch(/--sign-ins '31' must be a whole number from 0 to 30/);
    const budget = await cli(['tenant', '--demo', '--confirm-budget', '-1']);
    expect(budget.code).toBe(2);
    const offline = await cli(['tenant', '--demo', '--sign-ins', '7']);
    expect(offline.code).toBe(2);
    expect(offline.stderr).toMatch(/--sign-ins collects evidence live/);
  });
});
