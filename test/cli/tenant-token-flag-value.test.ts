/** A token given as a flag's value is refused, and never repeated, by both commands (one guard: cli/secret-guard.ts). */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { loadClaims, rawToken } from '../helpers/tokens.js';
import { memoryIo } from '../helpers/io.js';

const TOKEN = rawToken(
  '{"alg":"RS256","typ":"JWT"}',
  JSON.stringify(loadClaims('pc-v1-app-user-mfa')),
  'c2lnbmF0dXJlLW9mLWEtdGVzdC10b2tlbi10aGF0LWlzLWxvbmc',
);
const [, PAYLOAD = '', SIGNATURE = ''] = TOKEN.split('.');
const NOW = ['--now', '2026-11-21T12:00:00Z'];

async function cli(args: string[]) {
  const io = memoryIo({ cwd: mkdtempSync(join(tmpdir(), 'mfa-audit-flag-value-')) });
  const code = await runCli(args, io);
  return { code, out: io.out(), err: io.err() };
}

function expectRefusedUnseen(r: { code: number; out: string; err: string }, message: RegExp) {
  expect(r.code).toBe(2);
  expect(r.out).toBe('');
  expect(r.err).toMatch(message);
  for (const secret of [TOKEN, PAYLOAD, SIGNATURE]) {
    expect(r.out + r.err).not.toContain(secret);
  }
  expect(r.err.trim().split('\n')).toHaveLength(1);
}

describe('tenant: a token as a flag value', () => {
  const cases: [string, string[]][] = [
    ['--snapshot', ['--snapshot', TOKEN]],
    ['--baseline', ['--demo', ...NOW, '--baseline', TOKEN]],
    ['--config', ['--demo', ...NOW, '--config', TOKEN]],
    ['--now', ['--demo', '--now', TOKEN]],
    ['--output', ['--demo', ...NOW, '--output', TOKEN]],
    ['--output=', ['--demo', ...NOW, `--output=${TOKEN}`]],
    ['-f', ['--demo', ...NOW, '-f', TOKEN, '-f', 'json']],
    ['--tenant-id', ['--tenant-id', TOKEN]],
  ];
  for (const [flag, args] of cases) {
    it(`refuses ${flag} without showing the token`, async () => {
      expectRefusedUnseen(await cli(['tenant', ...args]), /looks like an access token \(not shown\)/);
    });
  }

  it('names the flag', async () => {
    const r = await cli(['tenant', '--demo', '--now', TOKEN]);
    expect(r.err).toMatch(/the value of --now looks like an access token/);
  });
});

describe('both commands: errors commander itself raises never repeat a token', () => {
  for (const command of [
    ['tenant', '--demo', ...NOW],
    ['token', TOKEN, ...NOW],
  ]) {
    it(`${command[0]} --fail-on TOKEN`, async () => {
      expectRefusedUnseen(await cli([...command, '--fail-on', TOKEN]), /--fail-on/);
    });
    it(`${command[0]} --unknown=TOKEN`, async () => {
      expectRefusedUnseen(await cli([...command, `--unknown=${TOKEN}`]), /unknown option/);
    });
  }
});

describe('before any command', () => {
  it.each([[[`--x=${TOKEN}`]], [[TOKEN]], [['--bogus', TOKEN]]])(
    '%j: exit 2, the token never repeated',
    async (args) => {
      const r = await cli(args);
      expect(r.code).toBe(2);
      for (const part of [PAYLOAD, SIGNATURE]) expect(r.out + r.err).not.toContain(part);
    },
  );
});

describe('an output that is the config file', () => {
  it('is refused before the config is read (a broken config is not even parsed)', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'mfa-audit-config-output-'));
    writeFileSync(join(cwd, 'c.json'), '{ not json');
    const io = memoryIo({ cwd });
    const code = await runCli(['tenant', '--demo', '--config', 'c.json', '--output', 'c.json'], io);
    expect(code).toBe(2);
    expect(io.err()).toMatch(/--output c\.json and --config c\.json are the same file/);
  });
});
