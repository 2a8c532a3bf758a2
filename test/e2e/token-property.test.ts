/**
 * Property: whatever is fed in as a token, the CLI either audits it (exit 0/1/3, JSON, nothing on stderr) or refuses
 * it with exactly one line on stderr and exit 2 — never a stack trace, never the token echoed. Most runs go through
 * runCli in-process; a few spawn the built CLI.
 */
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { memoryIo } from '../helpers/io.js';
import { b64url, generateTestKey, signFixture } from '../helpers/tokens.js';

const BIN = new URL('../../bin/mfa-audit.js', import.meta.url).pathname;
const ARGS = ['token', '--now', '2026-11-21T12:00:00Z', '--format', 'json'];
let valid: string;

beforeAll(async () => {
  valid = await signFixture('pc-v1-app-user-mfa', await generateTestKey());
});

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

async function inProcess(input: string): Promise<Outcome> {
  const io = memoryIo({ input });
  const code = await runCli([...ARGS, '-'], io);
  return { code, stdout: io.out(), stderr: io.err() };
}

function expectRefused(outcome: Outcome, input: string): void {
  expect(outcome.code).toBe(2);
  expect(outcome.stdout).toBe('');
  const lines = outcome.stderr.split('\n');
  expect(lines).toHaveLength(2); // one line and its newline
  expect(lines[1]).toBe('');
  expect(lines[0]).toMatch(/^mfa-audit: /);
  expect(outcome.stderr).not.toMatch(/\bat .*\(.*:\d+:\d+\)|internal error/);
  const token = input.trim();
  if (token.length > 24) expect(outcome.stderr).not.toContain(token);
}

function expectAuditedOrRefused(outcome: Outcome, input: string): void {
  if (outcome.code === 2) {
    expectRefused(outcome, input);
    return;
  }
  expect([0, 1, 3]).toContain(outcome.code);
  expect(outcome.stderr).toBe('');
  expect(JSON.parse(outcome.stdout)).toHaveProperty('results');
}

const parts = () => valid.split('.') as [string, string, string];
const invalidChar = fc.constantFrom('!', '*', '%', '$', '+', '/', ' ', '~', '"', '\\', 'é', '\u0000');
/** JSON values that are not objects. */
const nonObjectJson = fc.jsonValue().filter((v) => v === null || typeof v !== 'object' || Array.isArray(v));
const nonJsonText = fc.string({ minLength: 1 }).filter((s) => {
  try {
    JSON.parse(s);
    return false;
  } catch {
    return true;
  }
});

/** Mutations of a valid token that can never decode. */
const brokenToken = fc.oneof(
  // Wrong number of parts (but not 3).
  fc
    .integer({ min: 0, max: 8 })
    .filter((n) => n !== 2)
    .map((dots) => {
      const [h, p, s] = parts();
      return [h, p, s, p, s, h, p, s, h].slice(0, dots + 1).join('.');
    }),
  // An invalid character inside the header or payload.
  fc.tuple(fc.nat(), invalidChar, fc.boolean()).map(([at, ch, inHeader]) => {
    const [h, p, s] = parts();
    const part = inHeader ? h : p;
    const i = at % part.length;
    const broken = part.slice(0, i) + ch + part.slice(i + 1);
    return inHeader ? `${broken}.${p}.${s}` : `${h}.${broken}.${s}`;
  }),
  // A payload that is JSON but not an object, or not JSON at all.
  nonObjectJson.map((v) => `${parts()[0]}.${b64url(JSON.stringify(v))}.${parts()[2]}`),
  nonJsonText.map((text) => `${parts()[0]}.${b64url(text)}.${parts()[2]}`),
  // A header that is not JSON.
  nonJsonText.map((text) => `${b64url(text)}.${parts()[1]}.${parts()[2]}`),
  // A payload cut to an impossible base64url length.
  fc.nat().map((n) => {
    const [h, p, s] = parts();
    let len = n % p.length;
    while (len % 4 !== 1) len++;
    return `${h}.${p.slice(0, len)}.${s}`;
  }),
  // Random bytes that are not UTF-8 as the payload.
  fc
    .uint8Array({ minLength: 1, maxLength: 64 })
    .filter((bytes) => {
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(bytes);
        return false;
      } catch {
        return true;
      }
    })
    .map((bytes) => `${parts()[0]}.${Buffer.from(bytes).toString('base64url')}.${parts()[2]}`),
);

/** Anything at all: random text, random base64url parts, single-character mutations anywhere. */
const anyInput = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.array(fc.stringMatching(/^[A-Za-z0-9_-]{0,40}$/), { minLength: 1, maxLength: 6 }).map((p) => p.join('.')),
  fc.tuple(fc.nat(), fc.string({ unit: 'binary', minLength: 1, maxLength: 2 })).map(([at, s]) => {
    const i = at % valid.length;
    return valid.slice(0, i) + s + valid.slice(i + 1);
  }),
  fc
    .tuple(fc.nat(), fc.nat())
    .map(([a, b]) => valid.slice(Math.min(a, b) % valid.length, Math.max(a, b) % valid.length)),
);

describe('token input property (fast-check)', () => {
  it('mutated tokens that cannot decode: exactly one line on stderr, exit 2, no stack trace', async () => {
    await fc.assert(
      fc.asyncProperty(brokenToken, fc.constantFrom('', 'Bearer ', '"'), async (token, wrap) => {
        const input = `${wrap}${token}${wrap === '"' ? '"' : ''}\n`;
        expectRefused(await inProcess(input), token);
      }),
      { numRuns: 300 },
    );
  });

  it('any input: audited (0/1/3 with JSON) or refused (one line, exit 2), never a crash', async () => {
    await fc.assert(
      fc.asyncProperty(anyInput, async (input) => {
        expectAuditedOrRefused(await inProcess(input), input);
      }),
      { numRuns: 300 },
    );
  });

  it('the spawned CLI behaves the same on a few samples', () => {
    const samples = [...fc.sample(brokenToken, { numRuns: 4, seed: 42 }), 'not-a-token', 'a.b.c.d.e'];
    for (const token of samples) {
      const child = spawnSync(process.execPath, [BIN, ...ARGS, '-'], {
        input: token + '\n',
        encoding: 'utf8',
        env: { PATH: process.env.PATH ?? '' },
      });
      expectRefused({ code: child.status ?? -1, stdout: child.stdout, stderr: child.stderr }, token);
    }
  });
});
