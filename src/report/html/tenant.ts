/**
 * The tenant report as one self-contained HTML page: the verdict and counts first, "Fix these first", the coverage
 * map, the accounts (search, filters, sort, each opening to its mechanisms, gaps, evidence and Partner Center
 * impact), the findings, and what was not decided or collected. Everything but the account list is plain HTML, so
 * the page reads without JavaScript and prints; the account list is rendered by the page's script from a JSON
 * data block, a page at a time, so 100,000 accounts stay usable.
 *
 * `renderTenantHtmlChunks` yields the page piece by piece (the data block in pieces of a few thousand accounts), so
 * a 100,000-account report is never one string; `renderTenantHtml` joins the same pieces.
 */
import type { AccountResult, TenantReport } from '../../core/tenant/types.js';
import { sortAccounts } from '../account-order.js';
import type { RenderOptions } from '../types.js';
import { accountDataChunks } from './account-data.js';
import { CLIENT_SCRIPT } from './client-script.js';
import { coverageMap } from './coverage.js';
import { coverageSection } from './coverage-section.js';
import { fixSection } from './fix-list.js';
import { pageEnd, pageHead } from './page.js';
import {
  baselineSection,
  findingsSection,
  notCollectedSection,
  summarySection,
  titleAndNav,
} from './tenant-sections.js';

const ACCOUNTS_SECTION = `<section id="accounts" aria-labelledby="accounts-h">
<h2 id="accounts-h">Accounts</h2>
<noscript><p>The account list needs JavaScript. The summary, the fix list, the coverage map and the findings on this
page do not; every account is also in the JSON report (<code>--format json</code>).</p></noscript>
<div class="js-only" hidden>
<div class="controls" role="search">
<label>Search (press /)<input id="q" type="search" placeholder="UPN, name, id or role" autocomplete="off"></label>
<label>Verdict<select id="f-verdict"><option value="">any</option><option value="fail">fail</option>
<option value="unknown">unknown</option><option value="pass">pass</option><option value="exempt">exempt</option></select></label>
<label>Kind<select id="f-kind"><option value="">any</option></select></label>
<label>Role or agent group<select id="f-role"><option value="">any</option>
<option value=":privileged">any role or agent group</option><option value=":none">none</option></select></label>
<label>Sort<select id="sort"><option value="report">report order</option><option value="verdict">verdict (fail first)</option>
<option value="privileged">privileged first</option><option value="upn">UPN</option><option value="kind">kind</option></select></label>
</div>
<p id="focus" hidden><span id="focus-text"></span> <button type="button" id="focus-clear">Show all accounts</button></p>
<p id="account-count" role="status" aria-live="polite"></p>
<ol id="account-list" class="accounts-list"></ol>
<div class="pager"><button type="button" id="prev">Previous page</button><span id="page-info"></span>
<button type="button" id="next">Next page</button></div>
</div>
</section>
`;

export function* renderTenantHtmlChunks(report: TenantReport, _options: RenderOptions): Generator<string> {
  const accounts = sortAccounts(report.accounts);
  const map = coverageMap(accounts);
  const groupOf = new Map<AccountResult, string>();
  for (const row of map.rows) for (const account of row.accounts) groupOf.set(account, row.id);
  const fixes = fixSection(report);
  yield (
    pageHead(`MFA audit: ${report.tenantId}`, CLIENT_SCRIPT) +
    titleAndNav(report) +
    summarySection(report) +
    fixes.html +
    coverageSection(map) +
    ACCOUNTS_SECTION +
    findingsSection(report) +
    notCollectedSection(report) +
    baselineSection(report) +
    '</main>\n'
  );
  const position = new Map(accounts.map((account, index) => [account.id, index]));
  const fixAccounts = fixes.shown.map((fix) =>
    fix.accountIds.map((id) => position.get(id)).filter((index) => index !== undefined),
  );
  yield '<script type="application/json" id="account-data">';
  yield* accountDataChunks(accounts, groupOf, { fixes: fixAccounts });
  yield '</script>\n' + pageEnd(CLIENT_SCRIPT);
}

export function renderTenantHtml(report: TenantReport, options: RenderOptions): string {
  return [...renderTenantHtmlChunks(report, options)].join('');
}
