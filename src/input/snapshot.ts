/**
 * Reading and validating a snapshot file: JSON of a Snapshot (src/core/snapshot.ts), as `tenant --save-snapshot`
 * writes it.
 *
 * Validation is strict about types (a string where a string must be) and lenient about values (Graph adds enum
 * members over time; the engine never counts an unknown value as MFA). `null` where Graph returns arrays is
 * accepted: inside objects it means "none" (the engine reads it as empty); as the whole value of a snapshot key
 * it means "not collected" (the key is dropped and the reason recorded in `collectionErrors`). Only `v1.0/users`
 * is required. Large collections (users, group members, registration details) are checked by a hand-written loop
 * instead of zod, so a 100 MB snapshot validates in well under a second and no error objects are built for
 * valid input.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { Snapshot } from '../core/snapshot.js';
import { GRAPH_KEYS, SNAPSHOT_FORMAT } from '../core/snapshot.js';
import { InputError } from '../errors.js';
import { describeJsonSyntaxError } from './json-file.js';

type PathPart = string | number;

/**
 * Not Graph data: the What If budgets the collection planned with (`{ spotChecks, maxGapRequests }`), so an
 * offline audit of the snapshot plans the same requests (and finds every answer) without being told them again.
 */
export const WHAT_IF_PLAN_KEY = 'beta/identity/conditionalAccess/evaluate/$plan';

/** `graph["v1.0/users"][3].id` */
function formatPath(path: readonly PathPart[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(part)) out += out === '' ? part : `.${part}`;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out || '(top level)';
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

class Invalid extends Error {
  constructor(
    readonly path: PathPart[],
    readonly problem: string,
  ) {
    super(problem);
  }
}

const strings = z.array(z.string()).nullish();
const flagsOrList = z.union([z.string(), z.array(z.string())]).nullish();
const filter = z.looseObject({ mode: z.string().nullish(), rule: z.string().nullish() }).nullish();
const guests = z
  .looseObject({
    guestOrExternalUserTypes: flagsOrList,
    externalTenants: z.looseObject({ membershipKind: z.string().nullish(), members: strings }).nullish(),
  })
  .nullish();

const policySchema = z.looseObject({
  id: z.string(),
  displayName: z.string().nullish(),
  state: z.string(),
  conditions: z
    .looseObject({
      users: z
        .looseObject({
          includeUsers: strings,
          excludeUsers: strings,
          includeGroups: strings,
          excludeGroups: strings,
          includeRoles: strings,
          excludeRoles: strings,
          includeGuestsOrExternalUsers: guests,
          excludeGuestsOrExternalUsers: guests,
        })
        .nullish(),
      applications: z
        .looseObject({
          includeApplications: strings,
          excludeApplications: strings,
          includeUserActions: strings,
          includeAuthenticationContextClassReferences: strings,
          applicationFilter: filter,
        })
        .nullish(),
      clientAppTypes: strings,
      platforms: z.looseObject({ includePlatforms: strings, excludePlatforms: strings }).nullish(),
      locations: z.looseObject({ includeLocations: strings, excludeLocations: strings }).nullish(),
      signInRiskLevels: strings,
      userRiskLevels: strings,
      insiderRiskLevels: flagsOrList,
      devices: z.looseObject({ includeDevices: strings, excludeDevices: strings, deviceFilter: filter }).nullish(),
      authenticationFlows: z.looseObject({ transferMethods: flagsOrList }).nullish(),
    })
    .nullish(),
  grantControls: z
    .looseObject({
      operator: z.string().nullish(),
      builtInControls: strings,
      customAuthenticationFactors: strings,
      termsOfUse: strings,
      authenticationStrength: z.looseObject({ id: z.string().nullish(), allowedCombinations: strings }).nullish(),
    })
    .nullish(),
});

/** Role assignments and role eligibilities (PIM): who holds, or can activate, which role where. */
const roleAssignmentSchema = z.looseObject({
  principalId: z.string(),
  roleDefinitionId: z.string(),
  directoryScopeId: z.string().nullish(),
  principal: z.looseObject({}).nullish(),
});

const KEY_SCHEMAS: Record<string, z.ZodType> = {
  [GRAPH_KEYS.securityDefaults]: z.looseObject({ isEnabled: z.boolean().nullish() }),
  [GRAPH_KEYS.conditionalAccessPolicies]: z.array(policySchema),
  // Beta adds conditions (device states and later ones): the known fields have the same types as in v1.0.
  [GRAPH_KEYS.conditionalAccessPoliciesBeta]: z.array(policySchema),
  [GRAPH_KEYS.servicePrincipals]: z.array(
    z.looseObject({
      id: z.string(),
      appId: z.string(),
      displayName: z.string().nullish(),
      appOwnerOrganizationId: z.string().nullish(),
    }),
  ),
  [GRAPH_KEYS.namedLocations]: z.array(
    z.looseObject({
      id: z.string(),
      displayName: z.string().nullish(),
      isTrusted: z.boolean().nullish(),
      ipRanges: z.array(z.looseObject({ cidrAddress: z.string().nullish() })).nullish(),
      countriesAndRegions: strings,
      includeUnknownCountriesAndRegions: z.boolean().nullish(),
      countryLookupMethod: z.string().nullish(),
    }),
  ),
  [GRAPH_KEYS.authenticationStrengthPolicies]: z.array(
    z.looseObject({ id: z.string(), displayName: z.string().nullish(), allowedCombinations: strings }),
  ),
  [GRAPH_KEYS.roleAssignments]: z.array(roleAssignmentSchema),
  [GRAPH_KEYS.roleEligibility]: z.array(roleAssignmentSchema),
  [GRAPH_KEYS.domains]: z.array(z.looseObject({ id: z.string(), authenticationType: z.string().nullish() })),
  [GRAPH_KEYS.crossTenantDefault]: z.looseObject({
    inboundTrust: z.looseObject({ isMfaAccepted: z.boolean().nullish() }).nullish(),
  }),
  'v1.0/groups': z.array(z.looseObject({ id: z.string(), displayName: z.string().nullish() })),
  [GRAPH_KEYS.conditionalAccessEvaluate]: z.array(
    z.looseObject({ request: z.looseObject({}), response: z.looseObject({}) }),
  ),
  [WHAT_IF_PLAN_KEY]: z.looseObject({
    spotChecks: z.number().int().min(0).optional(),
    maxGapRequests: z.number().int().min(0).optional(),
  }),
};

/** `$window` of the sign-ins, checked by hand: it has one entry per user who signed in. */
function checkSignInWindow(value: unknown, path: PathPart[]): void {
  if (!isPlainObject(value)) throw new Invalid(path, `expected object, received ${describe(value)}`);
  for (const field of ['from', 'to'] as const) {
    if (typeof value[field] !== 'string')
      throw new Invalid([...path, field], `expected string, received ${describe(value[field])}`);
  }
  if (value.truncated !== undefined && typeof value.truncated !== 'boolean') {
    throw new Invalid([...path, 'truncated'], `expected boolean, received ${describe(value.truncated)}`);
  }
  if (value.users === undefined || value.users === null) return;
  if (!isPlainObject(value.users))
    throw new Invalid([...path, 'users'], `expected object, received ${describe(value.users)}`);
  for (const [id, counts] of Object.entries(value.users)) {
    if (!isPlainObject(counts))
      throw new Invalid([...path, 'users', id], `expected object, received ${describe(counts)}`);
    for (const field of ['mfa', 'mfaByClaim', 'singleFactor'] as const) {
      const n = counts[field];
      if (n !== undefined && !(typeof n === 'number' && Number.isInteger(n) && n >= 0)) {
        throw new Invalid(
          [...path, 'users', id, field],
          `expected a count (an integer ≥ 0), received ${JSON.stringify(n) ?? describe(n)}`,
        );
      }
    }
  }
}

const SIGN_IN_STRINGS: Record<string, FieldType> = {
  authenticationRequirement: 'string',
  appId: 'string',
  appDisplayName: 'string',
  clientAppUsed: 'string',
  ipAddress: 'string',
};

function checkPerUser(value: unknown, path: PathPart[]): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new Invalid(path, `expected object, received ${describe(value)}`);
  const state = (value as Record<string, unknown>).perUserMfaState;
  if (state !== undefined && state !== null && typeof state !== 'string') {
    throw new Invalid([...path, 'perUserMfaState'], `expected string, received ${describe(state)}`);
  }
}
const federationSchema = z.union([
  z.array(z.looseObject({ federatedIdpMfaBehavior: z.string().nullish() })),
  z.looseObject({ federatedIdpMfaBehavior: z.string().nullish() }),
]);

const PER_USER_KEY = /^beta\/users\/[^/]+\/authentication\/requirements$/;
const MEMBERS_KEY = /^v1\.0\/groups\/[^/]+\/transitiveMembers$/;
const FEDERATION_KEY = /^v1\.0\/domains\/[^/]+\/federationConfiguration$/;

function zodCheck(schema: z.ZodType, value: unknown, path: PathPart[]): void {
  const result = schema.safeParse(value);
  if (result.success) return;
  const issue = result.error.issues[0]!;
  let problem = issue.message.replace(/^Invalid input: /, '');
  if (/received undefined$/.test(problem)) problem = `missing (${problem.replace(/, received undefined$/, '')})`;
  throw new Invalid([...path, ...(issue.path as PathPart[])], problem);
}

type FieldType = 'string' | 'boolean';

/** The fast path for large collections: each item an object, fields of the given types (or null/absent). */
function checkItems(
  value: unknown,
  path: PathPart[],
  required: Record<string, FieldType>,
  optional: Record<string, FieldType>,
): void {
  if (!Array.isArray(value)) throw new Invalid(path, `expected array, received ${describe(value)}`);
  const req = Object.entries(required);
  const opt = Object.entries(optional);
  for (let i = 0; i < value.length; i++) {
    const item: unknown = value[i];
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      throw new Invalid([...path, i], `expected object, received ${describe(item)}`);
    }
    const o = item as Record<string, unknown>;
    for (const [k, t] of req) {
      if (typeof o[k] !== t) {
        throw new Invalid(
          [...path, i, k],
          o[k] === undefined ? `missing (expected ${t})` : `expected ${t}, received ${describe(o[k])}`,
        );
      }
    }
    for (const [k, t] of opt) {
      const v = o[k];
      if (v !== undefined && v !== null && typeof v !== t)
        throw new Invalid([...path, i, k], `expected ${t}, received ${describe(v)}`);
    }
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function validate(data: unknown): Snapshot {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new Invalid([], `expected a JSON object with "format": "${SNAPSHOT_FORMAT}", received ${describe(data)}`);
  }
  const top = data as Record<string, unknown>;
  zodCheck(
    z.looseObject({
      format: z.literal(SNAPSHOT_FORMAT),
      tenantId: z.string(),
      collectedAt: z.string(),
      graph: z.record(z.string(), z.unknown()),
      collectionErrors: z.record(z.string(), z.string()).nullish(),
    }),
    // zod would copy a graph of 100,000+ keys to check it is an object of anything: when it is one, it is shown an
    // empty object instead (same verdict, same first issue); otherwise the real value, for zod's message.
    isPlainObject(top.graph) ? { ...top, graph: {} } : top,
    [],
  );
  const graph = top.graph as Record<string, unknown>;
  const collectionErrors: Record<string, string> = {
    ...((top.collectionErrors as Record<string, string> | null) ?? {}),
  };
  if (!(GRAPH_KEYS.users in graph)) throw new Invalid(['graph', GRAPH_KEYS.users], 'missing (the users are required)');
  checkItems(
    graph[GRAPH_KEYS.users],
    ['graph', GRAPH_KEYS.users],
    { id: 'string' },
    {
      userPrincipalName: 'string',
      displayName: 'string',
      userType: 'string',
      accountEnabled: 'boolean',
      creationType: 'string',
      externalUserState: 'string',
      onPremisesSyncEnabled: 'boolean',
    },
  );
  // The graph object is validated and cleaned in place (a 100,000-user snapshot has 100,000+ keys: no copies).
  const nullKeys: string[] = [];
  for (const key in graph) {
    const value = graph[key];
    if (value === null) {
      // A key present with null: treated as not collected (an empty array would mean "collected, none").
      nullKeys.push(key);
      continue;
    }
    if (key === GRAPH_KEYS.users) continue;
    if (key.startsWith('beta/users/')) {
      // One per user: checked by hand, not by zod (the hot path of large snapshots).
      if (PER_USER_KEY.test(key)) checkPerUser(value, ['graph', key]);
      continue;
    }
    const schema = KEY_SCHEMAS[key];
    if (schema) zodCheck(schema, value, ['graph', key]);
    else if (MEMBERS_KEY.test(key))
      checkItems(value, ['graph', key], { id: 'string' }, { '@odata.type': 'string', displayName: 'string' });
    else if (key === GRAPH_KEYS.registrationDetails) {
      checkItems(value, ['graph', key], { id: 'string' }, { isMfaRegistered: 'boolean', userPrincipalName: 'string' });
    } else if (FEDERATION_KEY.test(key)) zodCheck(federationSchema, value, ['graph', key]);
    else if (key === GRAPH_KEYS.signIns) {
      checkItems(value, ['graph', key], { userId: 'string', createdDateTime: 'string' }, SIGN_IN_STRINGS);
    } else if (key === GRAPH_KEYS.signInWindow) checkSignInWindow(value, ['graph', key]);
    // Other keys: free to grow, not read by the engine.
  }
  for (const key of nullKeys) {
    delete graph[key];
    collectionErrors[key] ??= 'the snapshot holds null here: treated as not collected';
  }
  const cleanGraph = graph;
  const snapshot: Snapshot = {
    format: SNAPSHOT_FORMAT,
    tenantId: top.tenantId as string,
    collectedAt: top.collectedAt as string,
    graph: cleanGraph,
  };
  if (Object.keys(collectionErrors).length > 0) snapshot.collectionErrors = collectionErrors;
  return snapshot;
}

/** Parse snapshot text; an invalid one throws InputError naming the JSON path and the problem. */
export function parseSnapshot(text: string, label: string): Snapshot {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch (error) {
    // JSON.parse's own message quotes raw bytes (terminal escapes, a token): a position and an escaped excerpt only.
    throw new InputError(`snapshot ${label}: ${describeJsonSyntaxError(body)}`, { cause: error });
  }
  try {
    return validate(data);
  } catch (error) {
    if (error instanceof Invalid) {
      throw new InputError(`snapshot ${label}: ${formatPath(error.path)}: ${error.problem}`, { cause: error });
    }
    throw error;
  }
}

/** Read and parse a snapshot file; a missing or unreadable file is an InputError. */
export async function readSnapshot(path: string): Promise<Snapshot> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'file not found'
        : code === 'EISDIR'
          ? 'is a directory, not a file'
          : code === 'EACCES'
            ? 'permission denied'
            : code === 'ERR_STRING_TOO_LONG'
              ? 'file too large to read'
              : (error as Error).message;
    throw new InputError(`snapshot ${path}: cannot read (${why})`, { cause: error });
  }
  return parseSnapshot(text, path);
}
