import { describe, expect, it } from 'vitest';
import type { AccountResult, TenantReport } from '../../../src/core/tenant/types.js';
import { fixSection } from '../../../src/report/html/fix-list.js';
import { mixedReport } from '../tenant/sample-reports.js';

function failing(id: string, roles: string[] = []): AccountResult {
  return {
    id,
    userPrincipalName: `${id}@contoso.com`,
    displayName: id,
    kind: 'member',
    verdict: 'fail',
    mechanisms: [],
    reasons: [],
    roles,
    gaps: [{ description: "policy 'P' excludes the account", policyIds: ['p1'], excludedBy: ['p1'] }],
  };
}

describe('Fix these first', () => {
  it("lists the report's fixes in their order, privileged accounts marked", () => {
    const report: TenantReport = { ...mixedReport(), accounts: [failing('a'), failing('b', ['Global Administrator'])] };
    report.fixes = [
      {
        id: 'f1',
        kind: 'block-legacy-authentication',
        title: 'Block <legacy> authentication',
        policyIds: [],
        accountIds: ['b', 'a'],
        gapsClosed: 2,
        privileged: 1,
      },
    ];
    const { html, shown } = fixSection(report);
    expect(shown.map((f) => f.id)).toEqual(['f1']);
    expect(html).toContain('Block &lt;legacy&gt; authentication');
    expect(html).toContain('Closes 2 gaps for 2 accounts, 1 of them privileged.');
    expect(html.indexOf('b@contoso.com')).toBeLessThan(html.indexOf('a@contoso.com'));
    expect(html).toContain('<strong>b@contoso.com</strong> (privileged)');
  });

  it('without fixes in the report, derives one per excluding policy and claims only that its exclusions open gaps', () => {
    const report: TenantReport = {
      ...mixedReport(),
      findings: [],
      accounts: [failing('a'), failing('b', ['Global Administrator'])],
    };
    const { html, shown } = fixSection(report);
    expect(shown.map((f) => [f.id, f.accountIds])).toEqual([['exclusions:p1', ['b', 'a']]]);
    expect(html).toContain('Its exclusions open 2 gaps of 2 accounts, 1 of them privileged.');
    expect(html).not.toContain('Closes');
  });
});
