// `npm run bench` part: live collection at scale. A 100,000-user tenant is served by the test Graph server
// (bench/graph-server.js, in a child process so it does not share the collector's event loop) over HTTPS with 20 ms
// of latency per request. The built collector (dist/graph/live.js, the code the CLI runs: graph-client v3, paging,
// $batch, pacing) collects it; then the built CLI runs the whole live audit once. Printed: requests made, wall time,
// and the floor = requests × latency ÷ concurrency allowed (what perfect parallelism of the same requests would
// take). Goal: collection within 1.5× of the floor.
//
// Collection includes the evidence from Entra of a live run (evaluation.md §9): What If for every distinct gap plus
// 20 spot-checks, and 30 days of sign-ins (`--sign-ins-per-user`, default 20 per user: 2 million rows for 100,000
// users, generated page by page by the server). The What If requests are counted against the distinct gaps.
//
//   node bench/collect.js [--users 100000] [--latency 20] [--sign-ins-per-user 20] [--from SNAPSHOT.json]
//                         [--runs 3]         (collections timed; the median is reported)
//                         [--collect-only]   (skip the whole CLI run)
import { fork, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import {
  ROLE_TEMPLATE_IDS,
  graphGroup,
  graphPolicy,
  graphUser,
  groupMembers,
  perUserMfa,
  registrationDetails,
  roleAssignment,
  snapshot,
  userReference,
} from '../dist/core/snapshot-builder.js';
import { GRAPH_KEYS } from '../dist/core/snapshot.js';

const ROOT = new URL('..', import.meta.url);
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
};

const TENANT_ID = '5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d';
/** The instant of the collection run (the sign-in window ends here); the server child gets it as --now. */
const NOW = process.argv.includes('--serve') ? undefined : new Date().toISOString();
const GLOBAL_ADMIN = ROLE_TEMPLATE_IDS.globalAdministrator;
const uid = (ns, i) => `${ns.toString(16).padStart(8, '0')}-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;

/** User `i` of the large tenant (every 50th a guest) and its row of the registration report. */
function tenantUser(i) {
  const guest = i % 50 === 49;
  const upn = guest ? `guest${i}_fabrikam.com#EXT#@contoso.onmicrosoft.com` : `user${i}@contoso.com`;
  const user = graphUser({
    id: uid(0x10, i),
    userPrincipalName: upn,
    displayName: `${guest ? 'Guest' : 'User'} ${i}`,
    mail: guest ? `guest${i}@fabrikam.com` : upn,
    userType: guest ? 'Guest' : 'Member',
    accountEnabled: i % 97 !== 0,
    creationType: guest ? 'Invitation' : null,
    externalUserState: guest ? 'Accepted' : null,
    onPremisesSyncEnabled: i % 3 === 0,
    identities: [
      {
        signInType: guest ? 'federated' : 'userPrincipalName',
        issuer: guest ? 'ExternalAzureAD' : 'contoso.com',
        issuerAssignedId: guest ? null : upn,
      },
    ],
  });
  const registered = i % 10 !== 0;
  const registration = registrationDetails({
    id: user.id,
    userPrincipalName: upn,
    userDisplayName: user.displayName,
    userType: guest ? 'guest' : 'member',
    isAdmin: i < 5,
    isSsprRegistered: false,
    isSsprEnabled: true,
    isSsprCapable: false,
    isMfaRegistered: registered,
    isMfaCapable: registered,
    isPasswordlessCapable: false,
    methodsRegistered: registered ? ['microsoftAuthenticatorPush'] : [],
    isSystemPreferredAuthenticationMethodEnabled: true,
    systemPreferredAuthenticationMethods: ['push'],
    userPreferredMethodForSecondaryAuthentication: 'push',
    lastUpdatedDateTime: '2026-11-20T00:00:00Z',
  });
  return { user, registration, guest };
}

/** The three policies: MFA for all users but the legacy group, MFA for Global Administrators, legacy auth blocked. */
function tenantPolicies(legacyGroupId) {
  const policy = (n, displayName, users, conditions, builtInControls) =>
    graphPolicy({ id: uid(0x30, n), displayName, users, conditions, grant: { builtInControls } });
  return [
    policy(1, 'Require MFA for all users', { includeUsers: ['All'], excludeGroups: [legacyGroupId] }, {}, ['mfa']),
    policy(2, 'Require MFA for administrators', { includeRoles: [GLOBAL_ADMIN] }, {}, ['mfa']),
    policy(
      3,
      'Block legacy authentication',
      { includeUsers: ['All'] },
      { clientAppTypes: ['exchangeActiveSync', 'other'] },
      ['block'],
    ),
  ];
}

/**
 * A large tenant in Graph's shapes: every user under an "MFA for all users" policy except a legacy group of 20 %
 * still on per-user MFA (so collection must ask for 20,000 per-user states), admins, agent groups, guests,
 * registration details for everyone, a federated domain (named locations, strengths, domains and tenant settings
 * are the demo tenant's).
 */
export function buildTenant(userCount) {
  const demo = JSON.parse(readFileSync(new URL('fixtures/demo-tenant.json', ROOT), 'utf8')).graph;
  const users = [];
  const registration = [];
  const legacy = [];
  const graph = {};
  for (let i = 0; i < userCount; i++) {
    const made = tenantUser(i);
    users.push(made.user);
    registration.push(made.registration);
    if (!made.guest && i % 5 === 0) {
      legacy.push(made.user);
      Object.assign(graph, perUserMfa(made.user.id, i % 15 === 0 ? 'disabled' : 'enforced'));
    }
  }
  const member = (u) => userReference(u, true);
  const groups = ['Legacy per-user MFA', 'AdminAgents', 'HelpdeskAgents', 'SalesAgents'].map((displayName, n) =>
    graphGroup({ id: uid(0x20, n + 1), displayName }),
  );
  graph['v1.0/groups'] = groups;
  Object.assign(
    graph,
    groupMembers(groups[0].id, legacy.map(member)),
    groupMembers(groups[1].id, users.slice(0, 10).map(member)),
    groupMembers(groups[2].id, users.slice(10, 40).map(member)),
    groupMembers(groups[3].id, users.slice(40, 100).map(member)),
  );
  Object.assign(graph, {
    [GRAPH_KEYS.users]: users,
    [GRAPH_KEYS.securityDefaults]: { ...demo[GRAPH_KEYS.securityDefaults], isEnabled: false },
    [GRAPH_KEYS.conditionalAccessPolicies]: tenantPolicies(groups[0].id),
    [GRAPH_KEYS.namedLocations]: demo[GRAPH_KEYS.namedLocations],
    [GRAPH_KEYS.authenticationStrengthPolicies]: demo[GRAPH_KEYS.authenticationStrengthPolicies],
    [GRAPH_KEYS.roleAssignments]: users.slice(0, 5).map((u, n) =>
      roleAssignment({
        id: uid(0x50, n),
        principalId: u.id,
        roleDefinitionId: GLOBAL_ADMIN,
        appScopeId: null,
        condition: null,
      }),
    ),
    [GRAPH_KEYS.registrationDetails]: registration,
    // The users' own domains (managed), beside the demo's (one of them federated, with no users on it).
    [GRAPH_KEYS.domains]: [
      ...['contoso.com', 'contoso.onmicrosoft.com'].map((id) => ({ ...demo[GRAPH_KEYS.domains][1], id })),
      ...demo[GRAPH_KEYS.domains],
    ],
    [GRAPH_KEYS.crossTenantDefault]: demo[GRAPH_KEYS.crossTenantDefault],
    // No eligible (PIM) role assignments; the policies name no app by id, so no service principal is looked up.
    [GRAPH_KEYS.roleEligibility]: [],
  });
  // Beta returns the same policies.
  graph[GRAPH_KEYS.conditionalAccessPoliciesBeta] = JSON.parse(
    JSON.stringify(graph[GRAPH_KEYS.conditionalAccessPolicies]),
  );
  for (const key of Object.keys(demo)) if (key.endsWith('/federationConfiguration')) graph[key] = demo[key];
  return snapshot(TENANT_ID, '2026-11-21T00:00:00Z', graph);
}

/** An unsigned Graph-shaped app-only token with every permission collection needs (never a real token). */
function benchToken() {
  const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const roles = [
    'User.Read.All',
    'Policy.Read.All',
    'GroupMember.Read.All',
    'RoleManagement.Read.Directory',
    'AuditLog.Read.All',
    'Domain.Read.All',
    'Application.Read.All',
  ];
  return `${b64({ typ: 'JWT', alg: 'RS256' })}.${b64({ aud: 'https://graph.microsoft.com', tid: TENANT_ID, idtyp: 'app', roles, exp: now + 3600 })}.c2ln`;
}

// ---- the server child: build the tenant, serve it, report its counters on request ----
if (process.argv.includes('--serve')) {
  const { generate } = await import('selfsigned');
  const { startGraphServer } = await import('./graph-server.js');
  const pems = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
    days: 1,
    keySize: 2048,
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] },
    ],
  });
  const from = arg('--from');
  const snapshot = from ? JSON.parse(readFileSync(from, 'utf8')) : buildTenant(Number(arg('--users', '100000')));
  const server = await startGraphServer({
    key: pems.private,
    cert: pems.cert,
    snapshot,
    token: arg('--token'),
    latencyMs: Number(arg('--latency', '20')),
    signIns: { perUser: Number(arg('--sign-ins-per-user', '20')), days: 30, now: arg('--now') },
  });
  // The answers of the two long paged lists are made ahead, so the figures measure the collector and the 20 ms of
  // simulated latency rather than this server serialising 999-user pages (Graph's own time is in the latency).
  // Likewise the pages of groups with more members than a page (their first page comes inside a $batch).
  // So are the sign-in log's pages for the collection run at --now (the chains the collector will read; the whole
  // CLI run afterwards reads at its own now, generated as asked).
  const { signInQueries } = await import('../dist/graph/evidence.js');
  const { DEFAULT_SETTINGS } = await import('../dist/graph/settings.js');
  const window = { now: new Date(arg('--now')), days: 30, concurrency: DEFAULT_SETTINGS.concurrency };
  // (The tenant's users are on a managed domain: the MFA chains select no authenticationDetails.)
  for (const { first } of signInQueries(window, false)) server.prepare(`/${first}`);
  const { USER_FIELDS, REQUESTS } = await import('../dist/graph/requests.js');
  server.prepare(`/v1.0/users?$select=${USER_FIELDS.join(',')}&$top=999`);
  server.prepare('/v1.0/reports/authenticationMethods/userRegistrationDetails?$top=999');
  for (const [key, members] of Object.entries(snapshot.graph)) {
    const group = /^v1\.0\/groups\/([^/]+)\/transitiveMembers$/.exec(key);
    if (group && Array.isArray(members) && members.length > 999)
      server.prepare(`/v1.0${REQUESTS.groupMembers(group[1])}`);
  }
  server.warmWhatIf();
  const counters = () => ({
    preparedHits: server.stats.preparedHits,
    requests: server.stats.requests,
    batches: server.stats.batches,
    subRequests: server.stats.batchSubRequests,
    maxInFlight: server.stats.maxInFlight,
    whatIf: server.stats.whatIf.requests,
    signInPages: server.stats.signIns.requests,
    signInRows: server.stats.signIns.rows,
    byPath: Object.fromEntries(server.stats.byPath),
  });
  process.on('message', (message) => {
    if (message === 'stats') process.send({ stats: counters() });
    if (message === 'close') server.close().then(() => process.exit(0));
  });
  process.send({
    url: server.url,
    ca: pems.cert,
    tenantId: snapshot.tenantId,
    users: snapshot.graph['v1.0/users'].length,
  });
} else if (process.argv.includes('--collector')) {
  // ---- a collector child: one collection in a fresh process (as the CLI runs it), its figures sent back ----
  process.once('message', async (job) => {
    process.send(await collectOnce(job));
    process.disconnect();
  });
} else if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  // Run as a script (imported by a test for buildTenant, it does nothing).
  await main();
}

/** One collection of the tenant through the built code the CLI runs, timed; what the report needs of it. */
async function collectOnce({ url, ca, tenantId, token, now, evidence }) {
  const { collectLiveSnapshot } = await import(new URL('dist/graph/live.js', ROOT).href);
  const { newStats } = await import(new URL('dist/graph/resilience.js', ROOT).href);
  const { auditTenant, usersNeedingPerUserMfaStateInSteps } = await import(
    new URL('dist/core/tenant/audit.js', ROOT).href
  );
  const { runInSlices } = await import(new URL('dist/graph/time-slices.js', ROOT).href);
  const stats = newStats();
  let engineMs = 0;
  let engineCalls = 0;
  /** Each step of the engine timed (its CPU time on collection's event loop, between the slots' answers). */
  function* timed(steps) {
    for (;;) {
      const t = performance.now();
      const next = steps.next();
      engineMs += performance.now() - t;
      if (next.done) return next.value;
      yield;
    }
  }
  // The engine's choice of users, once per group of pages of users, in slices as the CLI runs it.
  const perUserMfaUsers = (partial) => {
    engineCalls++;
    const options = { now: new Date(), breakGlass: [], serviceAccounts: { patterns: [], upns: [] } };
    return runInSlices(timed(usersNeedingPerUserMfaStateInSteps(partial, options)));
  };
  const io = {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    cwd: process.cwd(),
    now: () => new Date(),
    env: { MFA_AUDIT_ACCESS_TOKEN: token },
  };
  const started = performance.now();
  const loopBefore = performance.eventLoopUtilization();
  const snapshot = await collectLiveSnapshot({ tenantId, graphUrl: url, quiet: true, now, evidence }, io, {
    trustedCa: ca,
    stats,
    perUserMfaUsers,
  });
  const seconds = (performance.now() - started) / 1000;
  const loopBusy = performance.eventLoopUtilization(loopBefore).utilization;
  // What the evidence made of the snapshot (after the timing): the audit's What If summary, the sign-in window.
  const report = auditTenant(snapshot, {
    now: new Date(snapshot.collectedAt),
    breakGlass: [],
    serviceAccounts: { patterns: [], upns: [] },
    whatIf: evidence.whatIf,
  });
  const win = snapshot.graph[GRAPH_KEYS.signInWindow];
  return {
    seconds,
    loopBusy,
    engineMs,
    engineCalls,
    stats,
    perUser: Object.keys(snapshot.graph).filter((k) => k.startsWith('beta/users/')).length,
    collectionErrors: Object.keys(snapshot.collectionErrors ?? {}).length,
    whatIf: report.whatIf,
    failing: report.accounts.filter((a) => a.gaps.length > 0).length,
    kept: snapshot.graph[GRAPH_KEYS.signIns]?.length ?? 0,
    usersCounted: Object.keys(win?.users ?? {}).length,
    rowsCounted: Object.values(win?.users ?? {}).reduce((n, c) => n + c.mfa + c.singleFactor, 0),
    truncated: win?.truncated === true,
  };
}

async function main() {
  const latency = Number(arg('--latency', '20'));
  const token = benchToken();
  const extra = process.argv.slice(2).filter((a) => a !== '--serve');
  const child = fork(fileURLToPath(import.meta.url), ['--serve', '--token', token, '--now', NOW, ...extra], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ask = (message) =>
    new Promise((resolve) => {
      child.once('message', resolve);
      child.send(message);
    });
  const ready = await new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code) => reject(new Error(`bench server exited (${code})`)));
  });
  const dir = mkdtempSync(join(tmpdir(), 'mfa-audit-bench-collect-'));
  const caFile = join(dir, 'ca.pem');
  writeFileSync(caFile, ready.ca);

  // 1. Collection alone, through the built code the CLI runs, each run in a fresh process (cold, as the CLI is).
  const { DEFAULT_SETTINGS } = await import(new URL('dist/graph/settings.js', ROOT).href);
  const evidence = { confirm: true, signInDays: 30, whatIf: { spotChecks: 20 } };
  const job = { url: ready.url, ca: ready.ca, tenantId: ready.tenantId, token, now: NOW, evidence };
  /** One run: a collector child, and the server's counters for that run alone. */
  async function collectInChild() {
    const before = (await ask('stats')).stats;
    const collector = fork(fileURLToPath(import.meta.url), ['--collector'], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const figures = await new Promise((resolve, reject) => {
      collector.once('message', resolve);
      collector.once('exit', (code) => reject(new Error(`bench collector exited (${code})`)));
      collector.send(job);
    });
    await new Promise((resolve) => (collector.exitCode === null ? collector.once('exit', resolve) : resolve()));
    return { ...figures, served: counterDelta((await ask('stats')).stats, before) };
  }
  // The machine's own noise (a shared VM's stolen time) moves one run by a second or more: the median of RUNS runs.
  const runs = Math.max(1, Number(arg('--runs', '3')));
  const results = [];
  for (let i = 0; i < runs; i++) results.push(await collectInChild());
  const walls = results.map((r) => r.seconds);
  const median = [...results].sort((a, b) => a.seconds - b.seconds)[Math.floor((runs - 1) / 2)];
  const { stats, seconds, loopBusy, served, engineMs, engineCalls, perUser } = median;
  const concurrency = DEFAULT_SETTINGS.concurrency;
  const floor = (stats.requests * latency) / 1000 / concurrency;
  // The longest chain of pages (999 users each, one after another): the per-user batches overlap it, the engine
  // choosing users of each group of pages as they arrive.
  const chainPages = Math.ceil(ready.users / 999);
  console.log(
    `tenant: ${ready.users.toLocaleString('en-US')} users; ${perUser.toLocaleString('en-US')} per-user MFA states needed; ${latency} ms per request`,
  );
  console.log(
    `collection: ${stats.requests.toLocaleString('en-US')} requests (${served.batches} $batch carrying ${served.subRequests.toLocaleString('en-US')} requests), ${stats.retries} retries, at most ${stats.maxInFlight} in flight`,
  );
  console.log(
    `collection wall time: ${seconds.toFixed(2)} s, the median of ${runs} runs (${walls.map((w) => w.toFixed(2)).join(', ')} s; pages made ahead by the server: ${served.preparedHits})`,
  );
  console.log(
    `floor: ${stats.requests} requests × ${latency} ms ÷ ${concurrency} in flight = ${floor.toFixed(2)} s  →  ${(seconds / floor).toFixed(2)}× the floor (goal ≤ 1.5×)`,
  );
  const held = stats.busyMs / stats.requests;
  console.log(
    `measured: a request holds its slot ${held.toFixed(1)} ms on average (${latency} ms of latency + TLS, HTTP and both event loops); the same requests at that time ÷ ${concurrency} = ${((stats.requests * held) / 1000 / concurrency).toFixed(2)} s  →  ${(seconds / ((stats.requests * held) / 1000 / concurrency)).toFixed(2)}×`,
  );
  console.log(
    `collector's event loop busy ${(loopBusy * 100).toFixed(0)} % of the collection (sign-in pages are decompressed, parsed and counted on a worker thread)`,
  );
  console.log(
    `overlapped: ${chainPages} user pages in sequence × ${latency} ms = ${((chainPages * latency) / 1000).toFixed(2)} s; engine's choice of users ${(engineMs / 1000).toFixed(2)} s in ${engineCalls} calls (groups of pages, in slices on collection's event loop)`,
  );
  if (median.collectionErrors) console.log(`collection errors: ${median.collectionErrors}`);
  printEvidence(median, served);

  if (process.argv.includes('--collect-only')) {
    child.send('close');
    return;
  }
  // 2. The whole live audit through the built CLI (sign-in skipped with MFA_AUDIT_ACCESS_TOKEN): collection,
  //    the engine on every account, the JSON report.
  const cliStarted = performance.now();
  const code = await new Promise((resolve) => {
    const cli = spawn(
      process.execPath,
      [
        fileURLToPath(new URL('bin/mfa-audit.js', ROOT)),
        'tenant',
        '--tenant-id',
        ready.tenantId,
        '--graph-url',
        ready.url,
        '--format',
        'json',
        '--output',
        join(dir, 'report.json'),
        '--confirm',
        '--sign-ins',
        '30',
      ],
      {
        env: { PATH: process.env.PATH ?? '', MFA_AUDIT_ACCESS_TOKEN: token, NODE_EXTRA_CA_CERTS: caFile },
        stdio: ['ignore', 'ignore', 'inherit'],
      },
    );
    cli.on('close', resolve);
  });
  const cliSeconds = (performance.now() - cliStarted) / 1000;
  console.log(`whole CLI run (collect + audit + JSON report): ${cliSeconds.toFixed(2)} s, exit ${code}`);
  await new Promise((resolve) => {
    child.once('exit', resolve);
    child.send('close');
  });
}

/** The server's counters for one run: `after` less `before`, number by number and path by path. */
function counterDelta(after, before) {
  const out = {};
  for (const [key, value] of Object.entries(after)) {
    if (typeof value === 'number') out[key] = key === 'maxInFlight' ? value : value - before[key];
    else if (key === 'byPath') {
      out.byPath = {};
      for (const [path, n] of Object.entries(value)) {
        const d = n - (before.byPath[path] ?? 0);
        if (d > 0) out.byPath[path] = d;
      }
    }
  }
  return out;
}

/** Requests by kind, and the What If requests against the distinct gaps (not the accounts) they confirm. */
function printEvidence(run, served) {
  const kinds = new Map();
  for (const [path, n] of Object.entries(served.byPath)) {
    const kind = path
      .replace(/^\/(v1\.0|beta)/, '$1')
      .replace(/\/[0-9a-f-]{36}(?=\/|$)/gi, '/{id}')
      .split('?')[0];
    kinds.set(kind, (kinds.get(kind) ?? 0) + n);
  }
  const rows = [...kinds].sort((a, b) => b[1] - a[1]);
  console.log(`requests by kind (HTTP requests; $batch carries the per-user, member and What If requests):`);
  for (const [kind, n] of rows) console.log(`  ${String(n).padStart(7)}  ${kind}`);
  const w = run.whatIf;
  const signInPages = kinds.get('beta/auditLogs/signIns') ?? 0;
  console.log(
    `What If: ${served.whatIf} requests = ${w?.requests ?? 0} distinct gaps + ${w?.spotChecks.requests ?? 0} spot-checks, for ${run.failing.toLocaleString('en-US')} accounts with gaps (confirmed ${w?.confirmed ?? 0}, disputed ${w?.disputed ?? 0}, inconclusive ${w?.inconclusive ?? 0})`,
  );
  console.log(
    `sign-ins: ${run.rowsCounted.toLocaleString('en-US')} rows counted in ${signInPages} pages; ${run.kept} single-factor rows kept, ${run.usersCounted.toLocaleString('en-US')} users counted${run.truncated ? ' (truncated)' : ''}`,
  );
}
