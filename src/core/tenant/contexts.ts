/**
 * Sign-in contexts (evaluation.md §4). Every condition a policy can set is a dimension; each dimension is cut
 * into atoms (classes of concrete values) by the values that some enabled policy names, so that every policy
 * treats all sign-ins of one atom alike. A context is one atom per dimension; together they cover every
 * possible sign-in (exhaustive by construction). Atoms whose existence mfa-audit cannot confirm (an app that may
 * or may not be in Office 365, overlapping named locations of different kinds, the MFA service's trusted IPs)
 * are marked `uncertain`: a gap found only there makes an account `unknown`, never `pass` nor `fail`.
 */
import type { Atom, Dimension } from './dimension.js';
import { cond, list, policiesMatch, sub } from './dimension.js';
import type { Directory } from './directory.js';
import { flags, isObject, str, strings } from './graph-json.js';
import { locationDimension } from './locations.js';
import type { Policy } from './policy.js';
import { doubtOf } from './policy.js';
import { looksLikeKeyword } from './model.js';
import type {
  AuthenticationFlow,
  ClientAppType,
  DevicePlatform,
  InsiderRiskLevel,
  RiskLevel,
  SignInExample,
} from './types.js';
import {
  ADMIN_PORTAL_APP_IDS,
  MICROSOFT_APP_OWNER_TENANTS,
  NON_GROUPED_APP_IDS,
  OFFICE365_APP_IDS,
} from './constants.js';
import { GRAPH_KEYS } from '../snapshot.js';

/** Client atoms: Exchange ActiveSync splits by whether the device platform is one EAS policies call supported. */
const CLIENT_ATOMS: { client: ClientAppType; easSupported?: boolean }[] = [
  { client: 'browser' },
  { client: 'mobileAppsAndDesktopClients' },
  { client: 'exchangeActiveSync', easSupported: true },
  { client: 'exchangeActiveSync', easSupported: false },
  { client: 'other' },
];
const PLATFORMS: DevicePlatform[] = ['windows', 'macOS', 'iOS', 'android', 'linux', 'windowsPhone', 'unknown'];
const RISKS: RiskLevel[] = ['none', 'low', 'medium', 'high'];
const INSIDER_RISKS: InsiderRiskLevel[] = ['none', 'minor', 'moderate', 'elevated'];
const FLOWS: AuthenticationFlow[] = ['none', 'deviceCodeFlow', 'authenticationTransfer'];

const CLIENT_LABEL: Record<ClientAppType, string> = {
  browser: 'browser',
  mobileAppsAndDesktopClients: 'mobile app or desktop client',
  exchangeActiveSync: 'Exchange ActiveSync (legacy authentication)',
  other: 'other legacy client (IMAP, POP, SMTP…)',
};

// ---------- application ----------

interface AppAtomData {
  appId: string | null;
  office365: boolean;
  adminPortal: boolean;
  filters: string[];
}

function appFilter(p: Policy): { mode: string; rule: string } | undefined {
  const f = sub(p, 'applications')?.applicationFilter;
  if (!isObject(f)) return undefined;
  const rule = str(f.rule);
  return rule ? { mode: str(f.mode) ?? 'include', rule } : undefined;
}

function appMatches(p: Policy, a: AppAtomData): boolean {
  const apps = sub(p, 'applications');
  const include = strings(apps?.includeApplications);
  const exclude = strings(apps?.excludeApplications);
  const filter = appFilter(p);
  let included =
    include.includes('All') ||
    (a.appId !== null && include.includes(a.appId)) ||
    (a.office365 && include.includes('Office365')) ||
    (a.adminPortal && include.includes('MicrosoftAdminPortals'));
  if (filter && filter.mode === 'include' && a.filters.includes(filter.rule)) included = true;
  if (!included) return false;
  const excluded =
    (a.appId !== null && exclude.includes(a.appId)) ||
    (a.office365 && exclude.includes('Office365')) ||
    (a.adminPortal && exclude.includes('MicrosoftAdminPortals')) ||
    (filter !== undefined && filter.mode === 'exclude' && a.filters.includes(filter.rule));
  return !excluded;
}

function appName(dir: Directory, id: string): string {
  const name = dir.servicePrincipals?.get(id.toLowerCase())?.displayName;
  return name ? `'${name}' (${id})` : id;
}

function subsets<T>(items: T[]): T[][] {
  let out: T[][] = [[]];
  for (const item of items) out = out.concat(out.map((s) => [...s, item]));
  return out;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Whether an app is surely in neither the Office 365 nor the Microsoft Admin Portals group: its service principal
 * is owned outside Microsoft's first-party tenants (both groups hold Microsoft's own apps only).
 */
function ownedOutsideMicrosoft(dir: Directory, appId: string): boolean {
  const sp = dir.servicePrincipals?.get(appId.toLowerCase());
  const owner = sp?.appOwnerOrganizationId?.toLowerCase();
  return owner !== undefined && GUID.test(owner) && !MICROSOFT_APP_OWNER_TENANTS.has(owner);
}

function applicationDimension(dir: Directory, policies: Policy[]): { dim: Dimension; overflow?: string } {
  const named = new Set<string>();
  let o365 = false;
  let admin = false;
  const filterRules = new Set<string>();
  for (const p of policies) {
    const apps = sub(p, 'applications');
    for (const v of [...strings(apps?.includeApplications), ...strings(apps?.excludeApplications)]) {
      if (v === 'Office365') o365 = true;
      else if (v === 'MicrosoftAdminPortals') admin = true;
      // Keywords mfa-audit does not model are doubts of their policy (model.ts), not apps.
      else if (!looksLikeKeyword(v)) named.add(v);
    }
    const f = appFilter(p);
    if (f) filterRules.add(f.rule);
  }
  const base: { data: Omit<AppAtomData, 'filters'>; label: string; uncertain?: string }[] = [];
  for (const id of [...named].sort()) {
    if (OFFICE365_APP_IDS.has(id))
      base.push({ data: { appId: id, office365: true, adminPortal: false }, label: `app ${id} (part of Office 365)` });
    else if (ADMIN_PORTAL_APP_IDS.has(id))
      base.push({
        data: { appId: id, office365: false, adminPortal: true },
        label: `app ${id} (a Microsoft admin portal)`,
      });
    else if (NON_GROUPED_APP_IDS.has(id) || (!o365 && !admin) || ownedOutsideMicrosoft(dir, id)) {
      base.push({ data: { appId: id, office365: false, adminPortal: false }, label: `app ${appName(dir, id)}` });
    } else {
      for (const inO365 of o365 ? [false, true] : [false]) {
        for (const inAdmin of admin ? [false, true] : [false]) {
          const groups = [inO365 ? 'in Office 365' : '', inAdmin ? 'a Microsoft admin portal' : ''].filter(Boolean);
          base.push({
            data: { appId: id, office365: inO365, adminPortal: inAdmin },
            label: `app ${id}${groups.length ? ` (if it is ${groups.join(' and ')})` : ' (if it is in no app group)'}`,
            uncertain: dir.servicePrincipals
              ? `whether app ${appName(dir, id)} belongs to the Office 365 or Microsoft Admin Portals app groups is not known to mfa-audit: ${dir.servicePrincipals.has(id.toLowerCase()) ? "it is one of Microsoft's apps" : 'it has no service principal in the tenant'} (check Microsoft's list of the apps in those groups, or name the app in the policies)`
              : `whether app ${id} belongs to the Office 365 or Microsoft Admin Portals app groups is not known to mfa-audit (collect the service principals of the apps policies name, ${GRAPH_KEYS.servicePrincipals}, needs Application.Read.All: an app owned outside Microsoft is in neither group; or name the app in the policies)`,
          });
        }
      }
    }
  }
  if (o365) base.push({ data: { appId: null, office365: true, adminPortal: false }, label: 'Office 365' });
  if (admin)
    base.push({ data: { appId: null, office365: false, adminPortal: true }, label: 'the Microsoft admin portals' });
  if (o365 && admin) {
    base.push({
      data: { appId: null, office365: true, adminPortal: true },
      label: 'an app both in Office 365 and the Microsoft admin portals',
      uncertain:
        "whether an app belongs to both Office 365 and the Microsoft Admin Portals groups is not known to mfa-audit (check Microsoft's list of the apps in those groups)",
    });
  }
  base.push({
    data: { appId: null, office365: false, adminPortal: false },
    label: named.size || o365 || admin ? 'any other app' : 'any app',
  });
  const atoms: Atom[] = [];
  const datas: AppAtomData[] = [];
  // Application filters interact with the app lists (include mode adds apps), so they share this dimension:
  // every subset of rules an app may match. Beyond a few rules that is too many: the account becomes unknown.
  const MAX_APP_FILTERS = 6;
  const overflow =
    filterRules.size > MAX_APP_FILTERS ? `more than ${MAX_APP_FILTERS} different application filters` : undefined;
  const filterSets = overflow ? [[]] : subsets([...filterRules].sort());
  for (const b of base) {
    for (const fs of filterSets) {
      const data = { ...b.data, filters: fs };
      datas.push(data);
      const fLabel = filterRules.size
        ? fs.length
          ? ` matching application filter ${list(fs.map((r) => `'${r}'`))}`
          : ' matching no application filter'
        : '';
      atoms.push({
        label: b.label + fLabel,
        uncertain: b.uncertain,
        patch: {
          application: { appId: data.appId, office365: data.office365, adminPortal: data.adminPortal },
          applicationFilterMatches: fs,
        },
      });
    }
  }
  const dim: Dimension = {
    name: 'application',
    anyLabel: 'any app',
    atoms,
    match: datas.map((d) => policiesMatch(policies, (p) => appMatches(p, d))),
    why: (p, atom) => {
      const apps = sub(p, 'applications');
      const include = strings(apps?.includeApplications);
      const exclude = strings(apps?.excludeApplications);
      if (include.length === 0 || (include.length === 1 && include[0] === 'None')) {
        return 'targets user actions or authentication contexts, not sign-ins to apps';
      }
      const a = atom.patch.application!;
      if (a.appId && exclude.includes(a.appId)) return `excludes app ${a.appId}`;
      if (a.office365 && exclude.includes('Office365')) return 'excludes Office365';
      if (a.adminPortal && exclude.includes('MicrosoftAdminPortals')) return 'excludes MicrosoftAdminPortals';
      const f = appFilter(p);
      if (f?.mode === 'exclude') return `excludes apps matching filter '${f.rule}'`;
      return `applies only to ${list(include)}`;
    },
  };
  if (overflow) dim.incomplete = { reason: overflow, affects: (p) => appFilter(p) !== undefined };
  return { dim, overflow };
}

// ---------- client app type ----------

/**
 * Whether a policy's client app types include a client atom. `easSupported` is Exchange ActiveSync on the platforms
 * EAS policies support only, `easUnsupported` the rest; `exchangeActiveSync` both. Values mfa-audit does not model
 * include nothing here and are doubts of the policy (model.ts).
 */
function clientMatches(p: Policy, atom: (typeof CLIENT_ATOMS)[number]): boolean {
  const raw = strings(cond(p).clientAppTypes);
  if (raw.length === 0 || raw.includes('all')) return true;
  if (atom.client !== 'exchangeActiveSync') return raw.includes(atom.client);
  return raw.includes('exchangeActiveSync') || raw.includes(atom.easSupported ? 'easSupported' : 'easUnsupported');
}

function clientDimension(policies: Policy[]): Dimension {
  return {
    name: 'clientAppType',
    anyLabel: 'any client app',
    atoms: CLIENT_ATOMS.map((a) => ({
      label:
        a.easSupported === undefined
          ? CLIENT_LABEL[a.client]
          : `${CLIENT_LABEL[a.client]} on a platform EAS policies ${a.easSupported ? 'support' : 'do not support'}`,
      patch: {
        clientAppType: a.client,
        ...(a.easSupported === undefined ? {} : { easSupportedPlatform: a.easSupported }),
      },
    })),
    match: CLIENT_ATOMS.map((a) => policiesMatch(policies, (p) => clientMatches(p, a))),
    why: (p) => `applies only to client app types ${list(strings(cond(p).clientAppTypes))}`,
  };
}

// ---------- platform ----------

function platformMatches(p: Policy, platform: DevicePlatform): boolean {
  const c = sub(p, 'platforms');
  if (!c) return true;
  const include = strings(c.includePlatforms);
  const exclude = strings(c.excludePlatforms);
  const included = include.length === 0 || include.includes('all') || include.includes(platform);
  if (!included) return false;
  // Excluded values mfa-audit does not model (unknownFutureValue may stand for linux) are doubts (model.ts).
  return !(exclude.includes('all') || exclude.includes(platform));
}

function platformDimension(policies: Policy[]): Dimension {
  return {
    name: 'platform',
    anyLabel: 'any platform',
    atoms: PLATFORMS.map((pl) => ({
      label: pl === 'unknown' ? 'an unrecognised platform' : pl,
      patch: { platform: pl },
    })),
    match: PLATFORMS.map((pl) => policiesMatch(policies, (p) => platformMatches(p, pl))),
    why: (p, atom) => {
      const c = sub(p, 'platforms');
      const exclude = strings(c?.excludePlatforms);
      if (exclude.includes(atom.patch.platform!) || exclude.includes('all'))
        return `excludes platform ${atom.patch.platform}`;
      return `applies only to platforms ${list(strings(c?.includePlatforms))}`;
    },
  };
}

// ---------- risk levels ----------

function riskDimension(
  policies: Policy[],
  name: 'signInRisk' | 'userRisk' | 'insiderRisk',
  field: string,
  levels: readonly string[],
  words: string,
): Dimension {
  const levelsOf = (p: Policy): string[] => (name === 'insiderRisk' ? flags(cond(p)[field]) : strings(cond(p)[field]));
  return {
    name,
    anyLabel: `any ${words}`,
    atoms: levels.map((l) => ({ label: l === 'none' ? `no ${words}` : `${words} ${l}`, patch: { [name]: l } })),
    match: levels.map((l) =>
      policiesMatch(policies, (p) => {
        const v = levelsOf(p);
        return v.length === 0 || v.includes(l);
      }),
    ),
    why: (p) => `applies only at ${words} ${list(levelsOf(p))}`,
  };
}

// ---------- device state and device filters ----------

interface DeviceStateData {
  compliant: boolean;
  domainJoined: boolean;
}

function deviceFilter(p: Policy): { mode: string; rule: string } | undefined {
  const f = sub(p, 'devices')?.deviceFilter;
  if (!isObject(f)) return undefined;
  const rule = str(f.rule);
  return rule ? { mode: str(f.mode) ?? 'include', rule } : undefined;
}

/**
 * The deprecated device-state condition, in each shape Graph has used: `devices.includeDevices/excludeDevices`,
 * beta's `devices.includeDeviceStates/excludeDeviceStates`, and the older `deviceStates.includeStates/excludeStates`.
 * Values: All, Compliant (marked compliant by Intune), DomainJoined (hybrid Microsoft Entra joined).
 */
function deviceStateLists(p: Policy): { include: string[]; exclude: string[] }[] {
  const devices = sub(p, 'devices');
  const states = sub(p, 'deviceStates');
  return [
    { include: strings(devices?.includeDevices), exclude: strings(devices?.excludeDevices) },
    { include: strings(devices?.includeDeviceStates), exclude: strings(devices?.excludeDeviceStates) },
    { include: strings(states?.includeStates), exclude: strings(states?.excludeStates) },
  ];
}

function deviceStateMatches(p: Policy, d: DeviceStateData): boolean {
  return deviceStateLists(p).every(({ include, exclude }) => {
    if (include.length > 0 && !include.includes('All')) {
      const inc =
        (d.compliant && include.includes('Compliant')) || (d.domainJoined && include.includes('DomainJoined'));
      if (!inc) return false;
    }
    return !((d.compliant && exclude.includes('Compliant')) || (d.domainJoined && exclude.includes('DomainJoined')));
  });
}

function deviceStateDimension(policies: Policy[]): Dimension {
  const states = policies.some((p) => deviceStateLists(p).some((l) => l.include.length > 0 || l.exclude.length > 0));
  const options: DeviceStateData[] = states
    ? [
        { compliant: false, domainJoined: false },
        { compliant: true, domainJoined: false },
        { compliant: false, domainJoined: true },
        { compliant: true, domainJoined: true },
      ]
    : [{ compliant: false, domainJoined: false }];
  return {
    name: 'deviceState',
    anyLabel: 'any device state',
    atoms: options.map((o) => ({
      label:
        o.compliant || o.domainJoined
          ? [o.compliant ? 'compliant' : '', o.domainJoined ? 'hybrid-joined' : ''].filter(Boolean).join(' and ') +
            ' device'
          : 'unmanaged device',
      patch: { device: o },
    })),
    match: options.map((o) => policiesMatch(policies, (p) => deviceStateMatches(p, o))),
    why: (p, atom) => {
      const d = atom.patch.device!;
      const excluded = deviceStateLists(p).some(
        (l) =>
          (d.compliant && l.exclude.includes('Compliant')) || (d.domainJoined && l.exclude.includes('DomainJoined')),
      );
      return excluded
        ? `excludes ${atom.label}s (device state condition)`
        : `applies only to some device states (device state condition), not a ${atom.label}`;
    },
  };
}

/**
 * One binary dimension per distinct device filter rule: mfa-audit cannot evaluate a rule against devices it
 * cannot see, so it considers a device that matches and one that does not (a policy in include mode covers
 * only the first, one in exclude mode only the second).
 */
function deviceFilterDimensions(policies: Policy[]): Dimension[] {
  const rules = [
    ...new Set(
      policies
        .map(deviceFilter)
        .filter((f) => f !== undefined)
        .map((f) => f.rule),
    ),
  ].sort();
  return rules.map((rule) => ({
    name: `deviceFilter:${rule}`,
    anyLabel: 'any device',
    atoms: [
      { label: `a device not matching filter '${rule}'`, patch: { deviceFilterMatches: [] } },
      { label: `a device matching filter '${rule}'`, patch: { deviceFilterMatches: [rule] } },
    ],
    match: [false, true].map((matches) =>
      policiesMatch(policies, (p) => {
        const f = deviceFilter(p);
        if (!f || f.rule !== rule) return true;
        return f.mode === 'exclude' ? !matches : matches;
      }),
    ),
    why: (p) => {
      const f = deviceFilter(p)!;
      return f.mode === 'exclude'
        ? `excludes devices matching filter '${f.rule}'`
        : `applies only to devices matching filter '${f.rule}'`;
    },
  }));
}

// ---------- authentication flows ----------

function flowDimension(policies: Policy[]): Dimension {
  const methodsOf = (p: Policy): string[] => flags(sub(p, 'authenticationFlows')?.transferMethods);
  return {
    name: 'authenticationFlow',
    anyLabel: 'any authentication flow',
    atoms: FLOWS.map((f) => ({
      label:
        f === 'none'
          ? 'no device code or transfer flow'
          : f === 'deviceCodeFlow'
            ? 'device code flow'
            : 'authentication transfer',
      patch: { authenticationFlow: f },
    })),
    match: FLOWS.map((f) =>
      policiesMatch(policies, (p) => {
        const m = methodsOf(p);
        return m.length === 0 || (f !== 'none' && m.includes(f));
      }),
    ),
    why: (p) => `applies only to authentication flows ${list(methodsOf(p))}`,
  };
}

export interface ContextSpace {
  dims: Dimension[];
  /** notMatch[dim][atom]: bit `policy.index` set when the policy surely does not apply in that atom. */
  notMatch: bigint[][];
  /** notSure[dim][atom]: bit set when the policy may not apply there (a doubt; equal to notMatch without doubts). */
  notSure: bigint[][];
}

/**
 * Applies the policies' doubts (values and properties mfa-audit does not model, policy.ts) to a dimension: a
 * `widen` doubt lets the policy match every atom (it may apply there), a `narrow` one makes no match sure.
 */
function withDoubts(dim: Dimension, policies: Policy[]): Dimension {
  let sure: boolean[][] | undefined;
  for (const p of policies) {
    const d = doubtOf(p, dim.name);
    const widen = d.widen !== undefined || doubtOf(p, 'policy').widen !== undefined;
    if (!d.narrow && !widen) continue;
    // What the modelled values say is what is sure (taken before any widening).
    sure ??= dim.match.map((row) => [...row]);
    for (let a = 0; a < dim.match.length; a++) {
      if (d.narrow) sure[a]![p.index] = false;
      if (widen) dim.match[a]![p.index] = true;
    }
  }
  return sure ? { ...dim, sure } : dim;
}

/** The dimensions and their atoms, cut by every enabled policy that targets users. */
export function buildContextSpace(dir: Directory, policies: Policy[]): ContextSpace {
  const loc = locationDimension(dir, policies);
  const app = applicationDimension(dir, policies);
  const modelled: Dimension[] = [
    app.dim,
    clientDimension(policies),
    loc.dim,
    platformDimension(policies),
    riskDimension(policies, 'signInRisk', 'signInRiskLevels', RISKS, 'sign-in risk'),
    riskDimension(policies, 'userRisk', 'userRiskLevels', RISKS, 'user risk'),
    riskDimension(policies, 'insiderRisk', 'insiderRiskLevels', INSIDER_RISKS, 'insider risk'),
    deviceStateDimension(policies),
    ...deviceFilterDimensions(policies),
    flowDimension(policies),
  ];
  const dims = modelled.map((d) => withDoubts(d, policies));
  const bits = (rows: boolean[][]) =>
    rows.map((row) => {
      let m = 0n;
      for (const p of policies) if (!row[p.index]) m |= 1n << BigInt(p.index);
      return m;
    });
  const notMatch = dims.map((d) => bits(d.match));
  const notSure = dims.map((d, di) => (d.sure ? bits(d.sure) : notMatch[di]!));
  return { dims, notMatch, notSure };
}

/** The concrete sign-in a context stands for (each atom's patch over neutral defaults). */
export function exampleOf(atoms: Atom[]): SignInExample {
  const base: SignInExample = {
    application: { appId: null, office365: false, adminPortal: false },
    clientAppType: 'browser',
    platform: 'windows',
    locations: [],
    trustedLocation: false,
    signInRisk: 'none',
    userRisk: 'none',
    insiderRisk: 'none',
    deviceFilterMatches: [],
    applicationFilterMatches: [],
    device: { compliant: false, domainJoined: false },
    authenticationFlow: 'none',
  };
  const example = Object.assign(base, ...atoms.map((a) => a.patch)) as SignInExample;
  // Each device filter is its own dimension: the rules the device matches add up.
  example.deviceFilterMatches = atoms.flatMap((a) => a.patch.deviceFilterMatches ?? []).sort();
  return example;
}
