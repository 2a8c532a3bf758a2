/**
 * Conditional Access policies, normalised: who they target (tri-state per user) and what their grant demands
 * (evaluation.md §4). Unknown values from newer Graph versions never count as MFA.
 */
import type { Directory, RoleHolding, Tri } from './directory.js';
import { eligibleForRole, holdsRole, inGroup } from './directory.js';
import type { Json } from './graph-json.js';
import { flags, isObject, str, strings } from './graph-json.js';
import {
  KNOWN_GUEST_TYPES,
  MULTI_FACTOR_MODES,
  NON_MFA_CONTROLS,
  PERMISSION_HINTS,
  ROLE_NAMES,
  SINGLE_FACTOR_MODES,
} from './constants.js';
import type { Classification } from './classify.js';
import { GRAPH_KEYS, groupMembersKey } from '../snapshot.js';
import type { Unmodelled } from './model.js';
import { describeUnmodelled, POLICY_MODEL, unmodelledFields } from './model.js';

export interface GuestCondition {
  types: string[];
  /** 'all' | 'enumerated' | other (unknown) */
  membershipKind: string;
  tenants: string[];
}

export interface Policy {
  index: number;
  id: string;
  name: string;
  state: string;
  raw: Json;
  /** Whether the policy targets users at all (workload-identity policies do not). */
  targetsUsers: boolean;
  includeUsers: string[];
  excludeUsers: string[];
  includeGroups: string[];
  excludeGroups: string[];
  includeRoles: string[];
  excludeRoles: string[];
  includeGuests: GuestCondition | null;
  excludeGuests: GuestCondition | null;
  grant: GrantAnalysis;
  /**
   * What of the policy mfa-audit does not model, by what it may change: `scope` is 'policy' (where the policy
   * applies at all), 'users' (whom it targets) or a sign-in dimension's name ('platform', 'application', …); `narrow`
   * means the policy may apply in fewer places than modelled, `widen` in more. Never empty-handed: each names the field.
   */
  doubts: Doubt[];
  /** Users are None (and nothing else is included): the policy targets no user, e.g. an agent-only policy. */
  targetsNoUser: boolean;
}

export interface Doubt {
  scope: string;
  narrow: boolean;
  widen: boolean;
  reason: string;
}

export interface GrantAnalysis {
  block: boolean;
  /** Whether every way to satisfy the grant includes MFA: yes (MFA needed), no, maybe (data missing). */
  requiresMfa: Tri;
  /** In words: what the grant demands, e.g. "mfa", "mfa OR compliantDevice". */
  summary: string;
  /** The controls that can be met without MFA (for gap descriptions). */
  withoutMfa: string[];
  /** Why requiresMfa is maybe. */
  maybeReasons: string[];
}

function policyName(p: Json): string {
  return str(p.displayName) ?? str(p.id) ?? '(unnamed policy)';
}

function guestCondition(value: unknown): GuestCondition | null {
  if (!isObject(value)) return null;
  const types = flags(value.guestOrExternalUserTypes).filter((t) => t !== 'none');
  if (types.length === 0) return null;
  const tenants = isObject(value.externalTenants) ? value.externalTenants : undefined;
  let membershipKind = 'all';
  let members: string[] = [];
  if (tenants) {
    membershipKind = str(tenants.membershipKind) ?? (Array.isArray(tenants.members) ? 'enumerated' : 'all');
    members = strings(tenants.members);
  }
  return { types, membershipKind, tenants: members };
}

/** Whether every mode of a combination is one mfa-audit models. */
function combinationIsModelled(combination: string): boolean {
  return combination
    .split(',')
    .map((m) => m.trim())
    .every((m) => m.length === 0 || MULTI_FACTOR_MODES.has(m) || SINGLE_FACTOR_MODES.has(m));
}

/** Whether a combination of authentication method modes is multi-factor; unknown modes never are. */
function isMultiFactorCombination(combination: string): boolean {
  const modes = combination
    .split(',')
    .map((m) => m.trim())
    .filter((m) => m.length > 0);
  if (modes.length === 0) return false;
  if (modes.some((m) => !MULTI_FACTOR_MODES.has(m) && !SINGLE_FACTOR_MODES.has(m))) return false;
  if (modes.some((m) => MULTI_FACTOR_MODES.has(m))) return true;
  return new Set(modes).size >= 2;
}

type Control = { name: string; mfa: Tri; reason?: string };

function analyseGrant(dir: Directory, grantControls: unknown): GrantAnalysis {
  if (!isObject(grantControls)) {
    return {
      block: false,
      requiresMfa: 'no',
      summary: 'no grant controls',
      withoutMfa: ['no grant control'],
      maybeReasons: [],
    };
  }
  const builtIn = strings(grantControls.builtInControls);
  if (builtIn.includes('block')) {
    return { block: true, requiresMfa: 'yes', summary: 'block', withoutMfa: [], maybeReasons: [] };
  }
  const controls: Control[] = builtIn.map(builtInControl);
  for (const c of strings(grantControls.customAuthenticationFactors)) {
    controls.push({ name: `custom control ${c} (puts no MFA claim in the token)`, mfa: 'no' });
  }
  for (const t of strings(grantControls.termsOfUse)) controls.push({ name: `terms of use ${t}`, mfa: 'no' });
  const strength = grantControls.authenticationStrength;
  if (isObject(strength)) controls.push(strengthControl(dir, strength));
  return combineControls(str(grantControls.operator), controls);
}

function builtInControl(c: string): Control {
  if (c === 'mfa') return { name: 'mfa', mfa: 'yes' };
  if (NON_MFA_CONTROLS.has(c)) return { name: c, mfa: 'no' };
  // A control newer than mfa-audit (or Graph's unknownFutureValue placeholder) may or may not be MFA.
  return {
    name: `${c} (a control mfa-audit does not model)`,
    mfa: 'maybe',
    reason: `grantControls.builtInControls has '${c}', a control mfa-audit does not model: it may or may not demand MFA`,
  };
}

/** An authentication strength as a control: MFA when every combination it allows is, by the tenant's own data. */
function strengthControl(dir: Directory, strength: Json): Control {
  const id = str(strength.id);
  const known = id ? dir.strengths.get(id) : undefined;
  const inline = strings(strength.allowedCombinations);
  // An empty list (allowedCombinations not selected, or null) says nothing: it must not read as "every
  // combination is multi-factor".
  const combos =
    known && known.allowedCombinations.length > 0 ? known.allowedCombinations : inline.length > 0 ? inline : undefined;
  const satisfied = known?.requirementsSatisfied ?? str(strength.requirementsSatisfied);
  const label = `authentication strength '${known?.displayName ?? str(strength.displayName) ?? id ?? '?'}'`;
  if (satisfied === 'none') {
    // Entra itself says the strength does not satisfy MFA.
    return { name: `${label} (requirementsSatisfied none: not MFA)`, mfa: 'no' };
  }
  if (!combos) {
    return {
      name: label,
      mfa: 'maybe',
      reason: known
        ? `authentication strength ${id ?? '(no id)'} has no allowedCombinations in the snapshot ` +
          `(collect v1.0/policies/authenticationStrengthPolicies with allowedCombinations; needs ${PERMISSION_HINTS.policies})`
        : `authentication strength ${id ?? '(no id)'} is not in the snapshot ` +
          `(collect v1.0/policies/authenticationStrengthPolicies; needs ${PERMISSION_HINTS.policies})`,
    };
  }
  const unknownModes = combos.filter((c) => !combinationIsModelled(c));
  const single = combos.filter((c) => combinationIsModelled(c) && !isMultiFactorCombination(c));
  const unmodelled = known?.unmodelled?.length ? known.unmodelled : [];
  if (single.length > 0) {
    return { name: `${label} (allows single-factor ${single.map((c) => `'${c}'`).join(', ')})`, mfa: 'no' };
  }
  if (unknownModes.length > 0 || unmodelled.length > 0) {
    return {
      name: label,
      mfa: 'maybe',
      reason:
        unknownModes.length > 0
          ? `authentication strength ${id ?? '(no id)'} allows ${unknownModes.map((c) => `'${c}'`).join(', ')}, with a method mode mfa-audit does not model`
          : `authentication strength ${id ?? '(no id)'}: ${unmodelled.map(describeUnmodelled).join('; ')}`,
    };
  }
  if (satisfied !== undefined && satisfied !== 'mfa') {
    // A value newer than mfa-audit: its combinations look multi-factor, but Entra's verdict cannot be read.
    return {
      name: label,
      mfa: 'maybe',
      reason: `authentication strength ${id ?? '(no id)'} has requirementsSatisfied '${satisfied}', a value mfa-audit does not know`,
    };
  }
  return { name: label, mfa: 'yes' };
}

/** What the grant demands, from its controls and operator (AND, OR; any other operator is read both ways). */
function combineControls(rawOperator: string | undefined, controls: Control[]): GrantAnalysis {
  const operator = rawOperator === 'AND' ? 'AND' : 'OR';
  const summary =
    controls.length === 0 ? 'no grant controls' : controls.map((c) => c.name.split(' (')[0]).join(` ${operator} `);
  if (controls.length === 0) {
    return { block: false, requiresMfa: 'no', summary, withoutMfa: ['no grant control'], maybeReasons: [] };
  }
  const maybeReasons = controls.filter((c) => c.mfa === 'maybe' && c.reason).map((c) => c.reason!);
  if (rawOperator !== undefined && rawOperator !== 'AND' && rawOperator !== 'OR' && controls.length > 1) {
    // An operator mfa-audit does not model: the grant is read both ways.
    const asAnd = controls.some((c) => c.mfa === 'yes') ? 'yes' : 'no';
    const asOr = controls.every((c) => c.mfa === 'yes') ? 'yes' : 'no';
    if (asAnd !== asOr || controls.some((c) => c.mfa === 'maybe')) {
      maybeReasons.push(
        `grantControls.operator is '${rawOperator}', an operator mfa-audit does not model (read as AND and as OR)`,
      );
      return { block: false, requiresMfa: 'maybe', summary, withoutMfa: [], maybeReasons };
    }
  }
  let requiresMfa: Tri;
  if (operator === 'AND') {
    requiresMfa = controls.some((c) => c.mfa === 'yes')
      ? 'yes'
      : controls.some((c) => c.mfa === 'maybe')
        ? 'maybe'
        : 'no';
  } else {
    requiresMfa = controls.some((c) => c.mfa === 'no')
      ? 'no'
      : controls.some((c) => c.mfa === 'maybe')
        ? 'maybe'
        : 'yes';
  }
  const withoutMfa =
    operator === 'AND'
      ? requiresMfa === 'no'
        ? [controls.map((c) => c.name).join(' AND ')]
        : []
      : controls.filter((c) => c.mfa === 'no').map((c) => c.name);
  return { block: false, requiresMfa, summary, withoutMfa, maybeReasons };
}

/** Per map of a directory (users, groups): its ids by their lower-case form, built once however often asked. */
const lowerCaseIds = new WeakMap<ReadonlyMap<string, unknown>, Map<string, string>>();

function lowerCaseIndex(byId: ReadonlyMap<string, unknown>): Map<string, string> {
  let index = lowerCaseIds.get(byId);
  if (!index) {
    index = new Map();
    for (const id of byId.keys()) index.set(id.toLowerCase(), id);
    lowerCaseIds.set(byId, index);
  }
  return index;
}

/**
 * Object ids are GUIDs, which Entra compares without regard to case: a policy's ids are written in the casing the
 * directory uses, so that an exclusion in upper case is not read as excluding nobody. Role template ids in lower case.
 * Keywords (`All`, `None`, `GuestsOrExternalUsers`) are no ids: they never need the index, which costs a pass over
 * every user (and is kept per directory, for the policies normalised again over the same directory).
 */
function canonicalIds(dir: Directory): { user: (ids: string[]) => string[]; group: (ids: string[]) => string[] } {
  const canonical = (byId: ReadonlyMap<string, unknown>, keywords: ReadonlySet<string>, ids: string[]) => {
    if (ids.every((id) => byId.has(id) || keywords.has(id))) return ids;
    const index = lowerCaseIndex(byId);
    return ids.map((id) => index.get(id.toLowerCase()) ?? id);
  };
  return {
    user: (ids) => canonical(dir.userById, USER_KEYWORDS, ids),
    group: (ids) => canonical(dir.groupMembers, NO_KEYWORDS, ids),
  };
}

/** Unmodelled paths handled where they are read (guest types, the grant's own fields, the policy state). */
const HANDLED_WHERE_READ = [
  /^conditions\.users\.(in|ex)cludeGuestsOrExternalUsers\.(guestOrExternalUserTypes|externalTenants\.membershipKind)$/,
  /^grantControls\.(builtInControls|operator)$/,
  /^grantControls\.authenticationStrength\./,
  /^state$/,
];

/** Where an unmodelled path of a policy may change where it applies (see Policy.doubts). */
const DOUBT_SCOPES: { path: RegExp; scope: string; narrow: boolean; widen: boolean }[] = [
  { path: /^conditions\.users\.include/, scope: 'users', narrow: false, widen: true },
  { path: /^conditions\.users\.exclude/, scope: 'users', narrow: true, widen: false },
  { path: /^conditions\.users\./, scope: 'users', narrow: true, widen: true },
  { path: /^conditions\.applications\.includeApplications$/, scope: 'application', narrow: false, widen: true },
  { path: /^conditions\.applications\.excludeApplications$/, scope: 'application', narrow: true, widen: false },
  { path: /^conditions\.applications\.applicationFilter\./, scope: 'application', narrow: true, widen: true },
  { path: /^conditions\.clientAppTypes$/, scope: 'clientAppType', narrow: false, widen: true },
  { path: /^conditions\.platforms\.includePlatforms$/, scope: 'platform', narrow: false, widen: true },
  { path: /^conditions\.platforms\.excludePlatforms$/, scope: 'platform', narrow: true, widen: false },
  { path: /^conditions\.locations\.includeLocations$/, scope: 'location', narrow: false, widen: true },
  { path: /^conditions\.locations\.excludeLocations$/, scope: 'location', narrow: true, widen: false },
  { path: /^conditions\.signInRiskLevels$/, scope: 'signInRisk', narrow: false, widen: true },
  { path: /^conditions\.userRiskLevels$/, scope: 'userRisk', narrow: false, widen: true },
  { path: /^conditions\.insiderRiskLevels$/, scope: 'insiderRisk', narrow: false, widen: true },
  {
    path: /^conditions\.(devices\.include(Devices|DeviceStates)|deviceStates\.includeStates)$/,
    scope: 'deviceState',
    narrow: false,
    widen: true,
  },
  {
    path: /^conditions\.(devices\.exclude(Devices|DeviceStates)|deviceStates\.excludeStates)$/,
    scope: 'deviceState',
    narrow: true,
    widen: false,
  },
  {
    path: /^conditions\.authenticationFlows\.transferMethods$/,
    scope: 'authenticationFlow',
    narrow: false,
    widen: true,
  },
  // Any other condition narrows where the policy applies (conditions combine with AND).
  { path: /^conditions\./, scope: 'policy', narrow: true, widen: false },
  { path: /^grantControls\./, scope: 'grant', narrow: false, widen: false },
  // Anything else of the policy: it may change where the policy applies either way.
  { path: /./, scope: 'policy', narrow: true, widen: true },
];

function doubtsOf(unmodelled: Unmodelled[]): Doubt[] {
  const out: Doubt[] = [];
  for (const u of unmodelled) {
    if (HANDLED_WHERE_READ.some((re) => re.test(u.path))) continue;
    const rule = DOUBT_SCOPES.find((d) => d.path.test(u.path))!;
    out.push({ scope: rule.scope, narrow: rule.narrow, widen: rule.widen, reason: describeUnmodelled(u) });
  }
  return out;
}

/** The doubts of a policy about one scope, merged: why it may apply in fewer / more places than modelled. */
export function doubtOf(p: Policy, scope: string): { narrow?: string; widen?: string } {
  let narrow: string | undefined;
  let widen: string | undefined;
  for (const d of p.doubts) {
    if (d.scope !== scope) continue;
    if (d.narrow) narrow = narrow ? `${narrow}; ${d.reason}` : d.reason;
    if (d.widen) widen = widen ? `${widen}; ${d.reason}` : d.reason;
  }
  return { ...(narrow ? { narrow } : {}), ...(widen ? { widen } : {}) };
}

export function normalisePolicies(dir: Directory): Policy[] {
  const canonical = canonicalIds(dir);
  const roles = (ids: string[]) => ids.map((id) => id.toLowerCase());
  return (dir.caPolicies ?? []).map((raw, index) => {
    const conditions = isObject(raw.conditions) ? raw.conditions : {};
    const users = isObject(conditions.users) ? conditions.users : undefined;
    const doubts = doubtsOf(unmodelledFields(raw, POLICY_MODEL));
    const grant = analyseGrant(dir, raw.grantControls);
    const grantDoubts = doubts.filter((d) => d.scope === 'grant');
    if (grantDoubts.length && !grant.block) {
      grant.requiresMfa = 'maybe';
      grant.maybeReasons.push(...grantDoubts.map((d) => `${d.reason} (it may change what the grant demands)`));
    }
    const includeUsers = canonical.user(strings(users?.includeUsers));
    const includesNone =
      includeUsers.includes('None') &&
      strings(users?.includeGroups).length === 0 &&
      strings(users?.includeRoles).length === 0 &&
      guestCondition(users?.includeGuestsOrExternalUsers) === null;
    return {
      index,
      id: str(raw.id) ?? `#${index}`,
      name: policyName(raw),
      state: str(raw.state) ?? 'unknown',
      raw,
      targetsUsers: users !== undefined,
      includeUsers,
      excludeUsers: canonical.user(strings(users?.excludeUsers)),
      includeGroups: canonical.group(strings(users?.includeGroups)),
      excludeGroups: canonical.group(strings(users?.excludeGroups)),
      includeRoles: roles(strings(users?.includeRoles)),
      excludeRoles: roles(strings(users?.excludeRoles)),
      includeGuests: guestCondition(users?.includeGuestsOrExternalUsers),
      excludeGuests: guestCondition(users?.excludeGuestsOrExternalUsers),
      grant,
      doubts: doubts.filter((d) => d.scope !== 'grant'),
      targetsNoUser: users === undefined || includesNone,
    };
  });
}

const or = (a: Tri, b: Tri): Tri =>
  a === 'yes' || b === 'yes' ? 'yes' : a === 'maybe' || b === 'maybe' ? 'maybe' : 'no';

export interface Targeting {
  included: Tri;
  excluded: Tri;
  /** What made a `maybe`, or what excluded the user (for reasons). */
  notes: string[];
}

function guestMatch(cond: GuestCondition | null, cls: Classification, notes: string[] | null, exclude: boolean): Tri {
  if (!cond) return 'no';
  // A type mfa-audit does not know (unknownFutureValue, a newer type) may describe this user, on either side.
  const unknownTypes =
    cls.guestTypes.length > 0 || cls.maybeGuest ? cond.types.filter((t) => !KNOWN_GUEST_TYPES.has(t)) : [];
  const r = knownGuestMatch(cond, cls, notes);
  if (r === 'yes' || unknownTypes.length === 0) return r;
  notes?.push(
    `the policy ${exclude ? 'excludes' : 'includes'} guest/external type ${unknownTypes.join(', ')}, which mfa-audit does not know and which may describe the account`,
  );
  return 'maybe';
}

function knownGuestMatch(cond: GuestCondition, cls: Classification, notes: string[] | null): Tri {
  if (cls.guestTypes.length === 0) {
    if (cls.maybeGuest && cond.types.includes('internalGuest')) {
      notes?.push(`${MAYBE_GUEST_NOTE}, and the policy names internalGuest`);
      return 'maybe';
    }
    return 'no';
  }
  const types = cls.guestTypes.filter((t) => cond.types.includes(t));
  if (types.length === 0) return 'no';
  if (types.length < cls.guestTypes.length) {
    notes?.push(
      `the account may be ${cls.guestTypes.join(' or ')} (its user object is ambiguous) and the policy names only ${types.join(', ')}`,
    );
    return 'maybe';
  }
  // internalGuest users are local; the external-tenant scope concerns users from other tenants.
  if (types.every((t) => t === 'internalGuest') || cond.membershipKind === 'all') return 'yes';
  notes?.push('the policy names specific external tenants, and a guest user object does not say its home tenant id');
  return 'maybe';
}

const MAYBE_GUEST_NOTE =
  "the account's userType is not in the snapshot (or is a value mfa-audit does not know): it may be a guest";

function side(
  dir: Directory,
  userId: string,
  cls: Classification,
  ids: string[],
  groups: string[],
  roles: string[],
  guests: GuestCondition | null,
  include: boolean,
  notes: string[] | null,
): Tri {
  let r: Tri = 'no';
  for (const u of ids) {
    if (u === userId || (include && u === 'All')) return 'yes';
    if (u === 'GuestsOrExternalUsers' && cls.guestOrExternal) return 'yes';
    if (u === 'GuestsOrExternalUsers' && cls.maybeGuest) {
      notes?.push(`${MAYBE_GUEST_NOTE}, and the policy names GuestsOrExternalUsers`);
      r = 'maybe';
    }
  }
  for (const g of groups) {
    const m = inGroup(dir, userId, g);
    if (m === 'yes') return 'yes';
    if (m === 'maybe') {
      notes?.push(`members of group ${g} were not collected (${groupMembersKey(g)}; needs ${PERMISSION_HINTS.groups})`);
      r = or(r, m);
    }
  }
  for (const role of roles) {
    const m = holdsRole(dir, userId, role);
    if (m === 'yes') return 'yes';
    if (m === 'maybe') {
      notes?.push(
        dir.roles
          ? `whether the account holds role ${ROLE_NAMES[role] ?? role} is not certain (scoped assignment or a role group whose members were not collected)`
          : `role assignments were not collected (v1.0/roleManagement/directory/roleAssignments; needs ${PERMISSION_HINTS.roles})`,
      );
      r = or(r, m);
    }
    // An account eligible (PIM) for an excluded role can activate it at any time and escape the policy.
    if (!include) {
      const e = eligibleForRole(dir, userId, role);
      if (e === 'yes') return 'yes';
      if (e === 'maybe') {
        notes?.push(
          dir.eligible
            ? `whether the account is eligible (PIM) for the excluded role ${ROLE_NAMES[role] ?? role} is not certain (scoped, or through a group whose members were not collected)`
            : `the policy excludes role ${ROLE_NAMES[role] ?? role} and role eligibility (PIM) was not collected: an eligible account can activate it and escape the policy (collect ${GRAPH_KEYS.roleEligibility}; needs ${PERMISSION_HINTS.roles})`,
        );
        r = or(r, e);
      }
    }
  }
  return or(r, guestMatch(guests, cls, notes, !include));
}

/** A users-side doubt of the policy (an unmodelled keyword or property) as a `maybe` for everyone. */
function usersDoubt(policy: Policy, include: boolean, notes: string[] | null): Tri {
  const d = doubtOf(policy, 'users');
  const why = include ? d.widen : d.narrow;
  if (!why) return 'no';
  notes?.push(`whether the policy ${include ? 'includes' : 'excludes'} the account is not known: ${why}`);
  return 'maybe';
}

/** Whether a policy targets the user: included and not excluded, each tri-state. */
export function targeting(dir: Directory, policy: Policy, userId: string, cls: Classification): Targeting {
  const notes: string[] = [];
  if (!policy.targetsUsers || policy.includeUsers.includes('None')) return { included: 'no', excluded: 'no', notes };
  let included = side(
    dir,
    userId,
    cls,
    policy.includeUsers,
    policy.includeGroups,
    policy.includeRoles,
    policy.includeGuests,
    true,
    notes,
  );
  if (included === 'no') included = usersDoubt(policy, true, notes);
  if (included === 'no') return { included, excluded: 'no', notes: [] };
  let excluded = side(
    dir,
    userId,
    cls,
    policy.excludeUsers,
    policy.excludeGroups,
    policy.excludeRoles,
    policy.excludeGuests,
    false,
    notes,
  );
  if (excluded === 'no') excluded = usersDoubt(policy, false, notes);
  return { included, excluded, notes };
}

/** How the user is excluded from a policy, in words (for gap descriptions). */
export function exclusionWords(dir: Directory, policy: Policy, userId: string, cls: Classification): string {
  if (policy.excludeUsers.includes(userId)) return 'excludes the account by name';
  if (policy.excludeUsers.includes('GuestsOrExternalUsers') && cls.guestOrExternal)
    return 'excludes guests and external users';
  for (const g of policy.excludeGroups) {
    if (inGroup(dir, userId, g) === 'yes')
      return `excludes group ${dir.groupNames.get(g) ? `'${dir.groupNames.get(g)}'` : g}, which the account belongs to`;
  }
  for (const r of policy.excludeRoles) {
    if (holdsRole(dir, userId, r) === 'yes') return `excludes role ${ROLE_NAMES[r] ?? r}, which the account holds`;
  }
  for (const r of policy.excludeRoles) {
    if (eligibleForRole(dir, userId, r) === 'yes')
      return `excludes role ${ROLE_NAMES[r] ?? r}, which the account is eligible for (PIM) and can activate at any time`;
  }
  if (policy.excludeGuests && cls.guestTypes.some((t) => policy.excludeGuests!.types.includes(t))) {
    return `excludes guest/external type ${cls.guestTypes.join(', ')}`;
  }
  return 'excludes the account';
}

/**
 * Which case of `exclusionWords` applies, as a short key: two users with the same key for a policy get the same
 * words, so gap descriptions can be cached without building the words for every account.
 */
export function exclusionCase(dir: Directory, policy: Policy, userId: string, cls: Classification): string {
  if (policy.excludeUsers.includes(userId)) return 'u';
  if (cls.guestOrExternal && policy.excludeUsers.includes('GuestsOrExternalUsers')) return 'e';
  const groups = policy.excludeGroups;
  for (let i = 0; i < groups.length; i++) {
    if (dir.groupMembers.get(groups[i] as string)?.has(userId) === true) return `g${i}`;
  }
  const roles = policy.excludeRoles;
  for (let i = 0; i < roles.length; i++) {
    if (holdsRole(dir, userId, roles[i] as string) === 'yes') return `r${i}`;
  }
  for (let i = 0; i < roles.length; i++) {
    if (eligibleForRole(dir, userId, roles[i] as string) === 'yes') return `e${i}`;
  }
  if (policy.excludeGuests && cls.guestTypes.some((t) => policy.excludeGuests!.types.includes(t))) {
    return `t${cls.guestTypes.join(',')}`;
  }
  return '-';
}

/** Per policy, the facts of its users side that do not depend on the user (index = position in the list). */
interface PolicyFacts {
  /** Targets no user (no users condition, or None included). */
  includeNone: boolean[];
  includeAll: boolean[];
  incLegacyGuests: boolean[];
  excLegacyGuests: boolean[];
  /** Includes / excludes roles or guest types (looked at only when nothing surer decides). */
  incOther: boolean[];
  excOther: boolean[];
  /** An unmodelled users-side property may widen the inclusion / narrow the exclusion. */
  incDoubt: boolean[];
  excDoubt: boolean[];
  /** Names users by id. */
  incIds: boolean[];
  excIds: boolean[];
  incUsers: Set<string>[];
  excUsers: Set<string>[];
  /** Includes / excludes a group whose members were not collected. */
  incMissing: Uint8Array;
  excMissing: Uint8Array;
}

const USER_KEYWORDS: ReadonlySet<string> = new Set(['All', 'None', 'GuestsOrExternalUsers']);
const NO_KEYWORDS: ReadonlySet<string> = new Set();

function policyFacts(dir: Directory, policies: Policy[]): PolicyFacts {
  const n = policies.length;
  const incMissing = new Uint8Array(n);
  const excMissing = new Uint8Array(n);
  policies.forEach((p, i) => {
    if (p.includeGroups.some((g) => !dir.groupMembers.has(g))) incMissing[i] = 1;
    if (p.excludeGroups.some((g) => !dir.groupMembers.has(g))) excMissing[i] = 1;
  });
  return {
    includeNone: policies.map((p) => !p.targetsUsers || p.includeUsers.includes('None')),
    includeAll: policies.map((p) => p.includeUsers.includes('All')),
    incLegacyGuests: policies.map((p) => p.includeUsers.includes('GuestsOrExternalUsers')),
    excLegacyGuests: policies.map((p) => p.excludeUsers.includes('GuestsOrExternalUsers')),
    incOther: policies.map((p) => p.includeRoles.length > 0 || p.includeGuests !== null),
    excOther: policies.map((p) => p.excludeRoles.length > 0 || p.excludeGuests !== null),
    incDoubt: policies.map((p) => doubtOf(p, 'users').widen !== undefined),
    excDoubt: policies.map((p) => doubtOf(p, 'users').narrow !== undefined),
    incIds: policies.map((p) => p.includeUsers.some((u) => !USER_KEYWORDS.has(u))),
    excIds: policies.map((p) => p.excludeUsers.some((u) => !USER_KEYWORDS.has(u))),
    incUsers: policies.map((p) => new Set(p.includeUsers)),
    excUsers: policies.map((p) => new Set(p.excludeUsers)),
    incMissing,
    excMissing,
  };
}

interface GroupHits {
  inc: number[];
  exc: number[];
}

/** User id → the policies that include / exclude one of the user's groups (from the referenced groups only). */
function groupHits(dir: Directory, policies: Policy[]): Map<string, GroupHits> {
  const groupIndex = new Map<string, GroupHits>();
  const slot = (g: string) => {
    let e = groupIndex.get(g);
    if (!e) groupIndex.set(g, (e = { inc: [], exc: [] }));
    return e;
  };
  policies.forEach((p, i) => {
    for (const g of p.includeGroups) slot(g).inc.push(i);
    for (const g of p.excludeGroups) slot(g).exc.push(i);
  });
  const hits = new Map<string, GroupHits>();
  for (const [g, e] of groupIndex) {
    const members = dir.groupMembers.get(g);
    if (!members) continue;
    for (const userId of members) {
      let h = hits.get(userId);
      if (!h) hits.set(userId, (h = { inc: [], exc: [] }));
      for (const i of e.inc) h.inc.push(i);
      for (const i of e.exc) h.exc.push(i);
    }
  }
  return hits;
}

/** The user whose letters are being computed: loaded once per user, read by every policy's letter. */
interface LoadedUser {
  holding: RoleHolding | undefined;
  eligible: RoleHolding | undefined;
  /** 1 where the policy includes / excludes one of the user's groups. */
  incHit: Uint8Array;
  excHit: Uint8Array;
}

const Y = 121; // 'y'
const N = 110; // 'n'
const X = 120; // 'x'
const M = 109; // 'm'

/** Policy i's letter (as a char code) for the loaded user. */
function letterFunction(
  dir: Directory,
  policies: Policy[],
  facts: PolicyFacts,
  user: LoadedUser,
): (i: number, userId: string, cls: Classification) => number {
  // holdsRole, with the user's holding looked up once per user instead of once per policy and role.
  const roleSide = (roles: string[]): Tri => {
    if (roles.length === 0) return 'no';
    if (!dir.roles) return 'maybe';
    let r: Tri = 'no';
    for (const role of roles) {
      if (user.holding?.held.has(role)) return 'yes';
      if (user.holding?.maybe.has(role) || dir.rolesMaybeForEveryone.has(role)) r = 'maybe';
    }
    return r;
  };
  // For exclusions, eligible (PIM) counts as held: eligibleForRole with the user's eligibility looked up once.
  const excludedRoleSide = (roles: string[]): Tri => {
    const r = roleSide(roles);
    if (r === 'yes' || roles.length === 0) return r;
    if (!dir.eligible) return 'maybe';
    let e: Tri = r;
    for (const role of roles) {
      if (user.eligible?.held.has(role)) return 'yes';
      if (user.eligible?.maybe.has(role) || dir.eligibleMaybeForEveryone.has(role)) e = 'maybe';
    }
    return e;
  };
  const f = facts;
  return (i, userId, cls) => {
    if (f.includeNone[i]) return N;
    const guest = cls.guestOrExternal;
    let included: Tri =
      f.includeAll[i] ||
      user.incHit[i] === 1 ||
      (guest && f.incLegacyGuests[i]) ||
      (f.incIds[i] && f.incUsers[i]!.has(userId))
        ? 'yes'
        : 'no';
    if (included !== 'yes') {
      if (f.incMissing[i] || (cls.maybeGuest && f.incLegacyGuests[i])) included = 'maybe';
      if (f.incOther[i]) {
        const p = policies[i]!;
        included = or(included, or(roleSide(p.includeRoles), guestMatch(p.includeGuests, cls, null, false)));
      }
      if (f.incDoubt[i]) included = or(included, 'maybe');
    }
    if (included === 'no') return N;
    let excluded: Tri =
      user.excHit[i] === 1 || (guest && f.excLegacyGuests[i]) || (f.excIds[i] && f.excUsers[i]!.has(userId))
        ? 'yes'
        : 'no';
    if (excluded !== 'yes') {
      if (f.excMissing[i] || (cls.maybeGuest && f.excLegacyGuests[i])) excluded = 'maybe';
      if (f.excOther[i]) {
        const p = policies[i]!;
        excluded = or(excluded, or(excludedRoleSide(p.excludeRoles), guestMatch(p.excludeGuests, cls, null, true)));
      }
      if (f.excDoubt[i]) excluded = or(excluded, 'maybe');
    }
    return excluded === 'yes' ? X : included === 'yes' && excluded === 'no' ? Y : M;
  };
}

/** User id → the policies that name the user by id. */
function namedUsers(policies: Policy[]): Map<string, number[]> {
  const named = new Map<string, number[]>();
  const name = (userId: string, i: number) => {
    const list = named.get(userId);
    if (list) list.push(i);
    else named.set(userId, [i]);
  };
  policies.forEach((p, i) => {
    for (const u of p.includeUsers) if (!USER_KEYWORDS.has(u)) name(u, i);
    for (const u of p.excludeUsers) if (!USER_KEYWORDS.has(u)) name(u, i);
  });
  return named;
}

/**
 * Signatures for many accounts at once: per policy, 'y' applies, 'n' not included, 'x' excluded, 'm' maybe.
 * The letters `targeting` decides (included no → 'n', excluded yes → 'x', both sure → 'y', else 'm'), but indexed
 * by group so that a user costs O(policies + the user's groups), not O(policies × groups referenced): the hot path
 * of 100,000-user tenants.
 */
export function compileSignatures(dir: Directory, policies: Policy[]): (userId: string, cls: Classification) => string {
  const n = policies.length;
  const hits = groupHits(dir, policies);
  const user: LoadedUser = {
    holding: undefined,
    eligible: undefined,
    incHit: new Uint8Array(n),
    excHit: new Uint8Array(n),
  };
  const letter = letterFunction(dir, policies, policyFacts(dir, policies), user);
  const codes = new Uint16Array(n);
  // Most users are "plain": no guest type, no role, not named by any policy, in none of the policies' groups. Their
  // letters are the same for every one of them, so they are computed once; a user then costs only the policies that
  // name the user or one of the user's groups (the rest of the letters are copied).
  const named = namedUsers(policies);
  let nobody = '\u0000';
  while (named.has(nobody)) nobody += '\u0000';
  const plainCls: Classification = { kind: 'member', guestTypes: [], guestOrExternal: false };
  const plain = new Uint16Array(n);
  for (let i = 0; i < n; i++) plain[i] = letter(i, nobody, plainCls);
  return (userId, cls) => {
    user.holding = dir.roles?.get(userId);
    user.eligible = dir.eligible?.get(userId);
    const h = hits.get(userId);
    if (h) {
      for (const i of h.inc) user.incHit[i] = 1;
      for (const i of h.exc) user.excHit[i] = 1;
    }
    if (
      user.holding === undefined &&
      user.eligible === undefined &&
      !cls.guestOrExternal &&
      cls.guestTypes.length === 0 &&
      !cls.maybeGuest
    ) {
      codes.set(plain);
      if (h) {
        for (const i of h.inc) codes[i] = letter(i, userId, cls);
        for (const i of h.exc) codes[i] = letter(i, userId, cls);
      }
      const ids = named.get(userId);
      if (ids) for (const i of ids) codes[i] = letter(i, userId, cls);
    } else {
      for (let i = 0; i < n; i++) codes[i] = letter(i, userId, cls);
    }
    if (h) {
      for (const i of h.inc) user.incHit[i] = 0;
      for (const i of h.exc) user.excHit[i] = 0;
    }
    // apply() over the typed array: spreading it would go through the iterator protocol, 10× slower.
    let signature = '';
    for (let i = 0; i < n; i += 4096) {
      signature += String.fromCharCode.apply(null, codes.subarray(i, i + 4096) as unknown as number[]);
    }
    return signature;
  };
}
