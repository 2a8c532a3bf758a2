/** `--now` follows the rule of baseline expiry dates: an instant carries a time zone; a date alone is UTC. */
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { UsageError } from '../../src/errors.js';
import { parseInstant, parseNow } from '../../src/io.js';
import { loadClaims, rawToken } from '../helpers/tokens.js';
import { memoryIo } from '../helpers/io.js';

const TOKEN = rawToken('{"alg":"RS256","typ":"JWT"}', JSON.stringify(loadClaims('pc-v1-app-user-mfa')));

async function cli(args: string[]) {
  const io = memoryIo();
  const code = await runCli(args, io);
  return { code, out: io.out(), err: io.err() };
}

describe('--now without a time zone', () => {
  const io = { now: () => new Date('2026-01-01T00:00:00Z') };

  for (const bare of ['2026-11-21T12:00:00', '2026-11-21T12:00', '2026-11-21T12:00:00.123', '2026-11-21 12:00:00']) {
    it(`parseNow refuses ${bare}, asking for a zone`, () => {
      expect(() => parseNow(bare, io)).toThrow(UsageError);
      expect(() => parseNow(bare, io)).toThrow(/time zone/);
      expect(parseInstant(bare)).toBeUndefined();
    });
  }

  it('accepts an instant with Z or an offset', () => {
    expect(parseNow('2026-11-21T12:00:00Z', io).toISOString()).toBe('2026-11-21T12:00:00.000Z');
    expect(parseNow('2026-11-21T13:00:00+01:00', io).toISOString()).toBe('2026-11-21T12:00:00.000Z');
    expect(parseNow('2026-11-21T12:00:00.5Z', io).toISOString()).toBe('2026-11-21T12:00:00.500Z');
  });

  it('reads a date alone as midnight UTC, and says so in the error text', () => {
    expect(parseNow('2026-11-21', io).toISOString()).toBe('2026-11-21T00:00:00.000Z');
    expect(() => parseNow('2026-11-21T12:00:00', io)).toThrow(/a date alone .*midnight UTC/);
  });

  it('refuses dates that do not exist, as baseline expiry does', () => {
    expect(() => parseNow('2026-02-30', io)).toThrow(UsageError);
  });

  it('tenant: exit 2 with one line naming the missing zone', async () => {
    const r = await cli(['tenant', '--demo', '--now', '2026-11-21T12:00:00']);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/^mfa-audit: --now '2026-11-21T12:00:00' has no time zone/);
  });

  it('token: exit 2 with one line naming the missing zone', async () => {
    const r = await cli(['token', TOKEN, '--now', '2026-11-21T12:00:00']);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/--now 2026-11-21T12:00:00 has no time zone/);
  });

  it('tenant and token: a date alone is midnight UTC', async () => {
    const tenant = await cli(['tenant', '--demo', '--now', '2026-11-21', '--format', 'json']);
    expect(JSON.parse(tenant.out).generatedAt).toBe('2026-11-21T00:00:00.000Z');
  });
});
