/**
 * What the engine models, declared: every Graph property and enum value of Conditional Access policies, named
 * locations, authentication strengths and federation settings that the engine reads, or knows to be irrelevant to
 * MFA. Anything else that is present and non-empty is reported by `unmodelledFields`, and the engine then fails
 * closed on it (docs/evaluation.md, "Fail closed on what is not modelled"): it can make a verdict `unknown` (or leave
 * a `fail` that exists either way), never `pass`.
 *
 * test/core/tenant/model-schema.test.ts walks @microsoft/microsoft-graph-types and its beta counterpart: a property or
 * enum member that is neither declared here nor declared fail-closed breaks the build, not the guarantee.
 */
import { isObject } from './graph-json.js';
import { KNOWN_GUEST_TYPES } from './constants.js';

/** How one Graph property is read. */
export type FieldRule =
  /** A complex type: its declared properties; any other non-empty one is unmodelled. */
  | { kind: 'object'; fields: Record<string, FieldRule>; odataTypes?: readonly string[] }
  /** A collection of complex types. */
  | { kind: 'list'; item: FieldRule }
  /**
   * An enum value, a collection of them, or a flags enum ("a,b"): `values` are modelled; `failClosed` are Graph's
   * members the engine deliberately does not model (each fails closed, with the reason).
   */
  | { kind: 'enum'; values: readonly string[]; failClosed?: Readonly<Record<string, string>> }
  /** Object ids (GUIDs) or one of the keywords; any other string is unmodelled. */
  | { kind: 'ids'; keywords: readonly string[] }
  /** Free text or a scalar the engine reads as it is (names, filter rules, booleans). */
  | { kind: 'value' }
  /** Present in Graph, irrelevant to whether MFA is required; `why` says why. */
  | { kind: 'ignored'; why: string }
  /** Present in Graph, not modelled: any non-empty value fails closed, with `why`. */
  | { kind: 'failClosed'; why: string };

const value: FieldRule = { kind: 'value' };
const metadata: FieldRule = {
  kind: 'ignored',
  why: 'metadata: says nothing about where the policy applies or what it demands',
};
const obj = (fields: Record<string, FieldRule>, odataTypes?: readonly string[]): FieldRule => ({
  kind: 'object',
  fields,
  ...(odataTypes ? { odataTypes } : {}),
});
const ids = (...keywords: string[]): FieldRule => ({ kind: 'ids', keywords });

const UNKNOWN_FUTURE_VALUE =
  "Graph's placeholder for a value newer than the request asked for (or than this version of Graph): it may stand for anything";

const filter = obj({ mode: { kind: 'enum', values: ['include', 'exclude'] }, rule: value });
const DEVICE_STATES: FieldRule = { kind: 'enum', values: ['All', 'Compliant', 'DomainJoined'] };
const RISK: FieldRule = {
  kind: 'enum',
  values: ['none', 'low', 'medium', 'high'],
  failClosed: {
    hidden: 'a risk level Graph shows only to some callers; sign-ins are not evaluated at it as such',
    unknownFutureValue: UNKNOWN_FUTURE_VALUE,
  },
};
const GUEST_TYPES: FieldRule = {
  kind: 'enum',
  // 'none' as Graph may send it for an unset list; the rest are the guest types the engine reads.
  values: ['none', ...KNOWN_GUEST_TYPES],
  failClosed: { unknownFutureValue: UNKNOWN_FUTURE_VALUE },
};
const guests = obj({
  guestOrExternalUserTypes: GUEST_TYPES,
  externalTenants: obj(
    {
      membershipKind: {
        kind: 'enum',
        values: ['all', 'enumerated'],
        failClosed: { unknownFutureValue: UNKNOWN_FUTURE_VALUE },
      },
      members: ids(),
    },
    [
      '#microsoft.graph.conditionalAccessAllExternalTenants',
      '#microsoft.graph.conditionalAccessEnumeratedExternalTenants',
    ],
  ),
});

const AUTHENTICATION_METHOD_MODES = [
  'password',
  'voice',
  'hardwareOath',
  'softwareOath',
  'sms',
  'fido2',
  'windowsHelloForBusiness',
  'microsoftAuthenticatorPush',
  'deviceBasedPush',
  'temporaryAccessPassOneTime',
  'temporaryAccessPassMultiUse',
  'email',
  'x509CertificateSingleFactor',
  'x509CertificateMultiFactor',
  'federatedSingleFactor',
  'federatedMultiFactor',
] as const;

/** An authentication strength, inline in a grant or in the tenant's list. */
export const STRENGTH_MODEL: FieldRule = obj({
  id: value,
  displayName: value,
  description: metadata,
  createdDateTime: metadata,
  modifiedDateTime: metadata,
  policyType: { kind: 'ignored', why: 'built-in or custom: the combinations decide, whoever wrote them' },
  requirementsSatisfied: {
    kind: 'enum',
    values: ['none', 'mfa'],
    failClosed: { unknownFutureValue: UNKNOWN_FUTURE_VALUE },
  },
  // One combination is "a,b" of modes: its members are checked one by one (flags).
  allowedCombinations: {
    kind: 'enum',
    values: AUTHENTICATION_METHOD_MODES,
    failClosed: {
      unknownFutureValue: UNKNOWN_FUTURE_VALUE,
      qrCodePin: 'a QR code with a PIN (beta): whether it counts as one factor or two is not modelled',
    },
  },
  combinationConfigurations: {
    kind: 'ignored',
    why: 'narrows which instances of a method (e.g. FIDO2 key models) satisfy a combination: a combination stays as multi-factor as its modes',
  },
  usage: { kind: 'ignored', why: 'which policies use the strength: a relationship, not a requirement' },
});

/** The grant controls of a policy. */
const GRANT_MODEL: FieldRule = obj({
  operator: { kind: 'enum', values: ['AND', 'OR'] },
  builtInControls: {
    kind: 'enum',
    values: [
      'block',
      'mfa',
      'compliantDevice',
      'domainJoinedDevice',
      'approvedApplication',
      'compliantApplication',
      'passwordChange',
    ],
    failClosed: { unknownFutureValue: UNKNOWN_FUTURE_VALUE },
  },
  customAuthenticationFactors: value,
  termsOfUse: value,
  authenticationStrength: STRENGTH_MODEL,
});

/** The conditions of a policy: each one narrows where the policy applies (they combine with AND). */
const CONDITIONS_MODEL: FieldRule = obj({
  users: obj({
    includeUsers: ids('All', 'None', 'GuestsOrExternalUsers'),
    excludeUsers: ids('GuestsOrExternalUsers'),
    includeGroups: ids(),
    excludeGroups: ids(),
    includeRoles: ids(),
    excludeRoles: ids(),
    includeGuestsOrExternalUsers: guests,
    excludeGuestsOrExternalUsers: guests,
  }),
  applications: obj({
    includeApplications: ids('All', 'None', 'Office365', 'MicrosoftAdminPortals'),
    excludeApplications: ids('Office365', 'MicrosoftAdminPortals'),
    includeUserActions: { kind: 'enum', values: ['urn:user:registersecurityinfo', 'urn:user:registerdevice'] },
    includeAuthenticationContextClassReferences: value,
    applicationFilter: filter,
    globalSecureAccess: { kind: 'failClosed', why: 'Global Secure Access traffic profiles are not modelled' },
    networkAccess: { kind: 'failClosed', why: 'Global Secure Access traffic profiles are not modelled' },
  }),
  clientAppTypes: {
    kind: 'enum',
    values: [
      'all',
      'browser',
      'mobileAppsAndDesktopClients',
      'exchangeActiveSync',
      'easSupported',
      'easUnsupported',
      'other',
    ],
    failClosed: { unknownFutureValue: UNKNOWN_FUTURE_VALUE },
  },
  platforms: obj({
    includePlatforms: {
      kind: 'enum',
      values: ['all', 'android', 'iOS', 'windows', 'windowsPhone', 'macOS', 'linux'],
      failClosed: {
        unknownFutureValue: `${UNKNOWN_FUTURE_VALUE} (Graph sends linux so unless asked for newer members)`,
      },
    },
    excludePlatforms: {
      kind: 'enum',
      values: ['all', 'android', 'iOS', 'windows', 'windowsPhone', 'macOS', 'linux'],
      failClosed: {
        unknownFutureValue: `${UNKNOWN_FUTURE_VALUE} (Graph sends linux so unless asked for newer members)`,
      },
    },
  }),
  locations: obj({ includeLocations: ids('All', 'AllTrusted'), excludeLocations: ids('All', 'AllTrusted') }),
  signInRiskLevels: RISK,
  userRiskLevels: RISK,
  insiderRiskLevels: {
    kind: 'enum',
    values: ['minor', 'moderate', 'elevated'],
    failClosed: { unknownFutureValue: UNKNOWN_FUTURE_VALUE },
  },
  servicePrincipalRiskLevels: {
    kind: 'failClosed',
    why: 'workload identity risk is not modelled (it concerns service principals, not users)',
  },
  clientApplications: {
    kind: 'failClosed',
    why: 'workload identity (service principal and agent) targeting is not modelled',
  },
  devices: obj({
    deviceFilter: filter,
    includeDevices: DEVICE_STATES,
    excludeDevices: DEVICE_STATES,
    includeDeviceStates: DEVICE_STATES,
    excludeDeviceStates: DEVICE_STATES,
  }),
  deviceStates: obj({ includeStates: DEVICE_STATES, excludeStates: DEVICE_STATES }),
  authenticationFlows: obj({
    transferMethods: {
      kind: 'enum',
      values: ['deviceCodeFlow', 'authenticationTransfer'],
      failClosed: {
        none: "Graph's 'none' transfer method is not documented as a sign-in class",
        unknownFutureValue: UNKNOWN_FUTURE_VALUE,
      },
    },
  }),
});

/** A Conditional Access policy, as v1.0 and beta return it. */
export const POLICY_MODEL: FieldRule = obj({
  id: value,
  displayName: value,
  // Only 'enabled' enforces; any other state (known or not) never counts for an account.
  state: { kind: 'enum', values: ['enabled', 'disabled', 'enabledForReportingButNotEnforced'] },
  conditions: CONDITIONS_MODEL,
  grantControls: GRANT_MODEL,
  sessionControls: {
    kind: 'ignored',
    why: 'session controls act after sign-in (frequency, persistence, app restrictions): none waives MFA',
  },
  description: metadata,
  createdDateTime: metadata,
  modifiedDateTime: metadata,
  deletedDateTime: metadata,
  templateId: metadata,
  partialEnablementStrategy: { kind: 'failClosed', why: 'a policy enabled for only part of its scope is not modelled' },
});

/** A named location (ipNamedLocation, countryNamedLocation). */
export const NAMED_LOCATION_MODEL: FieldRule = obj(
  {
    id: value,
    displayName: value,
    createdDateTime: metadata,
    modifiedDateTime: metadata,
    deletedDateTime: metadata,
    isTrusted: value,
    ipRanges: {
      kind: 'list',
      item: obj({ cidrAddress: value }, ['#microsoft.graph.iPv4CidrRange', '#microsoft.graph.iPv6CidrRange']),
    },
    countriesAndRegions: value,
    includeUnknownCountriesAndRegions: value,
    countryLookupMethod: {
      kind: 'enum',
      values: ['clientIpAddress', 'authenticatorAppGps'],
      failClosed: { unknownFutureValue: UNKNOWN_FUTURE_VALUE },
    },
  },
  ['#microsoft.graph.ipNamedLocation', '#microsoft.graph.countryNamedLocation'],
);

/** A federated domain's configuration (internalDomainFederation): only the MFA behaviour matters. */
const federationProtocol: FieldRule = {
  kind: 'ignored',
  why: 'how the IdP is reached and signs: not what Entra does with its MFA',
};
export const FEDERATION_MODEL: FieldRule = obj({
  federatedIdpMfaBehavior: {
    kind: 'enum',
    values: ['acceptIfMfaDoneByFederatedIdp', 'enforceMfaByFederatedIdp', 'rejectMfaByFederatedIdp'],
    failClosed: { unknownFutureValue: UNKNOWN_FUTURE_VALUE },
  },
  id: value,
  displayName: value,
  issuerUri: federationProtocol,
  metadataExchangeUri: federationProtocol,
  passiveSignInUri: federationProtocol,
  activeSignInUri: federationProtocol,
  signOutUri: federationProtocol,
  passwordResetUri: federationProtocol,
  preferredAuthenticationProtocol: federationProtocol,
  signingCertificate: federationProtocol,
  nextSigningCertificate: federationProtocol,
  signingCertificateUpdateStatus: federationProtocol,
  isSignedAuthenticationRequestRequired: federationProtocol,
  promptLoginBehavior: federationProtocol,
  passwordChangeUri: federationProtocol,
  openIdConnectDiscoveryEndpoint: federationProtocol,
  defaultInteractiveAuthenticationMethod: {
    kind: 'failClosed',
    why: 'how users of the domain sign in interactively by default is not modelled (it may change where MFA happens)',
  },
});

/** One thing the engine does not model, found in a Graph object. */
export interface Unmodelled {
  /** Dot-path from the object's root, e.g. `conditions.devices.excludeDeviceStates`. */
  path: string;
  /** The unmodelled value (an enum member, an id keyword), or the whole property when the property is unmodelled. */
  value: unknown;
  why: string;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Whether a string in an id list is written like one of Graph's keywords (All, AllTrusted, Office365, …) rather than
 * an object id: a keyword mfa-audit does not model may stand for any set of users, apps or places.
 */
export function looksLikeKeyword(v: string): boolean {
  return !GUID.test(v) && /^[A-Z][A-Za-z0-9]*$/.test(v);
}

/** Whether a value says nothing: null, '', [], {} or an object whose every property says nothing. */
function isEmptyValue(v: unknown): boolean {
  if (v === null || v === undefined || v === '') return true;
  if (Array.isArray(v)) return v.length === 0;
  if (isObject(v)) return Object.entries(v).every(([k, x]) => k.includes('@odata.') || isEmptyValue(x));
  return false;
}

function members(v: unknown): unknown[] {
  if (typeof v === 'string')
    return v
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s.length > 0);
  if (Array.isArray(v))
    return (v as unknown[]).flatMap((x) => (typeof x === 'string' && x.includes(',') ? members(x) : [x]));
  return [v];
}

function walk(v: unknown, rule: FieldRule, path: string, out: Unmodelled[]): void {
  if (v === null || v === undefined) return;
  switch (rule.kind) {
    case 'ignored':
    case 'value':
      return;
    case 'failClosed':
      if (!isEmptyValue(v)) out.push({ path, value: v, why: rule.why });
      return;
    case 'list':
      if (!Array.isArray(v)) {
        if (!isEmptyValue(v)) out.push({ path, value: v, why: 'not a collection, as Graph sends it' });
        return;
      }
      v.forEach((item, i) => walk(item, rule.item, `${path}[${i}]`, out));
      return;
    case 'enum':
      for (const m of members(v)) {
        if (typeof m === 'string' && rule.values.includes(m)) continue;
        const why =
          typeof m === 'string' && rule.failClosed && Object.hasOwn(rule.failClosed, m)
            ? rule.failClosed[m]!
            : 'a value mfa-audit does not model';
        out.push({ path, value: m, why });
      }
      return;
    case 'ids':
      for (const m of Array.isArray(v) ? v : [v]) {
        if (typeof m === 'string' && (!looksLikeKeyword(m) || rule.keywords.includes(m))) continue;
        out.push({ path, value: m, why: 'neither an object id nor a keyword mfa-audit models' });
      }
      return;
    case 'object': {
      if (!isObject(v)) {
        out.push({ path, value: v, why: 'not an object, as Graph sends it' });
        return;
      }
      for (const [key, x] of Object.entries(v)) {
        const at = path ? `${path}.${key}` : key;
        if (key === '@odata.type') {
          if (rule.odataTypes && !rule.odataTypes.includes(String(x)))
            out.push({ path: at, value: x, why: 'a type mfa-audit does not model' });
          continue;
        }
        // Annotations (@odata.context, property@odata.type …) describe the payload, not the policy.
        if (key.includes('@')) continue;
        const field = Object.hasOwn(rule.fields, key) ? rule.fields[key] : undefined;
        if (field) walk(x, field, at, out);
        else if (!isEmptyValue(x)) out.push({ path: at, value: x, why: 'a property mfa-audit does not model' });
      }
      return;
    }
  }
}

/** Every present, non-empty property or value of `raw` that `rule` does not model. */
export function unmodelledFields(raw: unknown, rule: FieldRule, path = ''): Unmodelled[] {
  const out: Unmodelled[] = [];
  walk(raw, rule, path, out);
  return out;
}

/** One unmodelled thing in words, for reasons. */
export function describeUnmodelled(u: Unmodelled): string {
  const shown =
    typeof u.value === 'string' ? `'${u.value}'` : (JSON.stringify(u.value)?.slice(0, 80) ?? String(u.value));
  return `${u.path} is ${shown}: ${u.why}`;
}
