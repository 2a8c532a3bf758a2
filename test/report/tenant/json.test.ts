import { describe, expect, it } from 'vitest';
import type { TenantReport } from '../../../src/core/tenant/types.js';
import { REPORTERS } from '../../../src/report/registry.js';
import { renderTenantJson, renderTenantJsonChunks } from '../../../src/report/tenant/json.js';
import type { RenderOptions } from '../../../src/report/types.js';
import { hasAnsi } from './ansi.js';
import { goldenFiles } from '../../helpers/golden.js';
import { emptyReport, mixedReport } from './sample-reports.js';

const expectGolden = goldenFiles(new URL('golden/', import.meta.url));

const options: RenderOptions = { color: true, verbose: false, now: new Date('2026-11-21T12:00:00Z') };

describe('tenant json reporter', () => {
  it('matches the golden files (mixed, empty)', () => {
    expectGolden('mixed.json.golden.json', renderTenantJson(mixedReport(), options));
    expectGolden('empty.json.golden.json', renderTenantJson(emptyReport(), options));
  });

  it("has the schema's fields first, in a fixed order, with the extras after them", () => {
    const parsed = JSON.parse(renderTenantJson(mixedReport(), options));
    expect(Object.keys(parsed).slice(0, 5)).toEqual(['tenantId', 'generatedAt', 'summary', 'findings', 'accounts']);
    expect(Object.keys(parsed.summary)).toEqual(['accounts', 'pass', 'fail', 'exempt', 'unknown']);
    expect(Object.keys(parsed.findings[0]).slice(0, 3)).toEqual(['id', 'severity', 'message']);
    for (const account of parsed.accounts) {
      expect(Object.keys(account).slice(0, 8)).toEqual([
        'id',
        'userPrincipalName',
        'displayName',
        'kind',
        'verdict',
        'mechanisms',
        'reasons',
        'gaps',
      ]);
      for (const gap of account.gaps) expect(Object.keys(gap).slice(0, 2)).toEqual(['description', 'policyIds']);
    }
    // Extras survive: roles, agent groups, the source, partner center impact.
    const breakglass = parsed.accounts.find((a: { kind: string }) => a.kind === 'emergency');
    expect(breakglass.roles).toEqual(['Global Administrator']);
    expect(parsed.source).toEqual({ kind: 'snapshot', collectedAt: '2026-11-20T08:00:00Z', path: 'tenant.json' });
  });

  it('lists every account exactly once, sorted stably by UPN whatever order the engine used', () => {
    const report = mixedReport();
    const forward = JSON.parse(renderTenantJson(report, options));
    const reversed = JSON.parse(renderTenantJson({ ...report, accounts: [...report.accounts].reverse() }, options));
    expect(reversed).toEqual(forward);
    const upns = forward.accounts.map((a: { userPrincipalName: string }) => a.userPrincipalName);
    expect(upns).toHaveLength(report.accounts.length);
    expect(new Set(forward.accounts.map((a: { id: string }) => a.id)).size).toBe(report.accounts.length);
    expect(upns).toEqual([...upns].sort((a: string, b: string) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1)));
  });

  it('is indented with two spaces, ends with a newline, and never carries colour codes', () => {
    const text = renderTenantJson(mixedReport(), options);
    expect(text.startsWith('{\n  "tenantId"')).toBe(true);
    expect(text.endsWith('}\n')).toBe(true);
    expect(hasAnsi(text)).toBe(false);
  });

  it('does not change the report it renders', () => {
    const report = mixedReport();
    const before = JSON.stringify(report);
    renderTenantJson(report, options);
    expect(JSON.stringify(report)).toBe(before);
  });

  it('renders the empty tenant with zero counts and empty lists', () => {
    const parsed = JSON.parse(renderTenantJson(emptyReport(), options));
    expect(parsed.summary).toEqual({ accounts: 0, pass: 0, fail: 0, exempt: 0, unknown: 0 });
    expect(parsed.accounts).toEqual([]);
    expect(parsed.findings).toEqual([]);
  });

  describe('in chunks (what the CLI writes)', () => {
    const joined = (report: TenantReport): string => [...renderTenantJsonChunks(report, options)].join('');

    it('gives exactly the bytes of the one-string rendering (mixed, empty, unsorted)', () => {
      const report = mixedReport();
      expect(joined(report)).toBe(renderTenantJson(report, options));
      expect(joined(emptyReport())).toBe(renderTenantJson(emptyReport(), options));
      const reversed = { ...report, accounts: [...report.accounts].reverse() };
      expect(joined(reversed)).toBe(renderTenantJson(reversed, options));
    });

    it('renders shared gap lists, missing fields and awkward strings like JSON.stringify', () => {
      const base = mixedReport();
      const shared = base.accounts.find((a) => a.gaps.length > 0)?.gaps ?? [];
      const accounts = Array.from({ length: 3000 }, (_, i) => ({
        ...(base.accounts[i % base.accounts.length] as TenantReport['accounts'][number]),
        id: `id-${String(i).padStart(5, '0')}`,
        userPrincipalName: i % 7 === 0 ? `Mixed.Case${i}@x.example` : `user${i}@x.example`,
        displayName: i % 5 === 0 ? 'quote " back\\slash\nnewline \u2028 \u0000 …' : `User ${i}`,
        gaps: i % 2 === 0 ? shared : [],
        warnings: i % 3 === 0 ? undefined : ['one', 'two'],
      }));
      const report: TenantReport = { ...base, tenantId: undefined as unknown as string, accounts };
      const chunks = [...renderTenantJsonChunks(report, options)];
      expect(chunks.join('')).toBe(renderTenantJson(report, options));
      expect(chunks.length).toBeGreaterThan(1);
      expect(chunks.at(-1)?.endsWith('}\n')).toBe(true);
      expect(JSON.parse(chunks.join('')).accounts).toHaveLength(3000);
    });

    it('renders accounts whose own data looks like the internal gaps marker exactly like JSON.stringify', () => {
      const base = mixedReport();
      const accounts = base.accounts.map((account, i) => ({
        ...account,
        displayName: i === 0 ? '\u0001' : account.displayName,
        reasons: i === 1 ? ['"gaps": "\u0001"', '\u0001'] : account.reasons,
        ...(i === 2 ? { extra: { gaps: '\u0001' } } : {}),
      }));
      const report: TenantReport = { ...base, accounts };
      expect(joined(report)).toBe(renderTenantJson(report, options));
    });

    it("is what the registry's reporter writes, chunk by chunk", async () => {
      const written: string[] = [];
      await REPORTERS.tenant.json.write({ write: (chunk) => void written.push(chunk) }, mixedReport(), options);
      expect(written).toEqual([...renderTenantJsonChunks(mixedReport(), options)]);
    });
  });
});
