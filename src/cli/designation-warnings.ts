/**
 * `--break-glass` and `--service-accounts` entries that match no account of the audited tenant: the audit runs
 * without them, so a typo would silently leave an emergency or service account classified as a member. One warning
 * line each, and the run goes on: a designation changes an account's kind and advice, never its verdict.
 */
import type { Snapshot } from '../core/snapshot.js';
import { compileServicePatterns } from '../core/tenant/classify.js';
import type { AccountDesignations } from '../input/service-accounts.js';
import type { Io } from '../io.js';

/** Entries named in one warning; the rest are counted. */
const SHOWN = 3;

function someOf(entries: readonly string[]): string {
  const shown = entries.slice(0, SHOWN).join(', ');
  return entries.length > SHOWN ? `${shown} and ${entries.length - SHOWN} more` : shown;
}

/** The UPNs of a snapshot's user objects, as the engine classifies them. */
export function snapshotUpns(snapshot: Snapshot): string[] {
  const users = snapshot.graph['v1.0/users'];
  if (!Array.isArray(users)) return [];
  return users.map((user) => (user as { userPrincipalName?: unknown }).userPrincipalName).filter(isString);
}

function isString(value: unknown): value is string {
  return typeof value === 'string';
}

/**
 * The warnings for `designations` against the tenant's UPNs. `serviceAccountsValue` is the flag's value as given:
 * a file of entries, or the regular expression itself.
 */
export function designationWarnings(
  designations: AccountDesignations,
  serviceAccountsValue: string | undefined,
  upns: readonly string[],
): string[] {
  const known = new Set(upns.map((upn) => upn.toLowerCase()));
  const warnings: string[] = [];
  const lostBreakGlass = designations.breakGlass.filter((entry) => !known.has(entry.trim().toLowerCase()));
  if (lostBreakGlass.length > 0) {
    const one = lostBreakGlass.length === 1;
    warnings.push(
      `--break-glass ${someOf(lostBreakGlass)}: no account of the tenant has ${one ? 'this UPN' : 'these UPNs'} ` +
        `(compared case-insensitively); ${one ? 'it designates' : 'they designate'} nothing`,
    );
  }
  const { patterns, upns: serviceUpns } = designations.serviceAccounts;
  const compiled = compileServicePatterns(patterns);
  const lostService = [
    ...serviceUpns.filter((entry) => !known.has(entry.trim().toLowerCase())),
    ...patterns.filter((_, i) => !upns.some((upn) => compiled[i]?.test(upn))).map((pattern) => `/${pattern}/`),
  ];
  if (lostService.length === 0 || serviceAccountsValue === undefined) return warnings;
  const entries = serviceUpns.length + patterns.length;
  const fromFile = !(serviceUpns.length === 0 && patterns.length === 1 && patterns[0] === serviceAccountsValue);
  if (!fromFile) {
    warnings.push(`--service-accounts '${serviceAccountsValue}' matches no account of the tenant`);
  } else if (lostService.length === entries) {
    warnings.push(
      `--service-accounts ${serviceAccountsValue}: ` +
        (entries === 1 ? 'its one entry matches no account' : `none of its ${entries} entries matches an account`) +
        ` of the tenant (${someOf(lostService)})`,
    );
  } else {
    warnings.push(
      `--service-accounts ${serviceAccountsValue}: ${lostService.length} of its ${entries} entries match no account ` +
        `of the tenant (${someOf(lostService)})`,
    );
  }
  return warnings;
}

/** Each warning as one line on stderr; shown with --quiet too, since each says a flag was ignored. */
export function printWarnings(io: Io, warnings: readonly string[]): void {
  for (const warning of warnings) io.stderr.write(`mfa-audit: warning: ${warning}\n`);
}
