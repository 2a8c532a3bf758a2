/**
 * The accounts as data for the page's script, which renders the account list on demand (a page at a time), so a
 * 100,000-account report is not 100,000 DOM rows. The data is compact: texts many accounts share (reasons, Partner
 * Center impacts, warnings) are stored once in `strings`, gap lists once in `gapLists`, and every account refers to
 * them by index. Every text is made printable here (control and bidi characters as `\uXXXX`); the script only ever
 * sets it as text, never as markup.
 *
 * Shapes (short keys keep a 100,000-account file small):
 *   account: { i: id, u: UPN, n: display name, k: kind, v: verdict, m: mechanisms, r: reason indices, g: gap list
 *              index, ro: roles, ag: agent groups, kr: kind reason, pc: impact index, w: warning indices,
 *              ev: evidence lines, ac: baseline note, cg: coverage group ("G3") }
 *   gap:     { d: description, p: policy ids, x: excluded by, e: example sign-in in words, c: What If, s: possible }
 */
import type { AccountResult, Gap, SignInExample } from '../../core/tenant/types.js';
import { escapeUnsafe } from '../escape.js';
import { confirmationText, engineVerdictText, evidenceText } from '../evidence-text.js';
import { acceptanceNote } from '../result-text.js';
import { jsonForScript } from './page.js';

/** Accounts per JSON.stringify call, and so roughly per chunk. */
const BATCH = 2000;

function text(value: string): string {
  return escapeUnsafe(value);
}

/** One concrete sign-in of a gap, in words. */
function exampleText(example: SignInExample): string {
  const app = example.application;
  const appText = app.appId
    ? `app ${app.appId}`
    : `an app no policy names${app.office365 ? ' (in Office 365)' : ''}${app.adminPortal ? ' (an admin portal)' : ''}`;
  const where =
    example.locations.length > 0
      ? `from named location ${example.locations.join(', ')}`
      : 'from an IP in no named location';
  const parts = [
    `${example.clientAppType} client on ${example.platform}`,
    appText,
    `${where}${example.trustedLocation ? ' (trusted)' : ' (untrusted)'}`,
    `sign-in risk ${example.signInRisk}, user risk ${example.userRisk}`,
    `device ${example.device.compliant ? 'compliant' : 'not compliant'}, ${example.device.domainJoined ? 'domain-joined' : 'not domain-joined'}`,
  ];
  if (example.authenticationFlow !== 'none') parts.push(`flow ${example.authenticationFlow}`);
  return text(parts.join('; '));
}

/** Interns values: the same key always gets the same index; `make` builds the value the first time. */
class Table<K, V> {
  readonly values: V[] = [];
  private readonly index = new Map<K, number>();
  of(key: K, make: () => V): number {
    let at = this.index.get(key);
    if (at === undefined) {
      at = this.values.push(make()) - 1;
      this.index.set(key, at);
    }
    return at;
  }
}

function gapData(gap: Gap): Record<string, unknown> {
  const confirmation = confirmationText(gap);
  return {
    d: text(gap.description),
    p: gap.policyIds.map(text),
    ...(gap.excludedBy?.length ? { x: gap.excludedBy.map(text) } : {}),
    ...(gap.example ? { e: exampleText(gap.example) } : {}),
    ...(confirmation ? { c: confirmation } : {}),
    ...(gap.possible ? { s: 1 } : {}),
  };
}

interface Tables {
  strings: Table<string, string>;
  /** Gaps by their data's JSON text: equal gaps of different accounts are stored once. */
  gaps: Table<string, Record<string, unknown>>;
  gapIndex: Map<Gap, number>;
  /** Gap lists by their gaps' indices; `listIndex` remembers each list object (the engine shares them). */
  gapLists: Table<string, number[]>;
  listIndex: Map<Gap[], number>;
}

function gapIndex(gap: Gap, tables: Tables): number {
  let at = tables.gapIndex.get(gap);
  if (at === undefined) {
    const data = gapData(gap);
    at = tables.gaps.of(JSON.stringify(data), () => data);
    tables.gapIndex.set(gap, at);
  }
  return at;
}

function gapListIndex(gaps: Gap[], tables: Tables): number {
  let at = tables.listIndex.get(gaps);
  if (at === undefined) {
    const indices = gaps.map((gap) => gapIndex(gap, tables));
    at = tables.gapLists.of(indices.join(','), () => indices);
    tables.listIndex.set(gaps, at);
  }
  return at;
}

function accountData(account: AccountResult, group: string | undefined, tables: Tables): Record<string, unknown> {
  const intern = (value: string) => {
    const printable = text(value);
    return tables.strings.of(printable, () => printable);
  };
  const strings = (values: string[] | undefined) => (values ?? []).map(intern);
  const evidence = [evidenceText(account), engineVerdictText(account)].filter((line) => line !== '').map(text);
  const note = acceptanceNote(account);
  return {
    i: text(account.id),
    u: text(account.userPrincipalName),
    n: text(account.displayName),
    k: text(account.kind),
    v: account.verdict,
    m: account.mechanisms.map(text),
    r: strings(account.reasons),
    ...(account.gaps.length > 0 ? { g: gapListIndex(account.gaps, tables) } : {}),
    ...(account.roles?.length ? { ro: account.roles.map(text) } : {}),
    ...(account.agentGroups?.length ? { ag: account.agentGroups.map(text) } : {}),
    ...(account.kindReason ? { kr: text(account.kindReason) } : {}),
    ...(account.partnerCenterImpact ? { pc: intern(account.partnerCenterImpact) } : {}),
    ...(account.warnings?.length ? { w: strings(account.warnings) } : {}),
    ...(evidence.length > 0 ? { ev: evidence } : {}),
    ...(note ? { ac: text(note) } : {}),
    ...(group ? { cg: group } : {}),
  };
}

/**
 * The data block's JSON, in pieces (about BATCH accounts each), already escaped for a `<script>` block:
 * `{"accounts":[…],"strings":[…],"gaps":[…],"gapLists":[…], …extras}`. The tables come last: they are filled while
 * the accounts are written.
 */
export function* accountDataChunks(
  accounts: readonly AccountResult[],
  groupOf: ReadonlyMap<AccountResult, string>,
  extras: Record<string, unknown> = {},
): Generator<string> {
  const tables: Tables = {
    strings: new Table(),
    gaps: new Table(),
    gapIndex: new Map(),
    gapLists: new Table(),
    listIndex: new Map(),
  };
  yield '{"accounts":[';
  for (let start = 0; start < accounts.length; start += BATCH) {
    const batch = accounts.slice(start, start + BATCH).map((a) => accountData(a, groupOf.get(a), tables));
    const json = JSON.stringify(batch);
    yield (start === 0 ? '' : ',') + jsonForScript(json.slice(1, -1));
  }
  const rest = {
    strings: tables.strings.values,
    gaps: tables.gaps.values,
    gapLists: tables.gapLists.values,
    ...extras,
  };
  yield '],' + jsonForScript(JSON.stringify(rest).slice(1));
}
