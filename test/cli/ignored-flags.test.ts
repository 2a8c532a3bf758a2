/**
 * Flags a command would ignore are refused (exit 2, one line naming them), and a missing option value names the
 * option that lacks it.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { memoryIo } from '../helpers/io.js';

async function run(args: string[], input?: string) {
  const io = memoryIo({ input });
  const code = await runCli(args, io);
  return { code, out: io.out(), err: io.err() };
}

function expectUsageError(result: { code: number; err: string; out: string }, pattern: RegExp): void {
  expect(result.code).toBe(2);
  expect(result.out).toBe('');
  expect(result.err.trim().split('\n')).toHaveLength(1);
  expect(result.err).toMatch(pattern);
}

describe('sign-in flags where nothing signs in', () => {
  it.each([
    [['--client-id', 'app'], '--client-id is'],
    [['--device-code'], '--device-code is'],
    [['--certificate', 'app.pem', '--client-secret-env', 'X'], '--certificate and --client-secret-env are'],
    [['--federated-token-file', 'f', '--authority', 'https://login.microsoftonline.us'], '--federated-token-file'],
    [['--graph-url', 'https://graph.microsoft.us'], '--graph-url is'],
  ])('tenant --demo %j is refused', async (flags, named) => {
    const r = await run(['tenant', '--demo', ...flags]);
    expectUsageError(r, /^mfa-audit: tenant: .* for live audits \(--tenant-id\); --demo reads the bundled demo tenant/);
    expect(r.err).toContain(named);
  });

  it('tenant --snapshot with a sign-in flag is refused before the snapshot is read', async () => {
    const r = await run(['tenant', '--snapshot', 'does-not-exist.json', '--device-code']);
    expectUsageError(r, /tenant: --device-code is for live audits \(--tenant-id\); --snapshot reads a saved snapshot/);
  });

  it("--graph-url's own default is no flag given: --demo runs", async () => {
    const r = await run(['tenant', '--demo', '--format', 'json', '--now', '2026-11-21T12:00:00Z']);
    expect(r.code).toBe(1);
    expect(r.err).toBe('');
  });

  it('plan --demo with a sign-in flag is refused', async () => {
    const r = await run(['plan', '--demo', '--remove', 'x', '--client-id', 'app']);
    expectUsageError(r, /^mfa-audit: plan: --client-id is for live audits \(--tenant-id\); --demo reads/);
  });

  it('token sign-in flags without --acquire are refused, naming each', async () => {
    const r = await run(['token', '--tenant-id', 'contoso.onmicrosoft.com', 'a.b.c']);
    expectUsageError(r, /^mfa-audit: token: --tenant-id only works with --acquire; .*add --acquire, or leave it out$/m);
    const more = await run(['token', '--client-id', 'app', '--refresh-token-env', 'RT', '-'], 'a.b.c');
    expectUsageError(more, /token: --client-id and --refresh-token-env only work with --acquire/);
  });
});

describe('plan and diff gate on the change', () => {
  it.each(['--baseline', '--write-baseline'])('diff refuses %s', async (flag) => {
    const r = await run(['diff', 'old.json', 'new.json', flag, 'b.json']);
    expectUsageError(r, new RegExp(`^mfa-audit: diff: ${flag} is for 'tenant'; diff gates on the change`));
  });

  it('diff of two reports refuses the flags that say how to audit a snapshot', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mfa-audit-ignored-'));
    const report = await run(['tenant', '--demo', '--format', 'json', '--now', '2026-11-21T12:00:00Z']);
    writeFileSync(join(dir, 'report.json'), report.out);
    const io = memoryIo({ cwd: dir });
    const code = await runCli(['diff', 'report.json', 'report.json', '--break-glass', 'bg@contoso.com'], io);
    expect(code).toBe(2);
    expect(io.err()).toMatch(/^mfa-audit: diff: --break-glass applies to snapshots, which are audited; both files/);
  });
});

describe('a missing option value', () => {
  it('names the option and the help of its command', async () => {
    expectUsageError(
      await run(['tenant', '--snapshot']),
      /^mfa-audit: --snapshot needs a value: --snapshot <file> \(see 'mfa-audit tenant --help'\)$/m,
    );
    expectUsageError(
      await run(['tenant', '--demo', '-f']),
      /^mfa-audit: --format needs a value: --format <format> \(see 'mfa-audit tenant --help'\)$/m,
    );
    expectUsageError(
      await run(['token', '--acquire', '--tenant-id']),
      /^mfa-audit: --tenant-id needs a value: --tenant-id <id> \(see 'mfa-audit token --help'\)$/m,
    );
  });

  it('an option is not taken as the value of the option before it', async () => {
    expectUsageError(
      await run(['tenant', '--snapshot', '--demo']),
      /^mfa-audit: --snapshot needs a value \(--snapshot <file>\), but the next word is the option --demo$/m,
    );
    expectUsageError(
      await run(['tenant', '--demo', '--output', '-f', 'json']),
      /^mfa-audit: --output needs a value \(--output <file>\), but the next word is the option -f$/m,
    );
    expectUsageError(
      await run(['plan', '--demo', '--remove', '--policies=x']),
      /^mfa-audit: --remove needs a value \(--remove <id>\), but the next word is the option --policies=x$/m,
    );
  });

  it('a value that only starts with a dash is still a value', async () => {
    const r = await run(['tenant', '--demo', '--service-accounts', '-svc$', '--format', 'json', '--now', '2026-11-21']);
    expect(r.code).toBe(1);
  });

  it('an unknown command points to the program help', async () => {
    expectUsageError(await run(['tenantt']), /\(see 'mfa-audit --help'\)$/m);
  });
});
