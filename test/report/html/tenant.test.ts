import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { TenantReport } from '../../../src/core/tenant/types.js';
import { renderTenantHtml, renderTenantHtmlChunks } from '../../../src/report/html/tenant.js';
import { goldenFiles } from '../../helpers/golden.js';
import { RENDER_OPTIONS, tenantReport } from '../../golden/ci/support.js';
import { largeReport, mixedReport } from '../tenant/sample-reports.js';

const expectGolden = goldenFiles(new URL('golden/', import.meta.url));

function sha256(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/** The JSON the page's script reads. */
function accountData(html: string): { accounts: Array<Record<string, unknown>>; fixes: number[][] } {
  const match = /<script type="application\/json" id="account-data">([\s\S]*?)<\/script>/.exec(html);
  expect(match).not.toBeNull();
  return JSON.parse(match![1]!);
}

/** A report whose names, UPNs, policy names and reasons are markup and bidi tricks. */
function hostileReport(): TenantReport {
  const report = mixedReport();
  const account = report.accounts[0]!;
  account.displayName = '</script><script>alert(1)</script>';
  account.userPrincipalName = 'evil\u202egpj.exe@contoso.com';
  account.reasons = ['<img src=x onerror=alert(2)> \u2028 &amp;'];
  account.gaps = [
    { description: "policy '<b>x</b>' excludes \u2029 <!-- the account", policyIds: ['"><svg onload=alert(3)>'] },
  ];
  report.tenantId = '<tenant & "co">';
  report.findings = [{ id: 'x', severity: 'high', message: '</section><script>alert(4)</script>' }];
  return report;
}

describe('tenant HTML report', () => {
  it('renders the mixed sample report (golden)', () => {
    expectGolden('tenant-mixed.golden.html', renderTenantHtml(tenantReport('mixed'), RENDER_OPTIONS));
  });

  it('allows exactly its own inline style sheet and script by hash, and loads nothing', () => {
    const html = renderTenantHtml(tenantReport('mixed'), RENDER_OPTIONS);
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/
      .exec(html)![1]!
      .replaceAll('&#39;', "'");
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)![1]!;
    expect(csp).toBe(
      `default-src 'none'; style-src ${sha256(style)}; script-src ${sha256(script)}; img-src data:; ` +
        "base-uri 'none'; form-action 'none'",
    );
    const markup = html.replace(/<script type="application\/json"[\s\S]*?<\/script>/, '');
    expect(markup).not.toMatch(/\sstyle="|\son[a-z]+="|https?:\/\//);
  });

  it('escapes hostile names, policies and messages: no markup of theirs, bidi controls visible', () => {
    const html = renderTenantHtml(hostileReport(), RENDER_OPTIONS);
    expect(html.match(/<script/g)).toHaveLength(2); // the data block and the page's own script
    expect(html.match(/<\/script>/g)).toHaveLength(2);
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<svg');
    expect(html).not.toContain('<!--');
    expect(html).not.toMatch(/[\u202e]/);
    expect(html.slice(html.indexOf('id="account-data"'))).not.toMatch(/[\u2028\u2029]/);
    expect(html).toContain('&lt;/section&gt;&lt;script&gt;alert(4)&lt;/script&gt;');
    expect(html).toContain('&lt;tenant &amp; &quot;co&quot;&gt;');
    const data = accountData(html);
    const evil = data.accounts.find((a) => a.n === '</script><script>alert(1)</script>');
    expect(evil?.u).toBe('evil\\u202egpj.exe@contoso.com');
  });

  it('puts the summary, the fix list and the coverage map in plain HTML, the accounts in the data block', () => {
    const report = tenantReport('mixed');
    const html = renderTenantHtml(report, RENDER_OPTIONS);
    const plain = html.slice(0, html.indexOf('<script'));
    for (const id of ['summary', 'fixes', 'coverage', 'accounts', 'findings', 'not-collected']) {
      expect(plain).toContain(`<section id="${id}"`);
    }
    expect(plain).toContain('<noscript>');
    expect(accountData(html).accounts).toHaveLength(report.accounts.length);
  });

  it('stores texts and gap lists shared by many accounts once', () => {
    const report = largeReport(2000);
    const html = renderTenantHtml(report, RENDER_OPTIONS);
    const data = accountData(html) as unknown as { accounts: unknown[]; strings: string[]; gapLists: number[][] };
    expect(data.accounts).toHaveLength(2000);
    expect(data.strings.length).toBeLessThan(50);
    expect(data.gapLists.length).toBeLessThan(50);
  });

  it('yields the same text in chunks as whole, the accounts in several pieces', () => {
    const report = largeReport(5000);
    const chunks = [...renderTenantHtmlChunks(report, RENDER_OPTIONS)];
    expect(chunks.length).toBeGreaterThan(4);
    expect(chunks.join('')).toBe(renderTenantHtml(report, RENDER_OPTIONS));
  });
});
