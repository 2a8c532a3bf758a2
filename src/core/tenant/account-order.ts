/** The one account order of every output: each run of the same tenant lists its accounts alike. */
import type { AccountResult } from './types.js';

/** Plain code-unit comparison: the same order on every machine and locale. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** UPN (case-insensitive), then UPN as written, then object id. */
export function compareAccounts(a: AccountResult, b: AccountResult): number {
  const upnA = a.userPrincipalName ?? '';
  const upnB = b.userPrincipalName ?? '';
  return compareText(upnA.toLowerCase(), upnB.toLowerCase()) || compareText(upnA, upnB) || compareText(a.id, b.id);
}
