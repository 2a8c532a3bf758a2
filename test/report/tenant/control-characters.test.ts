import { describe, expect, it } from 'vitest';
import { renderTenantMarkdown } from '../../../src/report/tenant/markdown.js';
import { renderTenantTable } from '../../../src/report/tenant/table.js';
import { mixedReport } from './sample-reports.js';

const now = new Date('2026-11-21T12:00:00Z');

describe('tenant data cannot drive the terminal', () => {
  const report = mixedReport();
  const account = report.accounts[0]!;
  account.displayName = 'Evil\u001b]0;title\u0007\u202eName';
  account.userPrincipalName = 'x\u001b[31m@contoso.com';
  account.verdict = 'fail';

  it.each([
    ['table', () => renderTenantTable(report, { color: false, verbose: true, now })],
    ['markdown', () => renderTenantMarkdown(report, { color: false, verbose: true, now })],
  ])('%s shows control characters and bidi overrides as \\uXXXX', (_name, render) => {
    const text = render();
    // eslint-disable-next-line no-control-regex -- the assertion is about control characters
    expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f\u202e]/);
    expect(text).toContain('x\\u001b[31m@contoso.com');
  });
});
