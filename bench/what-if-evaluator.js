// The test Graph server's Conditional Access "What If" evaluator (POST /identity/conditionalAccess/evaluate).
//
// Written from Microsoft Graph's documentation of conditionalAccessRoot: evaluate, signInIdentity, signInContext,
// signInConditions, whatIfAnalysisResult and the conditionalAccessConditionSet conditions, and deliberately NOT
// from src/core: it judges one concrete sign-in against each policy with the plain rules, so that the engine
// (which reasons over all sign-ins at once) can be checked against an independent answer.
//
// Decisions (Graph leaves them open or the test server simplifies):
// - Policies in state `enabled` and `enabledForReportingButNotEnforced` are evaluated (the What If tool includes
//   report-only policies; the answer carries `state`); `disabled` ones → policyApplies false, `policyNotEnabled`.
// - analysisReasons is the FIRST condition that fails, in this order: users (or workloadIdentities for a service
//   principal), application / userActions / authenticationContext, clientApps, devicePlatform, location,
//   signInRisk, userRisk, insiderRisk, devices, authenticationFlow.
// - A sign-in detail the request leaves out is unknown: it satisfies an "all" inclusion, no specific inclusion, and
//   no exclusion (Graph: "if the sign-in details for those conditions are missing, the What If tool can't evaluate
//   those conditions" → the policy doesn't apply). clientAppType `all` and devicePlatform `all` (Graph's defaults)
//   count as unknown. Risk levels default to `none`, authenticationFlow to none.
// - Users: a userId the snapshot does not know is evaluated as a member user with no groups or roles. Groups are the
//   snapshot's `v1.0/groups/{id}/transitiveMembers`; roles are the ACTIVE assignments of
//   `v1.0/roleManagement/directory/roleAssignments` at directory scope "/" (to the user, or to a group the user is
//   a transitive member of); eligible roles don't count. The guest type is the request's externalUserType when
//   given, else derived from the user: Guest + (creationType Invitation or an externalUserState) →
//   b2bCollaborationGuest, other Guest → internalGuest, Member + invitation → b2bCollaborationMember, else none.
//   An enumerated externalTenants list needs the request's externalTenantId.
// - Applications: the request names app ids (Graph: app groups themselves "don't result in a match"); a policy's
//   `Office365` and `MicrosoftAdminPortals` are the fixed id lists in APP_GROUPS below. An applicationFilter
//   (custom security attributes) can't be evaluated: in include mode it never matches, in exclude mode never excludes.
// - Client apps: sign-in `easSupported` matches policy `exchangeActiveSync` and `easSupported`; sign-in
//   `exchangeActiveSync` (an EAS client perhaps on an unsupported platform) matches policy `exchangeActiveSync` only.
// - Locations: a named IP location matches when ipAddress is in one of its CIDR ranges (IPv4 and IPv6); a country
//   location when `country` (ISO code) is listed, or when the country is not given and it includes unknown
//   countries; `AllTrusted` = any matching IP location marked isTrusted. The MFA trusted IPs id (all zeros) never
//   matches. The country lookup method is ignored.
// - Devices: deviceFilter rules are evaluated against deviceInfo (operators -eq -ne -startsWith -notStartsWith
//   -endsWith -notEndsWith -contains -notContains -in -notIn, joined by -and / -or, with parentheses); a missing
//   deviceInfo attribute is null. A rule this evaluator can't parse → `invalidCondition`. The legacy device states
//   (Compliant = isCompliant, DomainJoined = trustType ServerAD) are honoured too.
// - servicePrincipalRiskLevels and the old `times` condition are not evaluated.

/** Application groups a policy may name, each a small fixed list of well-known first-party app ids. */
export const APP_GROUPS = Object.freeze({
  Office365: Object.freeze([
    '00000002-0000-0ff1-ce00-000000000000', // Office 365 Exchange Online
    '00000003-0000-0ff1-ce00-000000000000', // Office 365 SharePoint Online
    '00000004-0000-0ff1-ce00-000000000000', // Skype for Business Online
    '00000005-0000-0ff1-ce00-000000000000', // Yammer
    '00000006-0000-0ff1-ce00-000000000000', // Microsoft Office 365 Portal
    'cc15fd57-2c6c-4117-a88c-83b1d56b4bbe', // Microsoft Teams Services
    '1fec8e78-bce4-4aaf-ab1b-5451cc387264', // Microsoft Teams
    'c9a559d2-7aab-4f13-a6ed-e7e9c52aec87', // Microsoft Forms
    '09abbdfd-ed23-44ee-a2d9-a627aa1c90f3', // Microsoft Planner
  ]),
  MicrosoftAdminPortals: Object.freeze([
    'c44b4083-3bb0-49c1-b47d-974e53cbdf3c', // Azure portal (also the Microsoft Entra admin center)
    '00000006-0000-0ff1-ce00-000000000000', // Microsoft 365 admin center (Office 365 Portal)
    '497effe9-df71-4043-a8bb-14cf78c4b63b', // Exchange admin center
    '80ccca67-54bd-44ab-8625-4b79c4dc7775', // Microsoft Purview / Security & Compliance
    '0000000a-0000-0000-c000-000000000000', // Microsoft Intune admin center
  ]),
});

const CLIENT_APP_TYPES = [
  'all',
  'browser',
  'mobileAppsAndDesktopClients',
  'exchangeActiveSync',
  'easSupported',
  'other',
];
const PLATFORMS = ['android', 'iOS', 'windows', 'windowsPhone', 'macOS', 'linux', 'all', 'unknownFutureValue'];
const RISK_LEVELS = ['low', 'medium', 'high', 'hidden', 'none', 'unknownFutureValue'];
const INSIDER_RISK_LEVELS = ['none', 'minor', 'moderate', 'elevated', 'unknownFutureValue'];
const GUEST_TYPES = [
  'none',
  'internalGuest',
  'b2bCollaborationGuest',
  'b2bCollaborationMember',
  'b2bDirectConnectUser',
  'otherExternalUser',
  'serviceProvider',
  'unknownFutureValue',
];
const TRANSFER_METHODS = ['none', 'deviceCodeFlow', 'authenticationTransfer', 'unknownFutureValue'];
const USER_ACTIONS = {
  registerSecurityInformation: 'urn:user:registersecurityinfo',
  registerOrJoinDevices: 'urn:user:registerdevice',
};
const MFA_TRUSTED_IPS = '00000000-0000-0000-0000-000000000000';

const lower = (s) => String(s).toLowerCase();
const eqi = (a, b) => typeof a === 'string' && typeof b === 'string' && a.toLowerCase() === b.toLowerCase();
/** Graph's multi-valued enums come as "a,b" strings (or arrays in some snapshots). */
const flags = (v) =>
  new Set(
    (Array.isArray(v) ? v : typeof v === 'string' ? v.split(',') : [])
      .map((s) => String(s).trim())
      .filter(Boolean)
      .map(lower),
  );
const list = (v) => (Array.isArray(v) ? v : []);

/**
 * Check a request body as Graph does; returns undefined when it is fine, else a Graph error message.
 * @param {unknown} body
 */
export function validateWhatIfRequest(body) {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return 'The request body must be a JSON object.';
  const { signInIdentity: who, signInContext: ctx, signInConditions: cond, appliedPoliciesOnly } = body;
  if (!who || typeof who !== 'object') return "The parameter 'signInIdentity' is required.";
  if (!ctx || typeof ctx !== 'object') return "The parameter 'signInContext' is required.";
  const whoType = who['@odata.type'];
  if (whoType === '#microsoft.graph.userSignIn') {
    if (typeof who.userId !== 'string' || !who.userId) return "userSignIn requires 'userId'.";
    if (who.externalUserType !== undefined && !GUEST_TYPES.includes(who.externalUserType))
      return `Invalid value '${who.externalUserType}' for 'externalUserType'.`;
  } else if (whoType === '#microsoft.graph.servicePrincipalSignIn') {
    if (typeof who.servicePrincipalId !== 'string' || !who.servicePrincipalId)
      return "servicePrincipalSignIn requires 'servicePrincipalId'.";
  } else return `Unsupported signInIdentity type '${whoType}'.`;
  const ctxType = ctx['@odata.type'];
  if (ctxType === '#microsoft.graph.applicationContext') {
    if (!Array.isArray(ctx.includeApplications) || ctx.includeApplications.length === 0)
      return "applicationContext requires 'includeApplications'.";
  } else if (ctxType === '#microsoft.graph.userActionContext') {
    if (!(ctx.userAction in USER_ACTIONS)) return `Invalid value '${ctx.userAction}' for 'userAction'.`;
  } else if (ctxType === '#microsoft.graph.authContext') {
    if (typeof ctx.authenticationContextValue !== 'string') return "authContext requires 'authenticationContextValue'.";
  } else return `Unsupported signInContext type '${ctxType}'.`;
  if (cond !== undefined && cond !== null) {
    if (typeof cond !== 'object') return "'signInConditions' must be an object.";
    const enums = [
      ['clientAppType', CLIENT_APP_TYPES.concat('unknownFutureValue')],
      ['devicePlatform', PLATFORMS],
      ['signInRiskLevel', RISK_LEVELS],
      ['userRiskLevel', RISK_LEVELS],
      ['servicePrincipalRiskLevel', RISK_LEVELS],
      ['insiderRiskLevel', INSIDER_RISK_LEVELS],
    ];
    for (const [name, allowed] of enums) {
      if (cond[name] !== undefined && cond[name] !== null && !allowed.includes(cond[name]))
        return `Invalid value '${cond[name]}' for '${name}'.`;
    }
    const flow = cond.authenticationFlow;
    const method = typeof flow === 'string' ? flow : flow?.transferMethod;
    if (flow != null && !TRANSFER_METHODS.includes(method)) return `Invalid value '${method}' for 'transferMethod'.`;
    if (cond.ipAddress != null && parseIp(cond.ipAddress) === undefined)
      return `Invalid value '${cond.ipAddress}' for 'ipAddress'.`;
  }
  if (appliedPoliciesOnly !== undefined && appliedPoliciesOnly !== null && typeof appliedPoliciesOnly !== 'boolean')
    return "'appliedPoliciesOnly' must be a boolean.";
  return undefined;
}

/**
 * An evaluator over a snapshot's `graph` map (indexes are built on first use).
 * @param {Record<string, unknown>} graph
 */
export function createWhatIfEvaluator(graph) {
  const pick = (...keys) => {
    for (const k of keys) if (graph[k] !== undefined) return graph[k];
    return undefined;
  };
  let usersById;
  const userOf = (id) => {
    if (!usersById) {
      usersById = new Map();
      for (const u of list(graph['v1.0/users'])) usersById.set(lower(u.id), u);
    }
    return usersById.get(lower(id));
  };
  const members = new Map();
  const groupHas = (groupId, objectId) => {
    let set = members.get(lower(groupId));
    if (!set) {
      const rows = list(
        pick(`v1.0/groups/${groupId}/transitiveMembers`, `v1.0/groups/${lower(groupId)}/transitiveMembers`),
      );
      members.set(lower(groupId), (set = new Set(rows.map((m) => lower(m.id)))));
    }
    return set.has(lower(objectId));
  };
  let assignments;
  const rolesOf = (userId) => {
    if (!assignments) {
      assignments = new Map(); // principalId → Set(roleDefinitionId)
      for (const a of list(pick('v1.0/roleManagement/directory/roleAssignments'))) {
        if (a.directoryScopeId !== undefined && a.directoryScopeId !== null && a.directoryScopeId !== '/') continue;
        const key = lower(a.principalId);
        if (!assignments.has(key)) assignments.set(key, new Set());
        assignments.get(key).add(lower(a.roleDefinitionId));
      }
    }
    const roles = new Set();
    for (const [principal, defs] of assignments) {
      if (principal === lower(userId) || groupHas(principal, userId)) for (const d of defs) roles.add(d);
    }
    return roles;
  };
  const locations = () =>
    list(pick('beta/identity/conditionalAccess/namedLocations', 'v1.0/identity/conditionalAccess/namedLocations'));
  const policies = () =>
    list(pick('beta/identity/conditionalAccess/policies', 'v1.0/identity/conditionalAccess/policies'));

  /** Evaluate every policy for one request (already validated): [{ policy, policyApplies, analysisReasons }]. */
  function evaluate(request) {
    const signIn = describe(request);
    return policies().map((policy) => {
      const reason = firstFailure(policy, signIn);
      return { policy, policyApplies: reason === 'notSet', analysisReasons: reason };
    });
  }

  /** The concrete sign-in, with what the snapshot knows of the identity. */
  function describe(request) {
    const who = request.signInIdentity;
    const cond = request.signInConditions ?? {};
    const signIn = { request, ctx: request.signInContext, cond };
    if (who['@odata.type'] === '#microsoft.graph.servicePrincipalSignIn') {
      signIn.servicePrincipalId = who.servicePrincipalId;
      return signIn;
    }
    const user = userOf(who.userId);
    signIn.userId = who.userId;
    signIn.guestType = who.externalUserType ?? guestTypeOf(user);
    signIn.externalTenantId = who.externalTenantId;
    let roles;
    signIn.roles = () => (roles ??= rolesOf(who.userId));
    signIn.locations = matchedLocations(cond);
    return signIn;
  }

  function matchedLocations(cond) {
    const ip = cond.ipAddress ? parseIp(cond.ipAddress) : undefined;
    const country = typeof cond.country === 'string' && cond.country ? cond.country.toUpperCase() : undefined;
    const matched = new Set();
    let trusted = false;
    for (const loc of locations()) {
      const type = String(loc['@odata.type'] ?? '');
      let hit = false;
      if (type.endsWith('ipNamedLocation') || Array.isArray(loc.ipRanges)) {
        hit = ip !== undefined && list(loc.ipRanges).some((r) => inCidr(ip, r.cidrAddress));
        if (hit && loc.isTrusted) trusted = true;
      } else if (type.endsWith('countryNamedLocation') || Array.isArray(loc.countriesAndRegions)) {
        hit =
          country === undefined
            ? Boolean(loc.includeUnknownCountriesAndRegions)
            : list(loc.countriesAndRegions).some((c) => String(c).toUpperCase() === country);
      }
      if (hit) matched.add(lower(loc.id));
    }
    return { matched, trusted };
  }

  function firstFailure(policy, s) {
    if (policy.state === 'disabled') return 'policyNotEnabled';
    const c = policy.conditions;
    if (!c || typeof c !== 'object') return 'invalidPolicy';
    if (s.servicePrincipalId !== undefined) {
      if (!servicePrincipalIncluded(c.clientApplications, s.servicePrincipalId)) return 'workloadIdentities';
    } else if (!userIncluded(c.users, s)) return 'users';
    const target = targetFailure(c.applications, s.ctx);
    if (target) return target;
    if (!clientAppIncluded(c.clientAppTypes, s.cond.clientAppType)) return 'clientApps';
    if (!platformIncluded(c.platforms, s.cond.devicePlatform)) return 'devicePlatform';
    if (s.servicePrincipalId === undefined && !locationIncluded(c.locations, s.locations)) return 'location';
    if (!levelIncluded(c.signInRiskLevels, s.cond.signInRiskLevel)) return 'signInRisk';
    if (!levelIncluded(c.userRiskLevels, s.cond.userRiskLevel)) return 'userRisk';
    if (c.insiderRiskLevels != null && flags(c.insiderRiskLevels).size > 0) {
      if (!flags(c.insiderRiskLevels).has(lower(s.cond.insiderRiskLevel ?? 'none'))) return 'insiderRisk';
    }
    const devices = devicesFailure(c.devices, c.deviceStates, s.cond.deviceInfo);
    if (devices) return devices;
    if (c.authenticationFlows != null) {
      const methods = flags(c.authenticationFlows.transferMethods);
      const flow = s.cond.authenticationFlow;
      const given = lower((typeof flow === 'string' ? flow : flow?.transferMethod) ?? 'none');
      if (methods.size > 0 && !methods.has(given)) return 'authenticationFlow';
    }
    return 'notSet';
  }

  function userIncluded(u, s) {
    if (!u) return false;
    const external = s.guestType !== 'none';
    const inUsers = (ids, all) =>
      list(ids).some((x) => eqi(x, s.userId) || (x === 'GuestsOrExternalUsers' && external) || (all && x === 'All'));
    const inGroups = (ids) => list(ids).some((g) => groupHas(g, s.userId));
    const inRoles = (ids) => list(ids).length > 0 && list(ids).some((r) => s.roles().has(lower(r)));
    const excluded =
      inUsers(u.excludeUsers, false) ||
      inGroups(u.excludeGroups) ||
      inRoles(u.excludeRoles) ||
      guestsMatch(u.excludeGuestsOrExternalUsers, s);
    if (excluded) return false;
    return (
      inUsers(u.includeUsers, true) ||
      inGroups(u.includeGroups) ||
      inRoles(u.includeRoles) ||
      guestsMatch(u.includeGuestsOrExternalUsers, s)
    );
  }

  function guestsMatch(g, s) {
    if (!g || s.guestType === 'none') return false;
    if (!flags(g.guestOrExternalUserTypes).has(lower(s.guestType))) return false;
    const tenants = g.externalTenants;
    if (
      !tenants ||
      tenants.membershipKind === 'all' ||
      String(tenants['@odata.type'] ?? '').endsWith('AllExternalTenants')
    )
      return true;
    return s.externalTenantId !== undefined && list(tenants.members).some((t) => eqi(t, s.externalTenantId));
  }

  /** Builds the indexes now (users, roles, the members of every group), not on the first request. */
  function warm() {
    userOf('');
    rolesOf('');
    for (const key of Object.keys(graph)) {
      const group = /^v1\.0\/groups\/([^/]+)\/transitiveMembers$/.exec(key);
      if (group) groupHas(group[1], '');
    }
  }

  return { evaluate, warm };
}

function guestTypeOf(user) {
  if (!user) return 'none';
  const invited =
    user.creationType === 'Invitation' || (user.externalUserState != null && user.externalUserState !== '');
  if (user.userType === 'Guest') return invited ? 'b2bCollaborationGuest' : 'internalGuest';
  return invited ? 'b2bCollaborationMember' : 'none';
}

function servicePrincipalIncluded(apps, id) {
  if (!apps) return false;
  const has = (ids) => list(ids).some((x) => eqi(x, id) || x === 'ServicePrincipalsInMyTenant');
  return has(apps.includeServicePrincipals) && !has(apps.excludeServicePrincipals);
}

/** The failure reason of the target resource (app, user action or authentication context), or undefined. */
function targetFailure(a, ctx) {
  const type = ctx['@odata.type'];
  if (type === '#microsoft.graph.userActionContext') {
    const wanted = USER_ACTIONS[ctx.userAction];
    return list(a?.includeUserActions).some((x) => eqi(x, wanted)) ? undefined : 'userActions';
  }
  if (type === '#microsoft.graph.authContext') {
    const refs = list(a?.includeAuthenticationContextClassReferences);
    return refs.some((x) => eqi(x, ctx.authenticationContextValue)) ? undefined : 'authenticationContext';
  }
  const include = list(a?.includeApplications);
  const exclude = list(a?.excludeApplications);
  const inList = (ids, app) =>
    ids.some((x) => x === 'All' || eqi(x, app) || (APP_GROUPS[x] ?? []).some((member) => eqi(member, app)));
  const filter = a?.applicationFilter;
  const ok = ctx.includeApplications.some((app) => {
    if (!inList(include, app) || inList(exclude, app)) return false;
    // Custom security attributes are unknown here: an include filter can't match, an exclude filter can't exclude.
    return !(filter && filter.mode === 'include');
  });
  return ok ? undefined : 'application';
}

function clientAppIncluded(types, given) {
  const wanted = new Set(list(types));
  if (wanted.size === 0 || wanted.has('all')) return true;
  if (given === undefined || given === null || given === 'all') return false;
  if (wanted.has(given)) return true;
  return given === 'easSupported' && wanted.has('exchangeActiveSync');
}

function platformIncluded(p, given) {
  if (!p) return true;
  const include = list(p.includePlatforms);
  const known = given !== undefined && given !== null && given !== 'all';
  const has = (ids) => known && ids.some((x) => eqi(x, given));
  if (has(list(p.excludePlatforms))) return false;
  return include.includes('all') || has(include);
}

function locationIncluded(l, where) {
  if (!l) return true;
  const has = (ids) =>
    list(ids).some(
      (x) =>
        x !== MFA_TRUSTED_IPS && (x === 'All' || (x === 'AllTrusted' && where.trusted) || where.matched.has(lower(x))),
    );
  if (has(l.excludeLocations)) return false;
  const include = list(l.includeLocations);
  return include.length === 0 || has(include);
}

function levelIncluded(levels, given) {
  const wanted = list(levels);
  return wanted.length === 0 || wanted.some((x) => eqi(x, given ?? 'none'));
}

function devicesFailure(devices, states, info) {
  const device = info && typeof info === 'object' ? info : {};
  const get = (name) => {
    const key = Object.keys(device).find((k) => k.toLowerCase() === name.toLowerCase());
    return key === undefined ? null : device[key];
  };
  const stateExcluded = (list_) =>
    list(list_).some(
      (x) =>
        (eqi(x, 'Compliant') && get('isCompliant') === true) ||
        (eqi(x, 'DomainJoined') && get('trustType') === 'ServerAD'),
    );
  if (states) {
    const inc = list(states.includeStates);
    if (inc.length > 0 && !inc.includes('All')) return 'devices';
    if (stateExcluded(states.excludeStates)) return 'devices';
  }
  if (!devices) return undefined;
  const inc = list(devices.includeDevices ?? devices.includeDeviceStates);
  if (inc.length > 0 && !inc.includes('All')) return 'devices';
  if (stateExcluded(devices.excludeDevices ?? devices.excludeDeviceStates)) return 'devices';
  const filter = devices.deviceFilter;
  if (filter && typeof filter.rule === 'string' && filter.rule.trim()) {
    let matches;
    try {
      matches = evaluateDeviceRule(filter.rule, get);
    } catch {
      return 'invalidCondition';
    }
    if (filter.mode === 'include' && !matches) return 'devices';
    if (filter.mode === 'exclude' && matches) return 'devices';
  }
  return undefined;
}

/**
 * A device filter rule (the subset documented at the top of this file) against a device's attributes.
 * @param {string} rule
 * @param {(name: string) => unknown} get attribute by name (null when unknown)
 */
export function evaluateDeviceRule(rule, get) {
  const tokens = [];
  const re =
    /\s*(?:(\()|(\))|(-[A-Za-z]+)|"((?:[^"\\]|\\.)*)"|(\[[^\]]*\])|(device\.[A-Za-z0-9]+)|(True|False|true|false)|(\S+))\s*/y;
  while (re.lastIndex < rule.length) {
    const m = re.exec(rule);
    if (!m) throw new Error('unreadable rule');
    if (m[8] !== undefined) throw new Error(`unexpected '${m[8]}'`);
    if (m[1]) tokens.push({ t: '(' });
    else if (m[2]) tokens.push({ t: ')' });
    else if (m[3]) tokens.push({ t: 'op', v: m[3].toLowerCase() });
    else if (m[4] !== undefined) tokens.push({ t: 'lit', v: m[4].replace(/\\(.)/g, '$1') });
    else if (m[5]) tokens.push({ t: 'lit', v: [...m[5].matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((x) => x[1]) });
    else if (m[6]) tokens.push({ t: 'attr', v: m[6].slice('device.'.length) });
    else if (m[7]) tokens.push({ t: 'lit', v: m[7].toLowerCase() === 'true' });
  }
  let i = 0;
  const peek = () => tokens[i];
  const orExpr = () => {
    let v = andExpr();
    while (peek()?.t === 'op' && peek().v === '-or') {
      i++;
      const r = andExpr();
      v = v || r;
    }
    return v;
  };
  const andExpr = () => {
    let v = primary();
    while (peek()?.t === 'op' && peek().v === '-and') {
      i++;
      const r = primary();
      v = v && r;
    }
    return v;
  };
  const primary = () => {
    const tok = tokens[i++];
    if (tok?.t === '(') {
      const v = orExpr();
      if (tokens[i++]?.t !== ')') throw new Error('missing )');
      return v;
    }
    if (tok?.t !== 'attr') throw new Error('attribute expected');
    const op = tokens[i++];
    const lit = tokens[i++];
    if (op?.t !== 'op' || lit?.t !== 'lit') throw new Error('comparison expected');
    return compare(get(tok.v), op.v, lit.v);
  };
  const result = orExpr();
  if (i !== tokens.length) throw new Error('trailing tokens');
  return result;
}

function compare(actual, op, expected) {
  const text = (v) =>
    v === null || v === undefined ? null : typeof v === 'boolean' ? String(v) : String(v).toLowerCase();
  const a = text(actual);
  const e = Array.isArray(expected) ? expected.map(text) : text(expected);
  switch (op) {
    case '-eq':
      return a === e;
    case '-ne':
      return a !== e;
    case '-startswith':
      return a !== null && a.startsWith(e);
    case '-notstartswith':
      return a === null || !a.startsWith(e);
    case '-endswith':
      return a !== null && a.endsWith(e);
    case '-notendswith':
      return a === null || !a.endsWith(e);
    case '-contains':
      return a !== null && a.includes(e);
    case '-notcontains':
      return a === null || !a.includes(e);
    case '-in':
      return Array.isArray(e) && a !== null && e.includes(a);
    case '-notin':
      return Array.isArray(e) && (a === null || !e.includes(a));
    default:
      throw new Error(`unsupported operator ${op}`);
  }
}

/** An IPv4 or IPv6 address as { v: 4 | 6, n: bigint }, or undefined. */
export function parseIp(text) {
  if (typeof text !== 'string') return undefined;
  const s = text.trim();
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (v4) {
    const parts = v4.slice(1).map(Number);
    if (parts.some((p) => p > 255)) return undefined;
    return { v: 4, n: parts.reduce((acc, p) => (acc << 8n) | BigInt(p), 0n) };
  }
  if (!/^[0-9a-fA-F:.]+$/.test(s) || !s.includes(':')) return undefined;
  let head = s;
  let tail4 = [];
  const embedded = /^(.*:)(\d{1,3}(?:\.\d{1,3}){3})$/.exec(s);
  if (embedded) {
    const ip4 = parseIp(embedded[2]);
    if (!ip4) return undefined;
    head = embedded[1] + '0:0';
    tail4 = [Number((ip4.n >> 16n) & 0xffffn), Number(ip4.n & 0xffffn)];
  }
  const halves = head.split('::');
  if (halves.length > 2) return undefined;
  const groups = (h) => (h === '' ? [] : h.split(':'));
  const left = groups(halves[0]);
  const right = halves.length === 2 ? groups(halves[1]) : [];
  const missing = 8 - left.length - right.length;
  if ((halves.length === 1 && missing !== 0) || (halves.length === 2 && missing < 1)) return undefined;
  const all = [...left, ...Array(halves.length === 2 ? missing : 0).fill('0'), ...right];
  if (all.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  let n = all.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
  if (tail4.length) n = (n & ~0xffffffffn) | (BigInt(tail4[0]) << 16n) | BigInt(tail4[1]);
  return { v: 6, n };
}

/** Whether an address (from parseIp) is inside a CIDR range ("203.0.113.0/24", "2001:db8::/32"). */
export function inCidr(ip, cidr) {
  if (typeof cidr !== 'string') return false;
  const [base, bitsText] = cidr.split('/');
  const net = parseIp(base);
  if (!net || net.v !== ip.v) return false;
  const width = ip.v === 4 ? 32 : 128;
  const bits = bitsText === undefined ? width : Number(bitsText);
  if (!Number.isInteger(bits) || bits < 0 || bits > width) return false;
  const shift = BigInt(width - bits);
  return ip.n >> shift === net.n >> shift;
}
