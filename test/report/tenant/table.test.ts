import { describe, expect, it } from 'vitest';
import { renderTenantTable } from '../../../src/report/tenant/table.js';
import type { RenderOptions } from '../../../src/report/types.js';
import { RED, hasAnsi, stripAnsi } from './ansi.js';
import { goldenFiles } from '../../helpers/golden.js';
import { emptyReport, incompleteReport, largeReport, mixedReport, passingReport } from './sample-reports.js';
import { readFileSync } from 'node:fs';
import { auditTenant } from '../../../src/core/tenant/audit.js';
import type { Snapshot } from '../../../src/core/snapshot.js';

/** The bundled demo tenant, audited at a fixed instant: the report a new user sees first. */
function demoReport() {
  const snapshot = JSON.parse(
    readFileSync(new URL('../../../fixtures/demo-tenant.json', import.meta.url), 'utf8'),
  ) as Snapshot;
  return auditTenant(snapshot, {
    now: new Date('2026-11-21T12:00:00Z'),
    breakGlass: [],
    serviceAccounts: { patterns: [], upns: [] },
    source: { kind: 'demo', collectedAt: snapshot.collectedAt },
  });
}

const expectGolden = goldenFiles(new URL('golden/', import.meta.url));

const plain: RenderOptions = { color: false, verbose: false, now: new Date('2026-11-21T12:00:00Z'), width: 100 };
const strip = stripAnsi;

describe('tenant table reporter', () => {
  it('matches the golden files (mixed, verbose, empty, passing, incomplete)', () => {
    expectGolden('mixed.table.golden.txt', renderTenantTable(mixedReport(), plain));
    expectGolden('mixed-verbose.table.golden.txt', renderTenantTable(mixedReport(), { ...plain, verbose: true }));
    expectGolden('mixed-color.table.golden.txt', renderTenantTable(mixedReport(), { ...plain, color: true }));
    expectGolden('empty.table.golden.txt', renderTenantTable(emptyReport(), plain));
    expectGolden('passing.table.golden.txt', renderTenantTable(passingReport(), plain));
    expectGolden('incomplete.table.golden.txt', renderTenantTable(incompleteReport(), plain));
  });

  it('matches the golden files of the demo tenant at 80 and 200 columns: fixes first, nothing wider', () => {
    const report = demoReport();
    for (const width of [80, 200]) {
      const text = renderTenantTable(report, { ...plain, width });
      expectGolden(`demo-${width}.table.golden.txt`, text);
      const lines = text.split('\n');
      expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(width);
      expect(text.indexOf('Fix these first')).toBeLessThan(text.indexOf('Failing accounts'));
    }
    // The 80-column report a new user sees stays short.
    expect(renderTenantTable(report, { ...plain, width: 80 }).split('\n').length).toBeLessThan(240);
  });

  it('puts the headline first, then the fixes, failing and unknown accounts, the counts, then findings', () => {
    const text = renderTenantTable(mixedReport(), { ...plain, width: 200 });
    const order = ['FAIL', 'Failing accounts (3)', 'Unknown accounts (1)', 'kind', 'total', 'Findings (4)'].map((s) =>
      text.indexOf(s),
    );
    expect(order.every((position) => position >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    // Every gap of a failing account, its text once for the accounts that share it.
    expect(text).toContain("trusted location 'HQ'");
    expect(text).toContain('legacy client (exchangeActiveSync)');
    // Passing and exempt accounts are only counted, not listed, without --verbose.
    expect(text).not.toContain('adele@contoso.com');
    expect(text).not.toContain('old.leaver@contoso.com');
  });

  it('counts by verdict and by kind', () => {
    const lines = renderTenantTable(mixedReport(), plain).split('\n');
    const row = (name: string) => lines.find((l) => l.startsWith(name))?.split(/\s+/);
    expect(row('member')).toEqual(['member', '5', '2', '1', '1', '1']);
    expect(row('emergency')).toEqual(['emergency', '1', '0', '1', '0', '0']);
    expect(row('total')).toEqual(['total', '9', '3', '3', '2', '1']);
    expect(lines.find((l) => l.startsWith('kind'))?.split(/\s+/)).toEqual([
      'kind',
      'accounts',
      'pass',
      'fail',
      'exempt',
      'unknown',
    ]);
  });

  it('has no colour codes and no box drawing when colour is off, and colours when it is on', () => {
    const off = renderTenantTable(mixedReport(), { ...plain, verbose: true });
    expect(hasAnsi(off)).toBe(false);
    expect(off).not.toMatch(/[┌┐└┘│─┼]/);
    const on = renderTenantTable(mixedReport(), { ...plain, verbose: true, color: true });
    expect(hasAnsi(on)).toBe(true);
    expect(on).toContain(RED); // fail in red
    for (const upn of ['Zoe.Sales@contoso.com', 'jan.devries@fabrikam-legacy.com', 'svc-scanner@contoso.com']) {
      expect(strip(on)).toContain(upn);
    }
  });

  it('lists every account with --verbose, with its mechanisms, gaps, warnings and how its kind was decided', () => {
    const text = renderTenantTable(mixedReport(), { ...plain, verbose: true, width: 200 });
    for (const account of mixedReport().accounts) expect(text).toContain(account.userPrincipalName);
    expect(text).toContain('Every account (9)');
    expect(text).toContain('mechanisms: per-user-mfa');
    expect(text).toContain('gap: legacy client (exchangeActiveSync)');
    expect(text).toContain('warning: trusted-IP');
    expect(text).toContain('kind: name matches /^svc[-_.]/');
  });

  it('keeps an account on one line: a long UPN is shortened visibly, its role labels stay beside it', () => {
    const report = mixedReport();
    const long = 'a.very.long.guest.name_some-partner-company.example.com#EXT#@contoso.onmicrosoft.com';
    const zoe = report.accounts.find((a) => a.userPrincipalName.startsWith('Zoe'))!;
    zoe.userPrincipalName = long;
    zoe.roles = ['Global Administrator'];
    for (const width of [60, 80, 120]) {
      const text = strip(renderTenantTable(report, { ...plain, width }));
      const line = text.split('\n').find((l) => l.startsWith('  - a.very'))!;
      expect(line.length).toBeLessThanOrEqual(width);
      expect(line).toContain('…');
      if (width >= 80) expect(line).toContain('Global Administrator');
      expect(line).toMatch(/…\S*com {2}/);
    }
    const wide = renderTenantTable(report, { ...plain, width: 250 });
    expect(wide).toContain(long);
  });
});

describe('tenant table reporter', () => {
  it('keeps within the terminal width', () => {
    for (const width of [60, 80, 100, 140]) {
      for (const color of [false, true]) {
        const text = strip(renderTenantTable(mixedReport(), { ...plain, width, color, verbose: true }));
        const widest = Math.max(
          ...text
            .split('\n')
            .filter((l) => !l.startsWith('generated'))
            .map((l) => l.length),
        );
        expect(widest).toBeLessThanOrEqual(width);
      }
    }
  });

  it('says the empty tenant passes because there is nothing to fail', () => {
    const text = renderTenantTable(emptyReport(), plain);
    expect(text).toContain('PASS');
    expect(text).toContain('no user objects');
    expect(text).not.toContain('Failing accounts');
  });

  it('says INCOMPLETE, never PASS, when accounts are unknown', () => {
    const text = renderTenantTable(incompleteReport(), plain);
    expect(text).toContain('INCOMPLETE');
    expect(text).not.toMatch(/^PASS/m);
    expect(text).toContain('Exit code 3');
  });

  it('caps each account list without --verbose and says how many more there are', () => {
    const text = renderTenantTable(largeReport(250), plain);
    expect(text).toContain('Failing accounts (250)');
    expect(text).toContain('user000099@contoso.com');
    expect(text).not.toContain('user000100@contoso.com');
    expect(text).toContain('… and 150 more');
    const verbose = renderTenantTable(largeReport(250), { ...plain, verbose: true });
    expect(verbose).toContain('user000249@contoso.com');
    expect(verbose).not.toContain('… and');
  });

  it('groups accounts that fail through the same gaps: the gaps once, then the accounts, privileged first', () => {
    const text = renderTenantTable(largeReport(3), { ...plain, width: 200 });
    expect(text.split('browser sign-in to any app: no policy applies')).toHaveLength(2);
    expect(text).toContain('3 accounts through:');
    const report = mixedReport();
    const zoe = report.accounts.find((a) => a.userPrincipalName.startsWith('Zoe'))!;
    report.accounts.push({ ...zoe, id: 'x', userPrincipalName: 'aaron@contoso.com', agentGroups: undefined });
    const grouped = renderTenantTable(report, { ...plain, width: 200 });
    const failing = grouped.slice(grouped.indexOf('Failing accounts'));
    // Groups with privileged accounts first, the larger first; within a group, privileged accounts first.
    expect(failing.indexOf('Zoe.Sales@contoso.com')).toBeLessThan(failing.indexOf('aaron@contoso.com'));
    expect(failing.indexOf('aaron@contoso.com')).toBeLessThan(failing.indexOf('breakglass01@'));
  });

  it('shows baseline acceptances and does not call a tenant with only accepted failures a pass', () => {
    const report = mixedReport();
    for (const account of report.accounts) {
      if (account.verdict === 'fail' || account.verdict === 'unknown') {
        account.accepted = { reason: 'migration in progress', owner: 'secops@contoso.com', expires: '2026-12-31' };
      }
    }
    report.baseline = {
      path: 'baseline.json',
      strict: false,
      accepted: 4,
      expired: [],
      unused: [{ account: 'gone@contoso.com', reason: 'r', owner: 'o', expires: '2027-01-01' }],
    };
    const text = renderTenantTable(report, { ...plain, width: 200 });
    expect(text).toMatch(/^ACCEPTED/m);
    expect(text).toContain('accepted until 2026-12-31 by secops@contoso.com: migration in progress');
    expect(text).toContain('unused, delete it: gone@contoso.com');
  });
});
