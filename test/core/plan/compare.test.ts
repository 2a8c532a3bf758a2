/**
 * Findings matched between two reports: by rule, policies and the exact accounts named (in order), so a finding
 * about other accounts is a new finding even when its rule, policies and count are the same; and by words only when
 * it names nobody.
 */
import { describe, expect, it } from 'vitest';
import { compareReports } from '../../../src/core/plan/compare.js';
import type { Finding, TenantReport } from '../../../src/core/tenant/types.js';
import { NOW } from '../tenant/build.js';

function report(findings: Finding[]): TenantReport {
  return {
    tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
    generatedAt: NOW.toISOString(),
    summary: { accounts: 0, pass: 0, fail: 0, exempt: 0, unknown: 0 },
    findings,
    accounts: [],
  };
}

function compare(before: Finding[], after: Finding[]) {
  const change = compareReports({
    command: 'diff',
    before: { report: report(before), label: 'old', kind: 'report' },
    after: { report: report(after), label: 'new', kind: 'report' },
    now: NOW,
  });
  return { added: change.findingsAdded.map((f) => f.message), removed: change.findingsRemoved.map((f) => f.message) };
}

const gap = (accountIds: string[], message = 'gap'): Finding => ({
  id: 'policy-leaves-gap',
  severity: 'high',
  message,
  policyIds: ['p1'],
  accountIds,
});

describe('findings added and removed', () => {
  it('a finding about the same accounts, reworded, is the same finding', () => {
    expect(compare([gap(['a', 'b'], 'old words')], [gap(['a', 'b'], 'new words')])).toEqual({ added: [], removed: [] });
  });

  it('a finding about as many other accounts is a new finding, and the old one is removed', () => {
    expect(compare([gap(['a', 'b'], 'before')], [gap(['a', 'c'], 'after')])).toEqual({
      added: ['after'],
      removed: ['before'],
    });
  });

  it('two findings of one rule and policies are matched one to one, whatever their order', () => {
    const both = [gap(['a'], 'first'), gap(['b'], 'second')];
    expect(compare(both, [...both].reverse())).toEqual({ added: [], removed: [] });
    expect(compare(both, [gap(['b'], 'second')])).toEqual({ added: [], removed: ['first'] });
  });

  it('a finding that names nobody is matched by its words', () => {
    const note = (message: string): Finding => ({ id: 'security-defaults-off', severity: 'info', message });
    expect(compare([note('one')], [note('one')])).toEqual({ added: [], removed: [] });
    expect(compare([note('one')], [note('two')])).toEqual({ added: ['two'], removed: ['one'] });
  });
});
