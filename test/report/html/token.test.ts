import { describe, expect, it } from 'vitest';
import { renderTokenHtml } from '../../../src/report/html/token.js';
import { goldenFiles } from '../../helpers/golden.js';
import { RENDER_OPTIONS, tokenReport } from '../../golden/ci/support.js';

const expectGolden = goldenFiles(new URL('golden/', import.meta.url));

describe('token HTML report', () => {
  it('renders one card per token with checks, claims and the Partner Center answer (golden)', () => {
    const html = renderTokenHtml(tokenReport('mixed'), RENDER_OPTIONS);
    expectGolden('token-mixed.golden.html', html);
    expect(html.match(/<article class="card"/g)).toHaveLength(tokenReport('mixed').results.length);
  });

  it('runs no script at all, and escapes claims', () => {
    const report = tokenReport('mixed');
    report.results[0]!.claims.upn = '<script>alert(1)</script>\u202e';
    report.results[0]!.explanation = [{ claim: 'upn', value: '<script>alert(1)</script>\u202e', meaning: '<b>' }];
    const html = renderTokenHtml(report, RENDER_OPTIONS);
    expect(html).toContain('script-src &#39;none&#39;');
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<b>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;\\u202e');
  });
});
