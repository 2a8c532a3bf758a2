/**
 * "Fix these first": the few changes that close the most gaps, each with the accounts it fixes (privileged ones
 * first), as plain HTML so it reads without JavaScript. A button (shown only with JavaScript) narrows the account
 * list to a fix's accounts.
 */
import type { AccountResult, Fix, TenantReport } from '../../core/tenant/types.js';
import { escapeHtml as e } from '../escape.js';
import { plural } from '../tenant/wording.js';

/**
 * A fix of the report (core/tenant/fixes.ts proves it by re-running the engine with the change). `derived` marks the
 * fixes this page derives itself when the report carries none (from the gaps' `excludedBy`): nothing proved that such
 * a change closes the gaps, so the page says only that the exclusions open them.
 */
type FixItem = Fix & { derived?: true };

/** Fixes listed, at most; names listed per fix, at most. */
const FIXES_SHOWN = 10;
const NAMES_SHOWN = 8;

function isPrivileged(account: AccountResult): boolean {
  return (account.roles?.length ?? 0) > 0 || (account.agentGroups?.length ?? 0) > 0;
}

/**
 * The fixes the report carries; without them, one per policy whose exclusions open a proven gap (from the gaps'
 * `excludedBy`), the policy that frees the most accounts first, privileged accounts first within a fix.
 */
function fixesOf(report: TenantReport): FixItem[] {
  if (report.fixes) return report.fixes;
  const byPolicy = new Map<string, { accounts: AccountResult[]; gaps: number }>();
  for (const account of report.accounts) {
    if (account.verdict !== 'fail') continue;
    for (const gap of account.gaps) {
      if (gap.possible) continue;
      for (const policyId of gap.excludedBy ?? []) {
        let entry = byPolicy.get(policyId);
        if (!entry) byPolicy.set(policyId, (entry = { accounts: [], gaps: 0 }));
        if (entry.accounts[entry.accounts.length - 1] !== account) entry.accounts.push(account);
        entry.gaps += 1;
      }
    }
  }
  const titles = new Map<string, string>();
  for (const finding of report.findings) {
    const policyId = finding.policyIds?.[0];
    if (finding.id === 'policy-leaves-gap' && policyId && !titles.has(policyId)) titles.set(policyId, finding.message);
  }
  return [...byPolicy]
    .map(([policyId, { accounts, gaps }]): FixItem => {
      const ordered = [...accounts.filter(isPrivileged), ...accounts.filter((a) => !isPrivileged(a))];
      return {
        id: `exclusions:${policyId}`,
        kind: 'remove-exclusion' as const,
        title: titles.get(policyId) ?? `Review the exclusions of policy ${policyId}`,
        policyIds: [policyId],
        accountIds: ordered.map((a) => a.id),
        gapsClosed: gaps,
        privileged: ordered.filter(isPrivileged).length,
        derived: true,
      };
    })
    .sort(
      (a, b) => b.privileged - a.privileged || b.accountIds.length - a.accountIds.length || a.id.localeCompare(b.id),
    );
}

function fixItem(fix: FixItem, index: number, byId: ReadonlyMap<string, AccountResult>): string {
  const names = fix.accountIds.slice(0, NAMES_SHOWN).map((id) => {
    const account = byId.get(id);
    const name = e(account?.userPrincipalName || id);
    return account && isPrivileged(account) ? `<strong>${name}</strong> (privileged)` : name;
  });
  const more = fix.accountIds.length - names.length;
  const count = fix.accountIds.length;
  return (
    `<li><p><strong>${e(fix.title)}</strong></p>\n` +
    `<p>${fix.derived ? 'Its exclusions open' : 'Closes'} ${fix.gapsClosed} ${plural(fix.gapsClosed, 'gap')} ` +
    `${fix.derived ? 'of' : 'for'} ${count} ${plural(count, 'account')}` +
    `${fix.privileged > 0 ? `, ${fix.privileged} of them privileged` : ''}. ` +
    `<span class="muted mono">${e(fix.kind)}${fix.policyIds.length > 0 ? `: ${fix.policyIds.map(e).join(', ')}` : ''}</span></p>\n` +
    `<p class="accounts">${names.join(', ')}${more > 0 ? ` and ${more} more` : ''} ` +
    `<button type="button" class="js-only" hidden data-fix="${index}" data-label="${e(fix.title)}">` +
    `Show ${count === 1 ? 'this account' : `these ${count} accounts`}</button></p></li>`
  );
}

/** The section, and the fixes it shows (for the account data: which accounts each button selects). */
export function fixSection(report: TenantReport): { html: string; shown: FixItem[] } {
  const shown = fixesOf(report).slice(0, FIXES_SHOWN);
  const byId = new Map(report.accounts.map((account) => [account.id, account]));
  const body =
    shown.length > 0
      ? `<ol class="fixes">${shown.map((fix, i) => fixItem(fix, i, byId)).join('\n')}</ol>`
      : '<p>No change to suggest: no failing account has a gap a single change would close.</p>';
  return {
    html:
      '<section id="fixes" aria-labelledby="fixes-h">\n<h2 id="fixes-h">Fix these first</h2>\n' +
      '<p>The changes that close the most gaps, privileged accounts first.</p>\n' +
      `${body}\n</section>\n`,
    shown,
  };
}
