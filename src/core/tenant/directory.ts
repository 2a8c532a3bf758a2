/**
 * The directory as the engine needs it: users, transitive group membership, role holders, named locations,
 * authentication strengths, registration details, per-user MFA state, domains and cross-tenant trust.
 * `undefined` always means "not collected" (the snapshot key is absent); an empty collection means "none".
 */
import type { Snapshot } from '../snapshot.js';
import { GRAPH_KEYS, federationConfigurationKey, groupMembersKey } from '../snapshot.js';
import { BUILT_IN_STRENGTHS, PERMISSION_HINTS } from './constants.js';
import type { GraphUser, Json } from './graph-json.js';
import { isObject, objects, str, strings } from './graph-json.js';
import type { Unmodelled } from './model.js';
import { describeUnmodelled, FEDERATION_MODEL, NAMED_LOCATION_MODEL, STRENGTH_MODEL, unmodelledFields } from './model.js';

export type Tri = 'yes' | 'no' | 'maybe';

export interface NamedLocation {
  id: string;
  displayName: string;
  kind: 'ip' | 'country' | 'other';
  /** undefined: an IP location whose isTrusted is not in the snapshot. Country locations are never trusted. */
  trusted: boolean | undefined;
  cidrs: string[];
  countries: string[];
  includeUnknownCountries: boolean;
  /** Country looked up from the Authenticator app's GPS rather than the IP: may overlap anything. */
  gps: boolean;
  /** What of the location mfa-audit does not model (a new type, a range form): where it lies is not known. */
  doubt?: string;
}

export interface StrengthPolicy {
  id: string;
  displayName: string;
  allowedCombinations: string[];
  /** Entra's own verdict on the strength ('mfa', 'none', …); undefined when not in the snapshot. */
  requirementsSatisfied?: string;
  /** Properties or values of the strength mfa-audit does not model. */
  unmodelled?: Unmodelled[];
}

export interface Domain {
  id: string;
  authenticationType: string;
  /** undefined = federation configuration not collected; null = collected, no value (legacy SupportsMfa). */
  federatedIdpMfaBehavior: string | null | undefined;
  /** Properties of the federation configuration mfa-audit does not model (they may change what Entra does). */
  unmodelled?: string[];
}

export interface RoleHolding {
  /** Role template ids held tenant-wide (directly or through a role-assignable group). */
  held: Set<string>;
  /** Role ids that might be held (scoped assignment, or a group whose members were not collected). */
  maybe: Set<string>;
}

export interface Directory {
  snapshot: Snapshot;
  users: GraphUser[];
  userById: Map<string, GraphUser>;
  /** Group ids whose transitive members were collected → the user ids among them. */
  groupMembers: Map<string, Set<string>>;
  groupNames: Map<string, string>;
  /** undefined = role assignments not collected. */
  roles: Map<string, RoleHolding> | undefined;
  /** Roles that anyone might hold, because they are assigned to a group whose members were not collected. */
  rolesMaybeForEveryone: Set<string>;
  rolesMaybeReason: string[];
  /**
   * Eligible (PIM) role assignments, in the same shape as `roles`: an eligible account can activate the role at any
   * time, so for exclusions it counts as holding it. undefined = eligibility not collected.
   */
  eligible: Map<string, RoleHolding> | undefined;
  /** Roles anyone might be eligible for (eligibility of a group whose members were not collected). */
  eligibleMaybeForEveryone: Set<string>;
  /** Service principals of the apps policies name: app id (lower case) → owner tenant; undefined = not collected. */
  servicePrincipals: Map<string, { appOwnerOrganizationId: string | undefined; displayName: string | undefined }> | undefined;
  namedLocations: Map<string, NamedLocation> | undefined;
  strengths: Map<string, StrengthPolicy>;
  strengthsCollected: boolean;
  /** user id → isMfaRegistered; undefined = not collected. */
  registration: Map<string, boolean | undefined> | undefined;
  domains: Map<string, Domain> | undefined;
  /** undefined = not collected; null = collected but no inbound trust setting. */
  inboundMfaAccepted: boolean | null | undefined;
  securityDefaults: boolean | undefined;
  caPolicies: Json[] | undefined;
  collectionErrors: Record<string, string>;
  /** User id → perUserMfaState (from `beta/users/{id}/authentication/requirements`); absent = not collected. */
  perUser: Map<string, string>;
}

export function has(snapshot: Snapshot, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(snapshot.graph, key) && snapshot.graph[key] !== null;
}

function collection(snapshot: Snapshot, key: string): Json[] | undefined {
  if (!has(snapshot, key)) return undefined;
  return objects(snapshot.graph[key]);
}

export function buildDirectory(snapshot: Snapshot): Directory {
  const users = (collection(snapshot, GRAPH_KEYS.users) ?? []).filter(
    (u): u is Json & GraphUser => typeof u.id === 'string',
  ) as GraphUser[];
  const userById = new Map<string, GraphUser>();
  for (const u of users) userById.set(u.id, u);

  // Transitive group members: every `v1.0/groups/{id}/transitiveMembers` key.
  const groupMembers = new Map<string, Set<string>>();
  const groupNames = new Map<string, string>();
  const prefix = 'v1.0/groups/';
  const suffix = '/transitiveMembers';
  const perUser = new Map<string, string>();
  const userPrefix = 'beta/users/';
  const userSuffix = '/authentication/requirements';
  for (const key in snapshot.graph) {
    if (key.startsWith(userPrefix)) {
      if (key.endsWith(userSuffix)) {
        const v = snapshot.graph[key];
        if (v === null || v === undefined) continue;
        perUser.set(key.slice(userPrefix.length, key.length - userSuffix.length), isObject(v) ? (str(v.perUserMfaState) ?? 'unknown') : 'unknown');
      }
      continue;
    }
    if (!key.startsWith(prefix) || !key.endsWith(suffix)) continue;
    const groupId = key.slice(prefix.length, key.length - suffix.length);
    if (!has(snapshot, key)) continue;
    const members = new Set<string>();
    const list = snapshot.graph[key];
    if (Array.isArray(list)) {
      for (const m of list as unknown[]) {
        if (!isObject(m) || typeof m.id !== 'string') continue;
        const type = m['@odata.type'];
        if (type === '#microsoft.graph.group' && typeof m.displayName === 'string') groupNames.set(m.id, m.displayName);
        if (type !== undefined && type !== null && type !== '#microsoft.graph.user') continue;
        members.add(m.id);
      }
    }
    groupMembers.set(groupId, members);
  }
  // Optional `v1.0/groups` (a list of groups, possibly a subset): names, for partner agent groups and messages.
  for (const g of collection(snapshot, 'v1.0/groups') ?? []) {
    if (typeof g.id === 'string' && typeof g.displayName === 'string') groupNames.set(g.id, g.displayName);
  }

  // Role holders, active and eligible.
  const active = roleHolders(snapshot, GRAPH_KEYS.roleAssignments, userById, groupMembers);
  const eligibility = roleHolders(snapshot, GRAPH_KEYS.roleEligibility, userById, groupMembers);

  // Service principals of the apps that policies name.
  let servicePrincipals: Directory['servicePrincipals'];
  const sps = collection(snapshot, GRAPH_KEYS.servicePrincipals);
  if (sps) {
    servicePrincipals = new Map();
    for (const sp of sps) {
      const appId = str(sp.appId);
      if (appId) servicePrincipals.set(appId.toLowerCase(), { appOwnerOrganizationId: str(sp.appOwnerOrganizationId), displayName: str(sp.displayName) });
    }
  }

  // Named locations.
  let namedLocations: Map<string, NamedLocation> | undefined;
  const locs = collection(snapshot, GRAPH_KEYS.namedLocations);
  if (locs) {
    namedLocations = new Map();
    for (const l of locs) {
      const id = str(l.id);
      if (!id) continue;
      const type = str(l['@odata.type']) ?? '';
      const unknown = unmodelledFields(l, NAMED_LOCATION_MODEL);
      const kind = type.endsWith('ipNamedLocation')
        ? 'ip'
        : type.endsWith('countryNamedLocation')
          ? 'country'
          : Array.isArray(l.ipRanges)
            ? 'ip'
            : Array.isArray(l.countriesAndRegions)
              ? 'country'
              : 'other';
      namedLocations.set(id, {
        id,
        displayName: str(l.displayName) ?? id,
        kind,
        // A location of a kind mfa-audit does not know may be trusted (compliant networks are).
        trusted: typeof l.isTrusted === 'boolean' ? l.isTrusted : kind === 'country' ? false : undefined,
        cidrs: objects(l.ipRanges)
          .map((r) => str(r.cidrAddress))
          .filter((c): c is string => c !== undefined),
        countries: strings(l.countriesAndRegions).map((c) => c.toUpperCase()),
        includeUnknownCountries: l.includeUnknownCountriesAndRegions === true,
        gps: l.countryLookupMethod === 'authenticatorAppGps',
        ...(unknown.length ? { doubt: `named location '${str(l.displayName) ?? id}': ${unknown.map(describeUnmodelled).join('; ')}` } : {}),
      });
    }
  }

  // Authentication strengths: built-ins are known; the tenant's list overrides and adds custom ones.
  const strengths = new Map<string, StrengthPolicy>();
  for (const [id, s] of Object.entries(BUILT_IN_STRENGTHS)) strengths.set(id, { id, ...s });
  const strengthList = collection(snapshot, GRAPH_KEYS.authenticationStrengthPolicies);
  for (const s of strengthList ?? []) {
    const id = str(s.id);
    if (!id) continue;
    strengths.set(id, {
      id,
      displayName: str(s.displayName) ?? id,
      allowedCombinations: strings(s.allowedCombinations),
      requirementsSatisfied: str(s.requirementsSatisfied),
      unmodelled: unmodelledFields(s, STRENGTH_MODEL),
    });
  }

  // Registration details.
  let registration: Map<string, boolean | undefined> | undefined;
  const reg = collection(snapshot, GRAPH_KEYS.registrationDetails);
  if (reg) {
    registration = new Map();
    for (const r of reg) {
      const id = str(r.id);
      if (id) registration.set(id, typeof r.isMfaRegistered === 'boolean' ? r.isMfaRegistered : undefined);
    }
  }

  // Domains and their federation settings.
  let domains: Map<string, Domain> | undefined;
  const domainList = collection(snapshot, GRAPH_KEYS.domains);
  if (domainList) {
    domains = new Map();
    for (const d of domainList) {
      const id = str(d.id);
      if (!id) continue;
      const fedKey = federationConfigurationKey(id);
      let behavior: string | null | undefined;
      let unmodelled: string[] | undefined;
      if (has(snapshot, fedKey)) {
        const raw = snapshot.graph[fedKey];
        const configs = Array.isArray(raw) ? objects(raw) : isObject(raw) ? [raw] : [];
        behavior = configs.length > 0 ? (str(configs[0]!.federatedIdpMfaBehavior) ?? null) : null;
        const unknown = configs.flatMap((c) => unmodelledFields(c, FEDERATION_MODEL));
        if (unknown.length) unmodelled = unknown.map(describeUnmodelled);
      }
      domains.set(id.toLowerCase(), {
        id,
        authenticationType: str(d.authenticationType) ?? 'unknown',
        federatedIdpMfaBehavior: behavior,
        ...(unmodelled ? { unmodelled } : {}),
      });
    }
  }

  let inboundMfaAccepted: boolean | null | undefined;
  if (has(snapshot, GRAPH_KEYS.crossTenantDefault)) {
    const ct = snapshot.graph[GRAPH_KEYS.crossTenantDefault];
    const trust = isObject(ct) && isObject(ct.inboundTrust) ? ct.inboundTrust : undefined;
    inboundMfaAccepted = trust && typeof trust.isMfaAccepted === 'boolean' ? trust.isMfaAccepted : null;
  }

  // isEnabled null, absent or not a boolean says nothing: neither on (a pass) nor off (a proven fail).
  const collectionErrors: Record<string, string> = { ...(snapshot.collectionErrors ?? {}) };
  let securityDefaults: boolean | undefined;
  if (has(snapshot, GRAPH_KEYS.securityDefaults)) {
    const sd = snapshot.graph[GRAPH_KEYS.securityDefaults];
    const isEnabled = isObject(sd) ? sd.isEnabled : undefined;
    if (typeof isEnabled === 'boolean') securityDefaults = isEnabled;
    else collectionErrors[GRAPH_KEYS.securityDefaults] ??= `isEnabled is ${JSON.stringify(isEnabled) ?? 'absent'}, not true or false`;
  }

  return {
    snapshot,
    users,
    userById,
    groupMembers,
    groupNames,
    roles: active?.holders,
    rolesMaybeForEveryone: active?.maybeForEveryone ?? new Set(),
    rolesMaybeReason: active?.maybeReason ?? [],
    eligible: eligibility?.holders,
    eligibleMaybeForEveryone: eligibility?.maybeForEveryone ?? new Set(),
    servicePrincipals,
    namedLocations,
    strengths,
    strengthsCollected: strengthList !== undefined,
    registration,
    domains,
    inboundMfaAccepted,
    securityDefaults,
    caPolicies: conditionalAccessPolicies(snapshot),
    collectionErrors,
    perUser,
  };
}

/**
 * The policies: beta's list when it was collected (it shows conditions v1.0 hides), with any policy only v1.0
 * returned added; v1.0's list otherwise. undefined = neither was collected.
 */
function conditionalAccessPolicies(snapshot: Snapshot): Json[] | undefined {
  const v1 = collection(snapshot, GRAPH_KEYS.conditionalAccessPolicies);
  const beta = collection(snapshot, GRAPH_KEYS.conditionalAccessPoliciesBeta);
  if (!beta) return v1;
  const seen = new Set(beta.map((p) => str(p.id)?.toLowerCase()).filter((id) => id !== undefined));
  return [...beta, ...(v1 ?? []).filter((p) => !seen.has(str(p.id)?.toLowerCase() ?? '\u0000'))];
}

interface RoleHolders {
  holders: Map<string, RoleHolding>;
  maybeForEveryone: Set<string>;
  maybeReason: string[];
}

/** Who holds which role by a list of assignments (active assignments, or eligibility schedule instances). */
function roleHolders(snapshot: Snapshot, key: string, userById: Map<string, GraphUser>, groupMembers: Map<string, Set<string>>): RoleHolders | undefined {
  const assignments = collection(snapshot, key);
  if (!assignments) return undefined;
  const holders = new Map<string, RoleHolding>();
  const maybeForEveryone = new Set<string>();
  const maybeReason: string[] = [];
  const holding = (userId: string): RoleHolding => {
    let h = holders.get(userId);
    if (!h) holders.set(userId, (h = { held: new Set(), maybe: new Set() }));
    return h;
  };
  for (const a of assignments) {
    const principalId = str(a.principalId);
    const roleId = str(a.roleDefinitionId)?.toLowerCase();
    if (!principalId || !roleId) continue;
    const scope = str(a.directoryScopeId);
    const tenantWide = scope === undefined || scope === '/';
    const principalType = isObject(a.principal) ? str(a.principal['@odata.type']) : undefined;
    if (userById.has(principalId)) {
      const h = holding(principalId);
      (tenantWide ? h.held : h.maybe).add(roleId);
    } else if (groupMembers.has(principalId)) {
      for (const userId of groupMembers.get(principalId)!) {
        const h = holding(userId);
        (tenantWide ? h.held : h.maybe).add(roleId);
      }
    } else if (
      principalType === '#microsoft.graph.servicePrincipal' ||
      principalType === '#microsoft.graph.user' // a user that is not in the users list: nobody we audit
    ) {
      continue;
    } else {
      // A group (or a principal of unknown type) whose members were not collected: anyone may hold the role.
      maybeForEveryone.add(roleId);
      maybeReason.push(
        `role ${roleId} is assigned to principal ${principalId}, whose members were not collected ` +
          `(${groupMembersKey(principalId)}; needs ${PERMISSION_HINTS.groups})`,
      );
    }
  }
  return { holders, maybeForEveryone, maybeReason };
}

/** The per-user MFA state: undefined = not collected for this user. */
export function perUserMfaState(dir: Directory, userId: string): string | undefined {
  return dir.perUser.get(userId);
}

/** Whether the user holds a role (template id): yes / no / maybe (data missing or scoped). */
export function holdsRole(dir: Directory, userId: string, roleId: string): Tri {
  if (!dir.roles) return 'maybe';
  const h = dir.roles.get(userId);
  if (h?.held.has(roleId)) return 'yes';
  if (h?.maybe.has(roleId) || dir.rolesMaybeForEveryone.has(roleId)) return 'maybe';
  return 'no';
}

/**
 * Whether the user may activate a role (eligible through PIM) — for exclusions, which an eligible account escapes
 * whenever it likes: yes / no / maybe (eligibility not collected, scoped, or through a group not collected).
 */
export function eligibleForRole(dir: Directory, userId: string, roleId: string): Tri {
  if (!dir.eligible) return 'maybe';
  const h = dir.eligible.get(userId);
  if (h?.held.has(roleId)) return 'yes';
  if (h?.maybe.has(roleId) || dir.eligibleMaybeForEveryone.has(roleId)) return 'maybe';
  return 'no';
}

/** Transitive membership: yes / no / maybe (the group's members were not collected). */
export function inGroup(dir: Directory, userId: string, groupId: string): Tri {
  const members = dir.groupMembers.get(groupId);
  if (!members) return 'maybe';
  return members.has(userId) ? 'yes' : 'no';
}
