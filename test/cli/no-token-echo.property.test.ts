/**
 * Property: no argument position ever echoes a JWT-shaped value. For both commands, a token is put at every flag
 * value position (`--flag TOKEN`, `--flag=TOKEN`, `-f TOKEN`) and as positional arguments, the CLI runs in-process,
 * and neither stdout nor stderr contains the token's payload or signature segment. The one legitimate place,
 * `token TOKEN`, audits it: the report shows decoded claims, never the compact token or its segments.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildProgram, runCli } from '../../src/cli/main.js';
import { loadClaims, rawToken } from '../helpers/tokens.js';
import { memoryIo } from '../helpers/io.js';

const NOW = ['--now', '2026-11-21T12:00:00Z'];
const VALID = rawToken('{"alg":"RS256","typ":"JWT"}', JSON.stringify(loadClaims('pc-v1-app-user-mfa')));

/** Every flag that takes a value, per command: `long` and, when it has one, `short`. */
function valueFlags(name: 'token' | 'tenant'): { long: string; short?: string }[] {
  const command = buildProgram(memoryIo(), { code: 0 }).commands.find((c) => c.name() === name);
  const flags = (command?.options ?? [])
    .filter((o) => o.required || o.optional)
    .map((o) => ({ long: o.long ?? '', ...(o.short ? { short: o.short } : {}) }));
  expect(flags.length).toBeGreaterThan(10);
  return flags;
}

const base64url = (min: number, max: number) =>
  fc.uint8Array({ minLength: min, maxLength: max }).map((bytes) => Buffer.from(bytes).toString('base64url'));

/** A JWT-shaped value: an `eyJ` header, a payload of claims in Entra's shape, a signature; sometimes `Bearer `. */
const jwtArb = fc
  .record({
    kid: base64url(4, 20),
    upn: fc.emailAddress(),
    aud: fc.constantFrom('fa3d9a0c-3fb0-42cc-9193-47c7ecd2edbd', 'https://graph.microsoft.com', 'api://x'),
    amr: fc.subarray(['pwd', 'mfa', 'rsa', 'ngcmfa']),
    oid: fc.uuid(),
    exp: fc.integer({ min: 1_700_000_000, max: 1_900_000_000 }),
    signature: base64url(32, 256),
    bearer: fc.boolean(),
  })
  .map(({ kid, signature, bearer, ...claims }) => {
    const token = rawToken(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid }), JSON.stringify(claims), signature);
    return { token, given: bearer ? `Bearer ${token}` : token };
  });

interface Run {
  code: number;
  out: string;
  err: string;
}

async function cli(args: string[]): Promise<Run> {
  const io = memoryIo({ cwd: mkdtempSync(join(tmpdir(), 'mfa-audit-echo-')) });
  const code = await runCli(args, io);
  return { code, out: io.out(), err: io.err() };
}

function expectNotEchoed(r: Run, token: string): void {
  const [, payload = '', signature = ''] = token.split('.');
  for (const secret of [token, payload, signature]) {
    expect(r.out).not.toContain(secret);
    expect(r.err).not.toContain(secret);
  }
}

/** The arguments around the one under test: a run that would use the value if nothing refused it. */
function around(command: 'token' | 'tenant', flag: string): string[] {
  if (command === 'token') return ['token', VALID, ...NOW];
  return flag === '--snapshot' || flag === '--tenant-id' ? ['tenant', ...NOW] : ['tenant', '--demo', ...NOW];
}

for (const command of ['token', 'tenant'] as const) {
  const flags = valueFlags(command);

  describe(`${command}: a token at a flag value position is never echoed`, () => {
    for (const flag of flags) {
      it(`${flag.long}${flag.short ? ` / ${flag.short}` : ''}`, async () => {
        await fc.assert(
          fc.asyncProperty(jwtArb, fc.constantFrom('separate', 'equals', 'short'), async ({ token, given }, form) => {
            const at =
              form === 'equals'
                ? [`${flag.long}=${given}`]
                : [form === 'short' && flag.short ? flag.short : flag.long, given];
            const r = await cli([...around(command, flag.long), ...at]);
            expect(r.code).toBe(2);
            expectNotEchoed(r, token);
          }),
          { numRuns: 4 },
        );
      });
    }
  });

  describe(`${command}: a token anywhere in the arguments`, () => {
    it('at any position, before or after any flag: never echoed (token: only audited)', async () => {
      await fc.assert(
        fc.asyncProperty(
          jwtArb,
          fc.integer({ min: 0, max: flags.length - 1 }),
          fc.nat(),
          async ({ token, given }, which, where) => {
            const flag = flags[which]?.long ?? '--now';
            const args = [...around(command, flag).slice(1), flag, given];
            const at = where % (args.length + 1);
            const r = await cli([command, ...args.slice(0, at), given, ...args.slice(at)]);
            expectNotEchoed(r, token);
          },
        ),
        { numRuns: 40 },
      );
    });
  });
}

describe('token TOKEN: the legitimate position', () => {
  it('audits it, and the report never holds the compact token or its payload and signature segments', async () => {
    await fc.assert(
      fc.asyncProperty(
        jwtArb,
        fc.constantFrom('json', 'table', 'markdown', 'csv', 'junit', 'sarif', 'html'),
        async ({ token, given }, format) => {
          const r = await cli(['token', given, ...NOW, '--format', format, '--verbose']);
          expect([0, 1]).toContain(r.code);
          expect(r.out).not.toBe('');
          expectNotEchoed(r, token);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('as one of several positional tokens', async () => {
    await fc.assert(
      fc.asyncProperty(jwtArb, jwtArb, async (a, b) => {
        const r = await cli(['token', VALID, a.given, b.given, ...NOW, '--format', 'json']);
        expect([0, 1]).toContain(r.code);
        expectNotEchoed(r, a.token);
        expectNotEchoed(r, b.token);
      }),
      { numRuns: 20 },
    );
  });
});
