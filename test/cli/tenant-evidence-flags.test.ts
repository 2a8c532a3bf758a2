/** `tenant --confirm/--no-confirm, --confirm-budget, --sign-ins`: checked before anything is read or collected. */
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { memoryIo } from '../helpers/io.js';

const NOW = ['--now', '2026-11-21T12:00:00Z'];

async function tenant(args: string[]) {
  const io = memoryIo();
  const code = await runCli(['tenant', ...args], io);
  return { code, out: io.out(), err: io.err() };
}

describe('tenant evidence flags', () => {
  it.each([
    [['--confirm-budget', 'many'], /--confirm-budget 'many' must be a whole number \(0 or more\)/],
    [['--confirm-budget', '-1'], /--confirm-budget '-1' must be a whole number/],
    [['--confirm-budget', '1.5'], /--confirm-budget '1.5' must be a whole number/],
    [['--sign-ins', '31'], /--sign-ins '31' must be a whole number from 0 to 30/],
    [['--sign-ins', 'week'], /--sign-ins 'week' must be a whole number from 0 to 30/],
  ])('refuses %j (exit 2, one line)', async (flags, message) => {
    const r = await tenant(['--tenant-id', 'contoso.onmicrosoft.com', ...flags, ...NOW]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.out).toBe('');
  });

  it('refuses collecting evidence offline, and says why', async () => {
    for (const flags of [['--confirm'], ['--sign-ins', '7']]) {
      const r = await tenant(['--demo', ...flags, ...NOW]);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(
        /collects evidence live \(--tenant-id\); --snapshot and --demo use what the snapshot holds/,
      );
    }
  });

  it('takes --no-confirm and --confirm-budget offline (the demo has no What If answers: the same report)', async () => {
    const plain = await tenant(['--demo', ...NOW]);
    const flagged = await tenant(['--demo', '--no-confirm', '--confirm-budget', '0', ...NOW]);
    expect(flagged.code).toBe(plain.code);
    expect(flagged.out).toBe(plain.out);
  });

  it('--help teaches the flags', async () => {
    const r = await tenant(['--help']);
    const help = r.out + r.err;
    for (const flag of ['--confirm', '--no-confirm', '--confirm-budget <n>', '--sign-ins <days>', 'What If']) {
      expect(help).toContain(flag);
    }
  });
});
