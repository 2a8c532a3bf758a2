/**
 * A SARIF rule describes the kind of problem, not one occurrence: its short and full descriptions (and help) are
 * the rule's own fixed text, the same in every run, never the message of the first finding of that kind.
 */
import { describe, expect, it } from 'vitest';
import type { Finding, TenantReport } from '../../src/core/tenant/types.js';
import { renderTenantSarif } from '../../src/report/sarif.js';
import { tenantReport } from '../golden/ci/support.js';

interface Rule {
  id: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  help: { text: string };
  defaultConfiguration: { level: string };
}

function rules(report: TenantReport): Map<string, Rule> {
  const log = JSON.parse(renderTenantSarif(report)) as { runs: Array<{ tool: { driver: { rules: Rule[] } } }> };
  return new Map(log.runs[0]!.tool.driver.rules.map((rule) => [rule.id, rule]));
}

function withFindings(findings: Finding[]): TenantReport {
  return { ...tenantReport('mixed'), findings };
}

const FIRST: Finding[] = [
  {
    id: 'mfa-policy-not-enforced',
    severity: 'medium',
    message: "Policy 'Require MFA for admins' (mfa) is report-only: it enforces nothing and counts for no account.",
    policyIds: ['p-1'],
  },
  {
    id: 'legacy-authentication-not-blocked',
    severity: 'high',
    message: 'Legacy authentication gets through without MFA for 3 accounts (a, b, c): add a policy.',
  },
  { id: 'some-future-finding', severity: 'low', message: 'Something new happened to 2 accounts.' },
];

const SECOND: Finding[] = [
  {
    id: 'mfa-policy-not-enforced',
    severity: 'medium',
    message: "Policy 'All users MFA' (mfa) is disabled: it enforces nothing and counts for no account.",
    policyIds: ['p-2'],
  },
  {
    id: 'legacy-authentication-not-blocked',
    severity: 'medium',
    message: 'No enabled policy blocks legacy authentication for all users.',
  },
  { id: 'some-future-finding', severity: 'high', message: 'Something else, worded differently.' },
];

describe('SARIF rule descriptions', () => {
  it('are identical in two reports whose findings of the same ids differ in wording, order and severity', () => {
    const a = rules(withFindings(FIRST));
    const b = rules(withFindings([...SECOND].reverse()));
    for (const id of [
      'finding-mfa-policy-not-enforced',
      'finding-legacy-authentication-not-blocked',
      'finding-some-future-finding',
    ]) {
      expect(a.get(id), id).toBeDefined();
      expect(b.get(id), id).toEqual(a.get(id));
    }
  });

  it('never carry the text of a finding', () => {
    const texts = [...FIRST, ...SECOND].map((finding) => finding.message);
    for (const rule of rules(withFindings(FIRST)).values()) {
      for (const text of [rule.shortDescription.text, rule.fullDescription.text, rule.help.text]) {
        for (const message of texts) expect(text).not.toContain(message.slice(0, 30));
      }
    }
  });

  it('every finding id the engine reports has a rule of its own text', () => {
    const ids = [
      'no-mfa-enforcement',
      'mfa-policy-not-enforced',
      'policy-leaves-gap',
      'legacy-authentication-not-blocked',
      'mfa-not-registered',
      'global-admin-without-mfa',
      'partner-agent-without-mfa',
      'guest-home-mfa-not-trusted',
      'security-defaults-limits',
      'per-user-mfa-in-use',
      'data-not-collected',
      'federated-domain',
    ];
    const all = rules(withFindings(ids.map((id) => ({ id, severity: 'medium', message: `message of ${id}` }))));
    const shorts = ids.map((id) => all.get(`finding-${id}`)?.shortDescription.text);
    expect(shorts.every((text) => text !== undefined && !text.includes('message of'))).toBe(true);
    expect(new Set(shorts).size).toBe(ids.length);
  });
});
