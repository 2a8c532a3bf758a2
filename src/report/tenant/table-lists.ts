/**
 * The parts of the terminal report that say what to do: "Fix these first", failing accounts grouped by the gaps
 * they share (each gap's text once, then its accounts, privileged first), unknown accounts led by what is missing,
 * and findings with one finding per distinct gap. Accounts are one line each: a UPN too long for the line is
 * shortened visibly, and roles and groups stay on the account's line.
 */
import type { AccountResult, Finding, Fix, TenantReport } from '../../core/tenant/types.js';
import { confirmationText, engineVerdictText, evidenceText } from '../evidence-text.js';
import type { Line, Style } from './text-layout.js';
import { block, indent, shorten } from './text-layout.js';
import { acceptanceNote, plural, printable, standing } from './wording.js';

/** Accounts named per fix before "and N more". */
const FIX_ACCOUNTS_SHOWN = 3;

function isPrivileged(account: AccountResult): boolean {
  return (account.roles?.length ?? 0) > 0 || (account.agentGroups?.length ?? 0) > 0;
}

/** Privileged accounts first, the given order kept otherwise. */
function privilegedFirst(accounts: readonly AccountResult[]): AccountResult[] {
  return [...accounts.filter(isPrivileged), ...accounts.filter((a) => !isPrivileged(a))];
}

/** "Fix these first": each change, what it closes, and the accounts it fixes (privileged first). */
export function fixesSection(report: TenantReport, style: Style): string {
  const fixes = report.fixes ?? [];
  if (fixes.length === 0) return '';
  const { c } = style;
  const byId = new Map(report.accounts.map((a) => [a.id, a]));
  const items = fixes.map((fix, i) => {
    const number = `${i + 1}. `;
    const body: Line[] = [{ text: fix.title, paint: c.bold }, { text: fixReach(fix) }];
    const names = fix.accountIds.slice(0, FIX_ACCOUNTS_SHOWN).map((id) => byId.get(id)?.userPrincipalName || id);
    const rest = fix.accountIds.length - names.length;
    const text = block(body, style.width - number.length).replace(/\n/g, `\n${' '.repeat(number.length)}`);
    const accounts = names.map((n) => ' '.repeat(number.length) + shorten(printable(n), style.width - number.length));
    if (rest > 0) accounts.push(c.dim(`${' '.repeat(number.length)}and ${rest} more`));
    return [number + text, ...accounts].join('\n');
  });
  const note = block(
    [{ text: 'Each change counts the gaps it closes once the ones above it are made.', paint: c.dim }],
    style.width,
  );
  return `${c.bold('Fix these first')}\n${note}\n${items.join('\n')}`;
}

function fixReach(fix: Fix): string {
  const accounts = fix.accountIds.length;
  const privileged = fix.privileged > 0 ? `, ${fix.privileged} privileged` : '';
  return (
    `closes ${fix.gapsClosed} ${plural(fix.gapsClosed, 'gap')} of ${accounts} ${plural(accounts, 'account')}` +
    `${privileged}:`
  );
}

/** Accounts that share the same gaps, in one group: the gaps once, then the accounts. */
interface GapGroup {
  gaps: string[];
  accounts: AccountResult[];
}

/** Failing accounts grouped by their gaps; groups with privileged accounts first, then the larger ones. */
function groupByGaps(accounts: readonly AccountResult[]): GapGroup[] {
  const groups = new Map<string, GapGroup>();
  for (const account of accounts) {
    const gaps = account.gaps.length
      ? account.gaps.map((g) => [g.description, confirmationText(g)].filter((t) => t !== '').join('\n'))
      : [account.reasons[0] ?? '(no reason)'];
    const key = gaps.join('\u0000');
    const group = groups.get(key);
    if (group) group.accounts.push(account);
    else groups.set(key, { gaps, accounts: [account] });
  }
  const privileged = (g: GapGroup) => g.accounts.filter(isPrivileged).length;
  return [...groups.values()]
    .map((group, order) => ({ group: { ...group, accounts: privilegedFirst(group.accounts) }, order }))
    .sort(
      (a, b) =>
        Number(privileged(b.group) > 0) - Number(privileged(a.group) > 0) ||
        b.group.accounts.length - a.group.accounts.length ||
        a.order - b.order,
    )
    .map(({ group }) => group);
}

/** One account on one line: UPN (shortened if need be), kind, roles and groups, baseline acceptance. */
function accountLine(account: AccountResult, style: Style, prefix = '  '): string {
  const { c } = style;
  const extras = [account.kind, standing(account)].filter((t) => t !== '').join(', ');
  const note = acceptanceNote(account);
  const tail = `  (${printable(extras)})${note ? ` ${note}` : ''}`;
  const room = style.width - prefix.length;
  const upn = printable(account.userPrincipalName || account.id);
  const upnRoom = Math.max(room - tail.length, Math.min(upn.length, 16));
  const line = shorten(upn, upnRoom);
  const fitted =
    line.length + tail.length <= room ? tail : `  (${shorten(printable(extras), Math.max(room - line.length - 4, 1))})`;
  return prefix + line + c.dim(fitted);
}

/** Failing accounts, grouped by the gaps they share. */
export function failingSection(failing: readonly AccountResult[], limit: number, style: Style): string {
  if (failing.length === 0) return '';
  const { c } = style;
  const out: string[] = [c.bold(`Failing accounts (${failing.length}), by the gaps they share`)];
  let shown = 0;
  for (const group of groupByGaps(failing)) {
    if (shown >= limit) break;
    const count = group.accounts.length;
    const lines: Line[] = group.gaps.map((text, i) => ({
      text: `${group.gaps.length > 1 ? `gap ${i + 1}: ` : 'gap: '}${text}`,
    }));
    out.push('', c.bold(`${count} ${plural(count, 'account')}`) + c.dim(' through:'));
    out.push(indent(block(lines, style.width - 2), '  '));
    for (const account of group.accounts.slice(0, limit - shown)) out.push(...accountLines(account, style));
    shown += Math.min(count, limit - shown);
  }
  if (shown < failing.length) {
    out.push(
      block(
        [
          {
            text: `… and ${failing.length - shown} more: use --verbose, or --format json for every account`,
            paint: c.dim,
          },
        ],
        style.width,
      ),
    );
  }
  return out.join('\n');
}

/**
 * What an unknown account is missing, first: a federated domain's IdP, data not collected, a value not modelled.
 * The engine's reasons follow, the Conditional Access one last (without the missing piece it reads like a failure).
 */
function unknownLines(account: AccountResult): string[] {
  const caGap = (r: string) => r.startsWith('Conditional Access lets the account');
  const missing = account.reasons.filter((r) => !caGap(r));
  const ca = account.reasons.filter(caGap).map((r) => `Without it, ${r}`);
  const domain = (account.userPrincipalName.split('@')[1] ?? '').toLowerCase();
  const federated = missing.some((r) => /federated/i.test(r));
  const lead = federated && domain ? [`MFA may happen at the federated IdP ${domain}; Graph cannot see it.`] : [];
  const confirmations = account.gaps.map(confirmationText).filter((t) => t !== '');
  return [...lead, ...missing, ...ca, ...confirmations];
}

/** The account's line, then its sign-in evidence and what the policies alone said, when evidence changed it. */
function accountLines(account: AccountResult, style: Style): string[] {
  const lines: Line[] = [evidenceText(account), engineVerdictText(account)]
    .filter((text) => text !== '')
    .map((text) => ({ text, paint: style.c.dim }));
  const extra = lines.length ? indent(block(lines, style.width - 6), '      ') : '';
  return [accountLine(account, style, '  - '), ...(extra ? [extra] : [])];
}

/** Unknown accounts, grouped by what is missing. */
export function unknownSection(unknown: readonly AccountResult[], limit: number, style: Style): string {
  if (unknown.length === 0) return '';
  const { c } = style;
  const groups = new Map<string, { lines: string[]; accounts: AccountResult[] }>();
  for (const account of unknown) {
    const lines = unknownLines(account);
    const key = lines.join('\u0000').replace(account.userPrincipalName, '');
    const group = groups.get(key);
    if (group) group.accounts.push(account);
    else groups.set(key, { lines, accounts: [account] });
  }
  const out: string[] = [c.bold(`Unknown accounts (${unknown.length}): what is missing`)];
  let shown = 0;
  for (const { lines, accounts } of groups.values()) {
    if (shown >= limit) break;
    const [first, ...rest] = lines;
    out.push(
      '',
      indent(block([{ text: first ?? '', paint: c.bold }, ...rest.map((text) => ({ text }))], style.width - 2), '  '),
    );
    for (const account of privilegedFirst(accounts).slice(0, limit - shown)) out.push(...accountLines(account, style));
    shown += Math.min(accounts.length, limit - shown);
  }
  if (shown < unknown.length) out.push(c.dim(`… and ${unknown.length - shown} more: use --verbose, or --format json`));
  return out.join('\n');
}

/**
 * Findings for people: "policy leaves a gap" findings that describe the same gap become one, naming every policy
 * involved and every account once.
 */
export function mergedFindings(findings: readonly Finding[]): Finding[] {
  const out: Finding[] = [];
  const byGap = new Map<string, { finding: Finding; policies: string[]; accounts: Set<string> }>();
  for (const finding of findings) {
    const match =
      finding.id === 'policy-leaves-gap'
        ? /^Policy '(.*)' (requires MFA|blocks) but .*?; e\.g\. (.*)$/s.exec(finding.message)
        : null;
    if (!match) {
      out.push(finding);
      continue;
    }
    const gap = match[3]!;
    const seen = byGap.get(gap);
    if (seen) {
      seen.policies.push(match[1]!);
      for (const id of finding.accountIds ?? []) seen.accounts.add(id);
      continue;
    }
    const merged = { finding: { ...finding }, policies: [match[1]!], accounts: new Set(finding.accountIds ?? []) };
    byGap.set(gap, merged);
    out.push(merged.finding);
  }
  for (const [gap, { finding, policies, accounts }] of byGap) {
    if (policies.length < 2) continue;
    finding.message =
      `Policies ${policies.map((p) => `'${p}'`).join(', ')} require MFA or block, but their exclusions let ` +
      `${accounts.size} ${plural(accounts.size, 'account')} through; e.g. ${gap}`;
    finding.accountIds = [...accounts];
  }
  return out;
}
