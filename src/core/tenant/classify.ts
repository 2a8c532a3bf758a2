/**
 * Account classification (evaluation.md §2): kind, guest/external types as Conditional Access sees them,
 * and the heuristics that name service and emergency-access accounts (always reported in `kindReason`).
 */
import type { AccountKind } from './types.js';
import type { Directory } from './directory.js';
import { holdsRole } from './directory.js';
import type { GraphUser } from './graph-json.js';
import { SYNC_ROLE_IDS } from './constants.js';

export interface ClassifyOptions {
  breakGlass: string[];
  serviceAccounts: { patterns: string[]; upns: string[] };
}

export interface Classification {
  kind: AccountKind;
  kindReason?: string;
  /** Exempt by evaluation.md §2 (disabled, or the Entra Connect sync account), with the reason. */
  exemptReason?: string;
  /** The CA guest/external user types (guestOrExternalUserTypes values) that describe this user object. */
  guestTypes: string[];
  /** Matches the legacy `GuestsOrExternalUsers` value. */
  guestOrExternal: boolean;
  /**
   * No guest signal, but `userType` is absent from the user object (not collected) or a value mfa-audit does not
   * know: the account may be an internal guest, so guest conditions may (not surely) apply to it.
   */
  maybeGuest?: boolean;
}

/** Emergency-access naming heuristic (documented in docs/evaluation.md). */
const EMERGENCY_NAME = /(break[-_.]?glass|emergency|^bg[-_.]?admin|^ea[-_.]admin)/i;
/** Service-account naming heuristic (documented in docs/evaluation.md): the UPN's local part. */
const SERVICE_NAME =
  /^(svc|service|srv|sa|app|api|bot|noreply|no-reply|scan|scanner|mailer|automation)[-_.]|[-_.](svc|service)$/i;
/**
 * The Entra Connect sync account's well-known name: `Sync_<server>_<12 hex digits>@<tenant>.onmicrosoft.com`.
 * Tight on purpose: exempt counts like pass in the gate, so a look-alike such as `sync_team@contoso.com` must not match.
 */
const SYNC_NAME = /^sync_[a-z0-9-]{1,15}_[0-9a-f]{12}@[a-z0-9-]+\.onmicrosoft\.(com|us|de|cn)$/i;

function localPart(upn: string): string {
  const at = upn.indexOf('@');
  return at < 0 ? upn : upn.slice(0, at);
}

/**
 * The CA guest/external types the user object may have (heuristic mapping, see docs/evaluation.md). One type when
 * the object's signals agree; two when they conflict, and a policy must name both to surely include the user.
 */
function guestTypesOf(user: GraphUser): string[] {
  const userType = (user.userType ?? '').toLowerCase();
  const ext = (user.userPrincipalName ?? '').toUpperCase().includes('#EXT#');
  const invited =
    (typeof user.externalUserState === 'string' && user.externalUserState.length > 0) ||
    user.creationType === 'Invitation';
  if (userType === 'guest') {
    if (ext) return ['b2bCollaborationGuest'];
    // A local guest that was later invited (B2B) or an invited user without the #EXT# form: either type.
    return invited ? ['internalGuest', 'b2bCollaborationGuest'] : ['internalGuest'];
  }
  if (userType === 'member') return ext || invited ? ['b2bCollaborationMember'] : [];
  // userType null (old objects): an external identity is a guest or an external member.
  return ext || invited ? ['b2bCollaborationGuest', 'b2bCollaborationMember'] : [];
}

/** userType absent (not collected) or a value other than Member/Guest; null (old objects) reads as a member. */
function userTypeUnknown(user: GraphUser): boolean {
  if (user.userType === undefined) return true;
  if (user.userType === null) return false;
  const t = user.userType.toLowerCase();
  return t !== 'member' && t !== 'guest';
}

/**
 * Whether a `Sync_…` name may stand for the Entra Connect account. The real one is cloud-only and always holds a
 * directory synchronization role: when role assignments were collected and show no such role (not even maybe), or the
 * account is synchronised from on-premises, the name is a look-alike and exempting it would count like a pass.
 */
function syncNameCanBeTrusted(dir: Directory, user: GraphUser): boolean {
  if (user.onPremisesSyncEnabled === true) return false;
  if (!dir.roles) return true;
  return [...SYNC_ROLE_IDS].some((r) => holdsRole(dir, user.id, r) !== 'no');
}

export function compileServicePatterns(patterns: string[]): RegExp[] {
  return patterns.map((p) => new RegExp(p, 'i'));
}

export function classify(
  dir: Directory,
  user: GraphUser,
  options: ClassifyOptions,
  servicePatterns: RegExp[],
  breakGlass: Set<string>,
  serviceUpns: Set<string>,
): Classification {
  const upn = user.userPrincipalName ?? '';
  const upnLower = upn.toLowerCase();
  const guestTypes = guestTypesOf(user);
  const guestOrExternal = guestTypes.length > 0;
  let kind: AccountKind = guestOrExternal ? 'guest' : 'member';
  let kindReason: string | undefined;
  let exemptReason: string | undefined;

  const syncRole = [...SYNC_ROLE_IDS].find((r) => holdsRole(dir, user.id, r) === 'yes');
  if (syncRole) {
    kind = 'sync';
    kindReason = 'holds the Directory Synchronization Accounts (or On Premises Directory Sync Account) role';
  } else if (SYNC_NAME.test(upn) && !guestOrExternal && syncNameCanBeTrusted(dir, user)) {
    kind = 'sync';
    kindReason =
      "name matches the Entra Connect sync account's well-known form Sync_<server>_… " +
      (dir.roles
        ? '(it may hold a sync role: a scoped assignment or a role group)'
        : '(role assignments were not collected to confirm it)');
  } else if (breakGlass.has(upnLower)) {
    kind = 'emergency';
    kindReason = 'listed in --break-glass';
  } else if (serviceUpns.has(upnLower)) {
    kind = 'service';
    kindReason = 'listed in --service-accounts';
  } else if (servicePatterns.some((p) => p.test(upn))) {
    const p = servicePatterns.find((re) => re.test(upn))!;
    kind = 'service';
    kindReason = `matches --service-accounts pattern /${p.source}/`;
  } else if (!guestOrExternal && EMERGENCY_NAME.test(localPart(upn))) {
    kind = 'emergency';
    kindReason = `heuristic: name matches ${EMERGENCY_NAME} (emergency-access naming); pass --break-glass to be explicit`;
  } else if (!guestOrExternal && SERVICE_NAME.test(localPart(upn))) {
    kind = 'service';
    kindReason = `heuristic: name matches ${SERVICE_NAME} (service-account naming); pass --service-accounts to be explicit`;
  }

  if (kind === 'member' && SYNC_NAME.test(upn) && !kindReason) {
    kindReason =
      "name looks like the Entra Connect sync account's, but it is not: " +
      (user.onPremisesSyncEnabled === true
        ? 'it is synchronised from on-premises'
        : 'it holds no directory synchronization role') +
      ' (no exemption)';
  }

  if (user.accountEnabled === false) {
    exemptReason = 'the account is disabled (accountEnabled false): it cannot sign in';
  } else if (kind === 'sync') {
    exemptReason =
      'the Entra Connect directory synchronization account: the one exception the partner requirements state ' +
      `(${kindReason})`;
  }
  const result: Classification = { kind, kindReason, exemptReason, guestTypes, guestOrExternal };
  if (!guestOrExternal && userTypeUnknown(user)) result.maybeGuest = true;
  return result;
}
