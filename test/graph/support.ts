/** Shared pieces of the Graph collection tests: the served tenant, tokens, and a collection run in-process. */
import { readFileSync } from 'node:fs';
import type { TenantCommandOptions } from '../../src/cli/tenant.js';
import type { Snapshot } from '../../src/core/snapshot.js';
import { GRAPH_KEYS } from '../../src/core/snapshot.js';
import type { LiveSeams } from '../../src/graph/live.js';
import { collectLiveSnapshot } from '../../src/graph/live.js';
import { newStats } from '../../src/graph/resilience.js';
import type { CollectionSettings } from '../../src/graph/settings.js';
import type { TestGraphServer } from '../helpers/graph-server.js';
import { memoryIo } from '../helpers/io.js';
import { rawToken } from '../helpers/tokens.js';

const DEMO_URL = new URL('../../fixtures/demo-tenant.json', import.meta.url);

export function demoSnapshot(): Snapshot {
  return JSON.parse(readFileSync(DEMO_URL, 'utf8')) as Snapshot;
}

/** Microsoft's first-party app owner tenant. */
export const MICROSOFT_TENANT = 'f8cdef31-a31e-4b4a-93e4-5f571e91255a';
/** The Azure management app (Windows Azure Service Management API), which a demo policy names. */
export const AZURE_MANAGEMENT_APP = '797f4846-ba00-4fd7-ba43-dac1f8f63013';

/**
 * The demo tenant as Graph serves it, with the keys collection added in the second wave where the fixture has none:
 * the policies as beta returns them (the same policies), the tenant's service principals (the one a policy names, and
 * others no policy names), and one eligible (PIM) role assignment of a user (its principal expanded).
 */
export function servedTenant(snapshot: Snapshot = demoSnapshot()): Snapshot {
  const graph = { ...snapshot.graph };
  graph[GRAPH_KEYS.conditionalAccessPoliciesBeta] ??= structuredClone(graph[GRAPH_KEYS.conditionalAccessPolicies]);
  graph[GRAPH_KEYS.servicePrincipals] ??= [
    {
      id: 'c1a2b3c4-0000-4000-8000-000000000001',
      appId: AZURE_MANAGEMENT_APP,
      displayName: 'Windows Azure Service Management API',
      appOwnerOrganizationId: MICROSOFT_TENANT,
      servicePrincipalType: 'Application',
    },
    {
      id: 'c1a2b3c4-0000-4000-8000-000000000002',
      appId: '00000003-0000-0000-c000-000000000000',
      displayName: 'Microsoft Graph',
      appOwnerOrganizationId: MICROSOFT_TENANT,
      servicePrincipalType: 'Application',
    },
    {
      id: 'c1a2b3c4-0000-4000-8000-000000000003',
      appId: '5b1f0a52-3c1e-4d27-9a51-7e0c7b1d2a90',
      displayName: 'Contoso Expenses',
      appOwnerOrganizationId: snapshot.tenantId,
      servicePrincipalType: 'Application',
    },
  ];
  const eligibility = graph[GRAPH_KEYS.roleEligibility];
  if (eligibility === undefined || (Array.isArray(eligibility) && eligibility.length === 0)) {
    const users = graph[GRAPH_KEYS.users] as Array<{
      id: string;
      userType?: string;
      displayName?: string;
      userPrincipalName?: string;
    }>;
    const member = users.find((u) => u.userType === 'Member')!;
    // As Graph returns it with $expand=principal (which collection asks for).
    const principal = {
      '@odata.type': '#microsoft.graph.user',
      id: member.id,
      displayName: member.displayName,
      userPrincipalName: member.userPrincipalName,
    };
    graph[GRAPH_KEYS.roleEligibility] = [
      {
        id: 'e1-' + member.id,
        principalId: member.id,
        // Security Reader
        roleDefinitionId: '5d6b6bb7-de71-4623-b4af-96380a352509',
        directoryScopeId: '/',
        appScopeId: null,
        memberType: 'Direct',
        principal,
      },
    ];
  }
  return { ...snapshot, graph };
}

/** Every permission the collector needs, as an app-only token carries them. */
export const ALL_ROLES = [
  'User.Read.All',
  'Policy.Read.All',
  'GroupMember.Read.All',
  'RoleManagement.Read.Directory',
  'AuditLog.Read.All',
  'Domain.Read.All',
  'Application.Read.All',
];

/** An unsigned Graph-shaped access token (collection only decodes it; Graph tokens are not verifiable anyway). */
export function graphToken(claims: Record<string, unknown> = {}, tenantId = demoSnapshot().tenantId): string {
  const now = Math.floor(Date.parse('2026-11-21T12:00:00Z') / 1000);
  return rawToken(
    JSON.stringify({ typ: 'JWT', alg: 'RS256', nonce: 'n', kid: 'k' }),
    JSON.stringify({
      aud: 'https://graph.microsoft.com',
      iss: `https://sts.windows.net/${tenantId}/`,
      tid: tenantId,
      idtyp: 'app',
      roles: ALL_ROLES,
      iat: now - 600,
      nbf: now - 600,
      exp: now + 3600,
      ...claims,
    }),
  );
}

/** Waits recorded instead of slept, so tests check real delays (Retry-After, backoff) without waiting them. */
export function recordingSleep(): { waits: number[]; sleep: (ms: number) => Promise<void> } {
  const waits: number[] = [];
  return { waits, sleep: async (ms: number) => void waits.push(ms) };
}

export interface RunResult {
  snapshot?: Snapshot;
  error?: Error;
  stderr: string;
  stats: ReturnType<typeof newStats>;
}

export async function collect(
  server: TestGraphServer,
  options: {
    token?: string;
    settings?: Partial<CollectionSettings>;
    perUserMfaUsers?: LiveSeams['perUserMfaUsers'];
    cli?: Partial<TenantCommandOptions>;
    /** Really sleep (for the CA limiter); otherwise waits are recorded, not slept. */
    realTime?: boolean;
    /** stderr is a terminal (progress is shown). */
    tty?: boolean;
  } = {},
): Promise<RunResult> {
  const snapshot = demoSnapshot();
  const io = memoryIo({ env: { MFA_AUDIT_ACCESS_TOKEN: options.token ?? graphToken() }, tty: options.tty ?? false });
  const stats = newStats();
  const { sleep } = recordingSleep();
  try {
    const result = await collectLiveSnapshot(
      { tenantId: snapshot.tenantId, graphUrl: server.url, now: '2026-11-21T12:00:00Z', ...options.cli },
      io,
      {
        trustedCa: server.ca,
        stats,
        settings: { ...(options.realTime ? {} : { sleep }), timeoutMs: 2000, ...options.settings },
        perUserMfaUsers: options.perUserMfaUsers ?? (() => []),
      },
    );
    return { snapshot: result, stderr: io.err(), stats };
  } catch (error) {
    return { error: error as Error, stderr: io.err(), stats };
  }
}

/** What a snapshot's key should hold when served through the collector's $select. */
export function projected(snapshot: Snapshot, key: string, fields: string[]): unknown {
  const value = snapshot.graph[key];
  if (!Array.isArray(value)) return value;
  return value.map((item: Record<string, unknown>) =>
    Object.fromEntries(
      Object.entries(item).filter(([k]) => k === 'id' || k.startsWith('@odata.') || fields.includes(k)),
    ),
  );
}

/**
 * The served data in the snapshot's shape: groups read one by one (`v1.0/groups/{id}`, for their names) belong to
 * the `v1.0/groups` list, whose order then depends on batching, so it is sorted by id on both sides; so are service
 * principals (one request per app id).
 */
export function asSnapshotGraph(graph: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const groups: Array<Record<string, unknown>> = [];
  for (const [key, value] of Object.entries(graph)) {
    if (/^v1\.0\/groups\/[^/]+$/.test(key)) groups.push(value as Record<string, unknown>);
    else if (key === 'v1.0/groups') groups.push(...(value as Array<Record<string, unknown>>));
    else if (key === GRAPH_KEYS.servicePrincipals) out[key] = byId(value as Array<Record<string, unknown>>);
    else out[key] = value;
  }
  if (groups.length > 0 || 'v1.0/groups' in graph) out['v1.0/groups'] = byId(groups);
  return out;
}

const byId = (items: Array<Record<string, unknown>>) =>
  [...items].sort((a, b) => String(a.id).localeCompare(String(b.id)));
