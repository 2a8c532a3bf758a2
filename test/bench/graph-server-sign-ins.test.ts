/**
 * The test Graph server's sign-in logs (GET /auditLogs/signIns): the OData subset ($filter by date, user,
 * requirement and error code; $select; $top up to 1000; nextLink paging), snapshot rows and lazily generated ones
 * (2,000,000 rows for 100,000 users, a few pages of them), and the permission / licence answers.
 */
import { request } from 'node:https';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestGraphServer, type TestGraphServer } from '../helpers/graph-server.js';
import type { GraphServerOptions } from '../../bench/graph-server.js';

interface Answer {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

function get(server: TestGraphServer, pathOrUrl: string): Promise<Answer> {
  const url = new URL(pathOrUrl, server.url);
  return new Promise((resolve, reject) => {
    const req = request(url, { ca: server.ca, headers: { authorization: 'Bearer test' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null') }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

const q = (params: Record<string, string>) => '/beta/auditLogs/signIns?' + new URLSearchParams(params).toString();

const ALICE = 'aaaaaaaa-0000-0000-0000-000000000001';
const BOB = 'bbbbbbbb-0000-0000-0000-000000000002';

function row(id: string, userId: string, createdDateTime: string, errorCode: number, requirement: string) {
  return {
    id,
    createdDateTime,
    userId,
    userPrincipalName: userId === ALICE ? 'alice@example.test' : 'bob@example.test',
    appId: '00000003-0000-0ff1-ce00-000000000000',
    appDisplayName: 'Office 365 SharePoint Online',
    clientAppUsed: 'Browser',
    ipAddress: '203.0.113.5',
    location: { city: 'Amsterdam', countryOrRegion: 'NL' },
    status: { errorCode, failureReason: errorCode === 0 ? 'Other.' : 'Invalid password.' },
    authenticationRequirement: requirement,
    authenticationDetails: [
      { authenticationMethod: 'Password', succeeded: errorCode === 0, authenticationStepResultDetail: 'x' },
    ],
    conditionalAccessStatus: 'notApplied',
    isInteractive: true,
  };
}

const ROWS = [
  row('s1', ALICE, '2025-03-10T12:00:00Z', 0, 'singleFactorAuthentication'),
  row('s2', BOB, '2025-03-09T12:00:00Z', 0, 'multiFactorAuthentication'),
  row('s3', ALICE, '2025-03-08T12:00:00Z', 50126, 'singleFactorAuthentication'),
  row('s4', BOB, '2025-03-05T12:00:00Z', 0, 'singleFactorAuthentication'),
  row('s5', ALICE, '2025-02-01T12:00:00Z', 0, 'multiFactorAuthentication'),
];

let server: TestGraphServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});
async function serve(options: Partial<GraphServerOptions> & { snapshot?: GraphServerOptions['snapshot'] }) {
  await server?.close();
  server = await startTestGraphServer({ snapshot: { graph: { 'v1.0/auditLogs/signIns': ROWS } }, ...options });
  return server;
}
const idsOf = (a: Answer) => a.body.value.map((r: { id: string }) => r.id);

describe('sign-in logs from the snapshot', () => {
  it('filters by date, user, requirement and error code, and their and-combinations', async () => {
    const s = await serve({});
    expect(idsOf(await get(s, q({})))).toEqual(['s1', 's2', 's3', 's4', 's5']);
    expect(idsOf(await get(s, q({ $filter: 'createdDateTime ge 2025-03-06T00:00:00Z' })))).toEqual(['s1', 's2', 's3']);
    expect(idsOf(await get(s, q({ $filter: `userId eq '${ALICE.toUpperCase()}'` })))).toEqual(['s1', 's3', 's5']);
    expect(
      idsOf(
        await get(
          s,
          q({
            $filter:
              "createdDateTime ge 2025-03-01T00:00:00.0000000Z and (status/errorCode eq 0) and authenticationRequirement eq 'singleFactorAuthentication'",
          }),
        ),
      ),
    ).toEqual(['s1', 's4']);
    expect(
      idsOf(
        await get(
          s,
          q({ $filter: `userId eq '${BOB}' and authenticationRequirement eq 'singleFactorAuthentication'` }),
        ),
      ),
    ).toEqual(['s4']);
    expect(idsOf(await get(s, q({ $filter: 'status/errorCode ne 0' })))).toEqual(['s3']);
  });

  it('pages with $top and @odata.nextLink, projects $select', async () => {
    const s = await serve({});
    const first = await get(s, q({ $top: '2', $select: 'createdDateTime,userId,status' }));
    expect(first.status).toBe(200);
    expect(first.body.value[0]).toEqual({
      id: 's1',
      createdDateTime: ROWS[0]!.createdDateTime,
      userId: ALICE,
      status: ROWS[0]!.status,
    });
    const seen = [...idsOf(first)];
    let next: string | undefined = first.body['@odata.nextLink'];
    let pages = 1;
    while (next) {
      expect(next).toContain('%24select=createdDateTime');
      const page = await get(s, next);
      seen.push(...idsOf(page));
      next = page.body['@odata.nextLink'];
      pages++;
    }
    expect(seen).toEqual(['s1', 's2', 's3', 's4', 's5']);
    expect(pages).toBe(3);
    expect(s.stats.signIns).toMatchObject({ requests: 3, rows: 5 });
  });

  it('answers 400 outside the supported subset and above $top 1000', async () => {
    const s = await serve({});
    const top = await get(s, q({ $top: '1001' }));
    expect(top.status).toBe(400);
    expect(top.body.error.code).toBe('Request_UnsupportedQuery');
    expect((await get(s, q({ $top: '1000' }))).status).toBe(200);
    for (const $filter of [
      "userId eq 'a' or userId eq 'b'",
      "startswith(userPrincipalName, 'a')",
      "createdDateTime ge '2025-01-01'",
      'unknownField eq 1',
      "authenticationRequirement ge 'x'",
    ]) {
      const answer = await get(s, q({ $filter }));
      expect(answer.status, $filter).toBe(400);
      expect(answer.body.error.message).toBeTruthy();
    }
    expect((await get(s, q({ $select: 'id,nonsense' }))).status).toBe(400);
    expect((await get(s, q({ $orderby: 'userId' }))).status).toBe(400);
    expect((await get(s, q({ $orderby: 'createdDateTime desc' }))).status).toBe(200);
  });

  it("answers 400 to v1.0 queries on beta-only properties (v1.0's signIn has no authenticationRequirement)", async () => {
    const s = await serve({});
    const v1 = (params: Record<string, string>) => '/v1.0/auditLogs/signIns?' + new URLSearchParams(params).toString();
    expect((await get(s, v1({ $select: 'userId,createdDateTime' }))).status).toBe(200);
    for (const params of [
      { $select: 'userId,authenticationRequirement' } as Record<string, string>,
      { $select: 'authenticationDetails' },
      { $filter: "authenticationRequirement eq 'singleFactorAuthentication'" },
    ]) {
      const answer = await get(s, v1(params));
      expect(answer.status, JSON.stringify(params)).toBe(400);
      expect(answer.body.error.message).toMatch(/Could not find a property named 'authentication/);
    }
    expect((await get(s, q({ $select: 'userId,authenticationRequirement' }))).status).toBe(200);
  });

  it('returns only the selected properties and id, not those the filter reads', async () => {
    const s = await serve({});
    const answer = await get(
      s,
      q({ $select: 'userId', $filter: "authenticationRequirement eq 'singleFactorAuthentication'" }),
    );
    expect(answer.status).toBe(200);
    for (const row of answer.body.value as Record<string, unknown>[])
      expect(Object.keys(row).sort()).toEqual(['id', 'userId']);
  });

  it('answers 403 without the permission or the P1 licence, and throttles through the fault mechanism', async () => {
    const denied = await get(await serve({ signIns: { error: 'forbidden' } }), q({}));
    expect(denied.status).toBe(403);
    expect(denied.body.error.code).toBe('Authorization_RequestDenied');
    const unlicensed = await get(await serve({ signIns: { error: 'noLicense' } }), q({}));
    expect(unlicensed.status).toBe(403);
    expect(unlicensed.body.error.code).toBe('Authentication_RequestFromNonPremiumTenantOrB2CTenant');
    const s = await serve({
      faults: [{ path: '/beta/auditLogs/signIns', kind: 'status', status: 429, retryAfter: 2 }],
    });
    expect((await get(s, q({ $top: '1' }))).status).toBe(429);
    expect((await get(s, q({ $top: '1' }))).status).toBe(200);
  });

  it('serves an empty log when the snapshot has none', async () => {
    const s = await serve({ snapshot: { graph: {} } });
    const answer = await get(s, q({}));
    expect(answer.status).toBe(200);
    expect(answer.body.value).toEqual([]);
  });
});

describe('generated sign-in logs', () => {
  const USERS = 100_000;
  const users = Array.from({ length: USERS }, (_, i) => {
    const id = `${i.toString(16).padStart(8, '0')}-1111-4111-8111-111111111111`;
    return { id, userPrincipalName: `user${i}@bench.test`, displayName: `User ${i}` };
  });
  const NOW = '2025-06-30T00:00:00Z';
  const generated = (extra: Record<string, unknown> = {}) =>
    serve({
      snapshot: { graph: { 'v1.0/users': users } },
      signIns: { perUser: 20, days: 30, singleFactorShare: 0.05, seed: 7, now: NOW, ...extra },
    });

  it('2,000,000 rows: counted, paged newest first, a few pages fast and without memory growth', async () => {
    const s = await generated();
    const heapBefore = process.memoryUsage().heapUsed;
    const started = Date.now();
    const first = await get(s, q({ $top: '1000', $count: 'true' }));
    expect(first.status).toBe(200);
    expect(first.body['@odata.count']).toBe(2_000_000);
    expect(first.body.value).toHaveLength(1000);
    let page = first;
    const times: number[] = first.body.value.map((r: { createdDateTime: string }) => Date.parse(r.createdDateTime));
    for (let i = 0; i < 4; i++) {
      page = await get(s, page.body['@odata.nextLink']);
      expect(page.body.value).toHaveLength(1000);
      times.push(...page.body.value.map((r: { createdDateTime: string }) => Date.parse(r.createdDateTime)));
    }
    expect(times.every((t, i) => i === 0 || t <= times[i - 1]!)).toBe(true);
    expect(times[0]).toBeLessThanOrEqual(Date.parse(NOW));
    // The oldest rows are reached directly, without walking the 2,000,000 before them.
    const oldest = await get(s, q({ $top: '1000', $filter: 'createdDateTime lt 2025-05-31T01:00:00Z' }));
    expect(oldest.body.value.length).toBeGreaterThan(0);
    expect(Date.parse(oldest.body.value[0].createdDateTime)).toBeGreaterThanOrEqual(Date.parse('2025-05-31T00:00:00Z'));
    expect(Date.now() - started).toBeLessThan(10_000);
    // Two million rows held in memory would take gigabytes.
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(150 * 1024 * 1024);
    // The page count follows from the total: ceil(2,000,000 / 1000).
    const halfMonth = await get(
      s,
      q({ $top: '1', $count: 'true', $filter: 'createdDateTime ge 2025-06-15T00:00:00Z' }),
    );
    expect(halfMonth.body['@odata.count']).toBeGreaterThan(990_000);
    expect(halfMonth.body['@odata.count']).toBeLessThan(1_010_000);
  });

  it('is deterministic: the same options give the same rows', async () => {
    const a = await get(await generated(), q({ $top: '50' }));
    const b = await get(await generated(), q({ $top: '50' }));
    expect(a.body.value).toEqual(b.body.value);
    const c = await get(await generated({ seed: 8 }), q({ $top: '50' }));
    expect(c.body.value).not.toEqual(a.body.value);
    expect(a.body.value[0]).toMatchObject({
      userId: expect.any(String),
      userPrincipalName: expect.stringMatching(/@bench\.test$/),
      appId: expect.any(String),
      clientAppUsed: expect.any(String),
      location: { city: expect.any(String), countryOrRegion: expect.any(String) },
      status: { errorCode: expect.any(Number) },
      authenticationRequirement: expect.stringMatching(/^(single|multi)FactorAuthentication$/),
      isInteractive: true,
    });
    expect(a.body.value[0].authenticationDetails[0]).toHaveProperty('authenticationStepResultDetail');
  });

  it("one user's sign-ins, and successful single-factor ones, filtered lazily", async () => {
    const forced = users[31_337]!.id;
    const s = await generated({ singleFactorUsers: [forced] });
    const mine = await get(s, q({ $top: '1000', $filter: `userId eq '${forced}'` }));
    expect(mine.body.value).toHaveLength(20);
    expect(mine.body['@odata.nextLink']).toBeUndefined();
    expect(mine.body.value.every((r: { userId: string }) => r.userId === forced)).toBe(true);
    const single = await get(
      s,
      q({
        $top: '1000',
        $filter: `createdDateTime ge 2025-06-01T00:00:00Z and userId eq '${forced}' and status/errorCode eq 0 and authenticationRequirement eq 'singleFactorAuthentication'`,
      }),
    );
    expect(single.body.value.length).toBeGreaterThan(10);
    const all = await get(
      s,
      q({
        $top: '500',
        $filter: "status/errorCode eq 0 and authenticationRequirement eq 'singleFactorAuthentication'",
      }),
    );
    expect(all.body.value).toHaveLength(500);
    expect(
      all.body.value.every(
        (r: { status: { errorCode: number }; authenticationRequirement: string; authenticationDetails: unknown[] }) =>
          r.status.errorCode === 0 &&
          r.authenticationRequirement === 'singleFactorAuthentication' &&
          r.authenticationDetails.length === 1,
      ),
    ).toBe(true);
    expect(all.body['@odata.nextLink']).toBeDefined();
  });
});
