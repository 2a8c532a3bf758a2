import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { applyTenantBaseline } from '../../src/core/baseline.js';
import { renderTenantJunit, renderTokenJunit, xmlEscape } from '../../src/report/junit.js';
import { CASES, RENDER_OPTIONS, expectGolden, tenantReport, tokenReport } from '../golden/ci/support.js';

interface Outcome {
  '@_message': string;
  '@_type'?: string;
  '#text'?: string;
}
interface TestCase {
  '@_classname': string;
  '@_name': string;
  failure?: Outcome;
  error?: Outcome;
  skipped?: Outcome;
  'system-out'?: string;
}
interface Suite {
  '@_name': string;
  '@_tests': string;
  '@_failures': string;
  '@_errors': string;
  '@_skipped': string;
  testcase: TestCase[];
}

const parser = new XMLParser({
  ignoreAttributes: false,
  isArray: (name) => name === 'testcase' || name === 'testsuite' || name === 'property',
  parseAttributeValue: false,
  trimValues: false,
  // Numeric character references (&#10; in attributes) are decoded, as every XML parser does.
  htmlEntities: true,
});

function parse(xml: string): Suite {
  expect(XMLValidator.validate(xml)).toBe(true);
  const doc = parser.parse(xml) as { testsuites: { testsuite: Suite[] } };
  expect(doc.testsuites.testsuite).toHaveLength(1);
  return doc.testsuites.testsuite[0]!;
}

describe('JUnit reporter', () => {
  for (const name of CASES) {
    it(`token ${name}: golden, parses back with consistent counts`, () => {
      const xml = renderTokenJunit(tokenReport(name), RENDER_OPTIONS);
      expectGolden(`token-${name}.golden.xml`, xml);
      const suite = parse(xml);
      const results = tokenReport(name).results;
      expect(suite.testcase).toHaveLength(results.length);
      expect(Number(suite['@_tests'])).toBe(results.length);
      expect(Number(suite['@_failures'])).toBe(results.filter((r) => r.verdict === 'fail').length);
      expect(Number(suite['@_errors'])).toBe(results.filter((r) => r.verdict === 'unknown').length);
    });
    it(`tenant ${name}: golden, parses back with consistent counts`, () => {
      const xml = renderTenantJunit(tenantReport(name), RENDER_OPTIONS);
      expectGolden(`tenant-${name}.golden.xml`, xml);
      const suite = parse(xml);
      const { accounts } = tenantReport(name);
      expect(suite.testcase).toHaveLength(accounts.length);
      expect(Number(suite['@_failures'])).toBe(accounts.filter((a) => a.verdict === 'fail').length);
      expect(Number(suite['@_errors'])).toBe(accounts.filter((a) => a.verdict === 'unknown').length);
      expect(Number(suite['@_skipped'])).toBe(accounts.filter((a) => a.verdict === 'exempt').length);
    });
  }

  it('fail → failure with the gap text, unknown → error, exempt → skipped, pass → plain', () => {
    const suite = parse(renderTenantJunit(tenantReport('mixed')));
    const byName = (start: string) => suite.testcase.find((c) => c['@_name'].startsWith(start))!;
    const erin = byName('erin@contoso.com');
    expect(erin.failure?.['@_message']).toBe(
      "browser sign-in to any app from trusted location 'HQ' [policies: pol-mfa-all, pol-trusted] (+1 more)",
    );
    expect(erin.failure?.['#text']).toContain('legacy client (other) sign-in to Exchange Online');
    expect(erin.failure?.['@_type']).toBe('mfa-gap');
    expect(byName('svc-backup@').failure?.['@_type']).toBe('no-mfa');
    expect(byName('frank_fabrikam.com#EXT#').error?.['@_type']).toBe('unknown');
    expect(byName('old.user@').skipped?.['@_message']).toMatch(/^exempt: Account disabled/);
    const admin = byName('admin@');
    expect(admin.failure ?? admin.error ?? admin.skipped).toBeUndefined();
  });

  it('escapes every special character: display names and claims cannot break the XML', () => {
    const report = tenantReport('mixed');
    const nasty = 'a<b>&"c\' ]]> \u0001 \uD800 end';
    report.accounts[1]!.displayName = nasty;
    report.accounts[1]!.gaps[0]!.description = `gap ${nasty}\nsecond line`;
    const suite = parse(renderTenantJunit(report));
    const erin = suite.testcase.find((c) => c['@_name'].startsWith('erin@'))!;
    expect(erin['@_name']).toContain('a<b>&"c\' ]]>');
    expect(erin.failure?.['@_message']).toContain('gap a<b>&"c\'');
    expect(erin.failure?.['@_message']).toContain('\nsecond line');
    expect(xmlEscape('<&>"\'')).toBe('&lt;&amp;&gt;&quot;&apos;');
    expect(xmlEscape('\u0000x')).toBe('\uFFFDx');
  });

  it('neutralises bidi overrides and C1 controls from tenant data: shown as \\uXXXX, never raw', () => {
    const report = tenantReport('mixed');
    report.accounts[1]!.displayName = 'admin\u202egnp.exe\u0085\u2066x';
    report.accounts[1]!.gaps[0]!.description = 'gap \u202e reversed\tand tabbed';
    const xml = renderTenantJunit(report);
    expect(xml).not.toMatch(/[\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/);
    const erin = parse(xml).testcase.find((c) => c['@_name'].startsWith('erin@'))!;
    expect(erin['@_name']).toContain('admin\\u202egnp.exe\\u0085\\u2066x');
    expect(erin.failure?.['@_message']).toContain('gap \\u202e reversed\tand tabbed');
    expect(xmlEscape('\u202e')).toBe('\\u202e');
  });

  it('a baseline-accepted failure is skipped with the acceptance, the gap kept in system-out; expired ones fail', () => {
    const report = applyTenantBaseline(
      tenantReport('mixed'),
      {
        format: 'mfa-audit-baseline/1',
        entries: [
          { account: 'erin@contoso.com', reason: 'HQ migration', owner: 'secops', expires: '2026-12-31' },
          { account: '10000000-0000-0000-0000-000000000004', reason: 'old', owner: 'ops', expires: '2026-11-20' },
        ],
      },
      { now: new Date('2026-11-21T12:00:00Z') },
    );
    const xml = renderTenantJunit(report);
    expectGolden('tenant-mixed-baseline.golden.xml', xml);
    const suite = parse(xml);
    const erin = suite.testcase.find((c) => c['@_name'].startsWith('erin@'))!;
    expect(erin.failure).toBeUndefined();
    expect(erin.skipped?.['@_message']).toBe('accepted by baseline until 2026-12-31 (owner: secops): HQ migration');
    expect(erin['system-out']).toContain("trusted location 'HQ'");
    const svc = suite.testcase.find((c) => c['@_name'].startsWith('svc-backup@'))!;
    expect(svc.failure?.['#text']).toContain('baseline entry expired on 2026-11-20');
  });

  it('token cases: failing checks in the failure, the unknown v2 token as an error', () => {
    const suite = parse(renderTokenJunit(tokenReport('mixed')));
    expect(suite.testcase.map((c) => c['@_name'])).toEqual([
      'token 1: alice@contoso.com',
      'token 2: bob@contoso.com',
      'token 3: carol@contoso.com',
      "token 4: =cmd|' /C calc'!A0",
    ]);
    expect(suite.testcase[1]!.failure?.['@_message']).toContain('mfa: amr is ["pwd"]');
    expect(suite.testcase[1]!.failure?.['@_type']).toBe('check-failed:mfa');
    expect(suite.testcase[2]!.error?.['@_type']).toBe('unknown');
  });
});
