/**
 * The directory as the engine needs it: users, transitive group membership, role holders, named locations,
 * authentication strengths, registration details, per-user MFA state, domains and cross-tenant trust.
 * `undefined` always means "not collected" (the snapshot key is absent); an empty collection means "none".
 */
import type { Snapshot } from '../snapshot.js';
import { toEnd } from '../steps.js';
import { GRAPH_KEYS, federationConfigurationKey, groupMembersKey } from '../snapshot.js';
import { BUILT_IN_STRENGTHS, PERMISSION_HINTS } from './constants.js';
import type { GraphUser, Json } from './graph-json.js';
import { isObject, objects, str, strings } from './graph-json.js';
import type { Unmodelled } from './model.js';
import {
  describeUnmodelled,
  FEDERATION_MODEL,
  NAMED_LOCATION_MODEL,
  STRENGTH_MODEL,
  unmodelledFields,
} from './model.js';

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
  servicePrincipals:
    Map<string, { appOwnerOrganizationId: string | undefined; displayName: string | undefined }> | undefined;
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

function has(snapshot: Snapshot, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(snapshot.graph, key) && snapshot.graph[key] !== null;
}

function collection(snapshot: Snapshot, key: string): Json[] | undefined {
  if (!has(snapshot, key)) return undefined;
  return objects(snapshot.graph[key]);
}

/** The keys of the Conditional Access objects (policies, named locations, strengths): what `plan` changes. */
const CA_OBJECT_KEYS: ReadonlySet<string> = new Set([
  GRAPH_KEYS.conditionalAccessPolicies,
  GRAPH_KEYS.conditionalAccessPoliciesBeta,
  GRAPH_KEYS.namedLocations,
  GRAPH_KEYS.authenticationStrengthPolicies,
]);

/** Whether two snapshots hold the very same values (by reference) under every key but the CA objects' keys. */
function differOnlyInCaObjects(a: Snapshot, b: Snapshot): boolean {
  if (a.collectionErrors !== b.collectionErrors) return false;
  const own = (graph: Snapshot['graph'], key: string) => Object.prototype.hasOwnProperty.call(graph, key);
  for (const key in a.graph) {
    if (!CA_OBJECT_KEYS.has(key) && (a.graph[key] !== b.graph[key] || !own(b.graph, key))) return false;
  }
  for (const key in b.graph) if (!CA_OBJECT_KEYS.has(key) && !own(a.graph, key)) return false;
  return true;
}

/**
 * The directory of `snapshot`. Given the directory of a snapshot that differs from it only in its Conditional Access
 * objects (a `plan` baseline and its proposed state share every other key), only the parts built from those objects
 * are built again; users, groups, roles and the rest are shared, unmodified (nothing modifies a directory).
 */
export function buildDirectory(snapshot: Snapshot, sharing?: Directory): Directory {
  return toEnd(buildDirectoryInSteps(snapshot, sharing));
}

/** Users, rows or keys looked at between two yields of buildDirectoryInSteps (a few milliseconds of work). */
const ITEMS_PER_STEP = 5000;

/** `buildDirectory` as steps: a `yield` between its parts and every few thousand items (see planWhatIfInSteps). */
export function* buildDirectoryInSteps(snapshot: Snapshot, sharing?: Directory): Generator<void, Directory, void> {
  if (sharing && differOnlyInCaObjects(sharing.snapshot, snapshot)) {
    const strengthList = collection(snapshot, GRAPH_KEYS.authenticationStrengthPolicies);
    return {
      ...sharing,
      snapshot,
      namedLocations: namedLocations(snapshot),
      strengths: strengths(strengthList),
      strengthsCollected: strengthList !== undefined,
      caPolicies: conditionalAccessPolicies(snapshot),
    };
  }
  const users: GraphUser[] = [];
  const userById = new Map<string, GraphUser>();
  for (const u of collection(snapshot, GRAPH_KEYS.users) ?? []) {
    if (typeof u.id !== 'string') continue;
    users.push(u as Json & GraphUser);
    userById.set(u.id, u as Json & GraphUser);
    if (users.length % ITEMS_PER_STEP === 0) yield;
  }
  yield;
  const { groupMembers, groupNames, perUser } = yield* perObjectKeys(snapshot);
  yield;
  // Optional `v1.0/groups` (a list of groups, possibly a subset): names, for partner agent groups and messages.
  for (const g of collection(snapshot, 'v1.0/groups') ?? []) {
    if (typeof g.id === 'string' && typeof g.displayName === 'string') groupNames.set(g.id, g.displayName);
  }
  const active = roleHolders(snapshot, GRAPH_KEYS.roleAssignments, userById, groupMembers);
  const eligibility = roleHolders(snapshot, GRAPH_KEYS.roleEligibility, userById, groupMembers);
  yield;
  const registered = yield* registration(snapshot);
  yield;
  const strengthList = collection(snapshot, GRAPH_KEYS.authenticationStrengthPolicies);
  const collectionErrors: Record<string, string> = { ...(snapshot.collectionErrors ?? {}) };
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
    servicePrincipals: servicePrincipals(snapshot),
    namedLocations: namedLocations(snapshot),
    strengths: strengths(strengthList),
    strengthsCollected: strengthList !== undefined,
    registration: registered,
    domains: domains(snapshot),
    inboundMfaAccepted: inboundMfaAccepted(snapshot),
    securityDefaults: securityDefaults(snapshot, collectionErrors),
    caPolicies: conditionalAccessPolicies(snapshot),
    collectionErrors,
    perUser,
  };
}

/**
 * What the per-object keys hold: transitive group members (every `v1.0/groups/{id}/transitiveMembers` key, with the
 * names of nested groups) and per-user MFA states (every `beta/users/{id}/authentication/requirements` key).
 */
function* perObjectKeys(
  snapshot: Snapshot,
): Generator<void, Pick<Directory, 'groupMembers' | 'groupNames' | 'perUser'>, void> {
  const groupMembers = new Map<string, Set<string>>();
  const groupNames = new Map<string, string>();
  const prefix = 'v1.0/groups/';
  const suffix = '/transitiveMembers';
  const perUser = new Map<string, string>();
  const userPrefix = 'beta/users/';
  const userSuffix = '/authentication/requirements';
  let looked = 0;
  for (const key in snapshot.graph) {
    if (++looked % ITEMS_PER_STEP === 0) yield;
    if (key.startsWith(userPrefix)) {
      if (key.endsWith(userSuffix)) {
        const v = snapshot.graph[key];
        if (v === null || v === undefined) continue;
        perUser.set(
          key.slice(userPrefix.length, key.length - userSuffix.length),
          isObject(v) ? (str(v.perUserMfaState) ?? 'unknown') : 'unknown',
        );
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
  return { groupMembers, groupNames, perUser };
}

/** Service principals of the apps that policies name. */
function servicePrincipals(snapshot: Snapshot): Directory['servicePrincipals'] {
  const sps = collection(snapshot, GRAPH_KEYS.servicePrincipals);
  if (!sps) return undefined;
  const out: NonNullable<Directory['servicePrincipals']> = new Map();
  for (const sp of sps) {
    const appId = str(sp.appId);
    if (appId)
      out.set(appId.toLowerCase(), {
        appOwnerOrganizationId: str(sp.appOwnerOrganizationId),
        displayName: str(sp.displayName),
      });
  }
  return out;
}

function namedLocations(snapshot: Snapshot): Map<string, NamedLocation> | undefined {
  const locs = collection(snapshot, GRAPH_KEYS.namedLocations);
  if (!locs) return undefined;
  const out = new Map<string, NamedLocation>();
  for (const l of locs) {
    const location = namedLocation(l);
    if (location) out.set(location.id, location);
  }
  return out;
}

function namedLocation(l: Json): NamedLocation | undefined {
  const id = str(l.id);
  if (!id) return undefined;
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
  return {
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
    ...(unknown.length
      ? { doubt: `named location '${str(l.displayName) ?? id}': ${unknown.map(describeUnmodelled).join('; ')}` }
      : {}),
  };
}

/** Authentication strengths: built-ins are known; the tenant's list overrides and adds custom ones. */
function strengths(strengthList: Json[] | undefined): Map<string, StrengthPolicy> {
  const out = new Map<string, StrengthPolicy>();
  for (const [id, s] of Object.entries(BUILT_IN_STRENGTHS)) out.set(id, { id, ...s });
  for (const s of strengthList ?? []) {
    const id = str(s.id);
    if (!id) continue;
    out.set(id, {
      id,
      displayName: str(s.displayName) ?? id,
      allowedCombinations: strings(s.allowedCombinations),
      requirementsSatisfied: str(s.requirementsSatisfied),
      unmodelled: unmodelledFields(s, STRENGTH_MODEL),
    });
  }
  return out;
}

/** Registration details: user id → isMfaRegistered. */
function* registration(snapshot: Snapshot): Generator<void, Map<string, boolean | undefined> | undefined, void> {
  const reg = collection(snapshot, GRAPH_KEYS.registrationDetails);
  if (!reg) return undefined;
  const out = new Map<string, boolean | undefined>();
  let looked = 0;
  for (const r of reg) {
    const id = str(r.id);
    if (id) out.set(id, typeof r.isMfaRegistered === 'boolean' ? r.isMfaRegistered : undefined);
    if (++looked % ITEMS_PER_STEP === 0) yield;
  }
  return out;
}

/** Domains (by lower-case name) and their federation settings. */
function domains(snapshot: Snapshot): Map<string, Domain> | undefined {
  const domainList = collection(snapshot, GRAPH_KEYS.domains);
  if (!domainList) return undefined;
  const out = new Map<string, Domain>();
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
    out.set(id.toLowerCase(), {
      id,
      authenticationType: str(d.authenticationType) ?? 'unknown',
      federatedIdpMfaBehavior: behavior,
      ...(unmodelled ? { unmodelled } : {}),
    });
  }
  return out;
}

/** The default inbound cross-tenant trust of MFA: undefined = not collected, null = no setting. */
function inboundMfaAccepted(snapshot: Snapshot): boolean | null | undefined {
  if (!has(snapshot, GRAPH_KEYS.crossTenantDefault)) return undefined;
  const ct = snapshot.graph[GRAPH_KEYS.crossTenantDefault];
  const trust = isObject(ct) && isObject(ct.inboundTrust) ? ct.inboundTrust : undefined;
  return trust && typeof trust.isMfaAccepted === 'boolean' ? trust.isMfaAccepted : null;
}

/**
 * Security defaults' isEnabled. Null, absent or not a boolean says nothing: neither on (a pass) nor off (a proven
 * fail), and is recorded in `collectionErrors` as why the key counts as not collected.
 */
function securityDefaults(snapshot: Snapshot, collectionErrors: Record<string, string>): boolean | undefined {
  if (!has(snapshot, GRAPH_KEYS.securityDefaults)) return undefined;
  const sd = snapshot.graph[GRAPH_KEYS.securityDefaults];
  const isEnabled = isObject(sd) ? sd.isEnabled : undefined;
  if (typeof isEnabled === 'boolean') return isEnabled;
  collectionErrors[GRAPH_KEYS.securityDefaults] ??=
    `isEnabled is ${JSON.stringify(isEnabled) ?? 'absent'}, not true or false`;
  return undefined;
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
function roleHolders(
  snapshot: Snapshot,
  key: string,
  userById: Map<string, GraphUser>,
  groupMembers: Map<string, Set<string>>,
): RoleHolders | undefined {
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
