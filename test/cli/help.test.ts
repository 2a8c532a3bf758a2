/** `--help`: grouped like gh's, defaults stated, examples that run as written, every line within 80 columns. */
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { memoryIo } from '../helpers/io.js';

async function help(args: string[], columns = '80'): Promise<string> {
  const io = memoryIo({ env: { COLUMNS: columns } });
  expect(await runCli([...args, '--help'], io)).toBe(0);
  expect(io.err()).toBe('');
  return io.out();
}

const COMMANDS = ['token', 'tenant', 'plan', 'diff'] as const;

describe('--help', () => {
  it.each([[[]], ...COMMANDS.map((c) => [[c]])])('%j: every line fits in 80 columns', async (args) => {
    for (const columns of ['80', '200', '']) {
      const long = (await help(args, columns)).split('\n').filter((line) => [...line].length > 80);
      expect(long).toEqual([]);
    }
  });

  it('groups the options of each command: input, checks, sign-in, output, CI, in that order', async () => {
    const groups: Record<(typeof COMMANDS)[number], string[]> = {
      token: ['Input:', 'Checks:', 'Sign-in:', 'Output:', 'CI:'],
      tenant: ['Input:', 'Checks:', 'Sign-in:', 'Output:', 'CI:'],
      plan: ['Input:', 'Sign-in:', 'Output:', 'CI:'],
      diff: ['Input:', 'Output:', 'CI:'],
    };
    for (const command of COMMANDS) {
      const headings = (await help([command])).split('\n').filter((line) => /^[A-Z][\w -]*:$/.test(line));
      expect(headings.filter((h) => !['Arguments:', 'Examples:'].includes(h))).toEqual(groups[command]);
    }
  });

  it('puts each option in its group', async () => {
    const text = await help(['tenant']);
    const section = (heading: string) => text.split(`\n${heading}\n`)[1]?.split('\n\n')[0] ?? '';
    expect(section('Input:')).toMatch(/--snapshot <file>[\s\S]*--break-glass/);
    expect(section('Checks:')).toMatch(/--confirm-budget <n>/);
    expect(section('Sign-in:')).toMatch(/--device-code[\s\S]*--graph-url <url>/);
    expect(section('Output:')).toMatch(/--format <format>[\s\S]*--save-snapshot <file>[\s\S]*--help/);
    expect(section('CI:')).toMatch(/--baseline <file>[\s\S]*--fail-on <verdict>/);
  });

  it('states the defaults', async () => {
    const token = (await help(['token'])).replace(/\s+/g, ' ');
    expect(token).toContain('(default: "partner-center")');
    expect(token).toContain('(default: table on a terminal, else json)');
    expect(token).toContain('(default: unknown)');
    expect(token).toContain('(default: ./mfa-audit.config.json when present)');
    expect(token).toContain('default: https://login.microsoftonline.com');
    expect(token).toContain("(default: the profile's)");
    const tenant = (await help(['tenant'])).replace(/\s+/g, ' ');
    expect(tenant).toContain('(default: "https://graph.microsoft.com")');
    expect(tenant).toContain('(default: 20)');
    expect(tenant).toContain('default: AZURE_CLIENT_SECRET');
    expect(tenant).toContain('(default: now;');
  });

  it('shows plan and diff no baseline flags (they gate on the change)', async () => {
    for (const command of ['plan', 'diff']) {
      const text = await help([command]);
      expect(text).not.toContain('--baseline');
      expect(text).not.toContain('--strict');
      expect(text).toContain('--fail-on');
    }
  });

  it('writes every example as mfa-audit, and teaches stdin and the az pipe', async () => {
    for (const args of [[], ...COMMANDS.map((c) => [c])]) {
      const examples = (await help(args)).split('\n').filter((line) => line.startsWith('  $ '));
      expect(examples.length).toBeGreaterThan(0);
      for (const line of examples) expect(line).toMatch(/^ {2}\$ (mfa-audit |pbpaste \| mfa-audit |az |export )/);
    }
    expect(await help(['token'])).toContain('--query accessToken -o tsv');
  });

  it('`help tenant` is the same as `tenant --help`', async () => {
    const io = memoryIo({ env: { COLUMNS: '80' } });
    expect(await runCli(['help', 'tenant'], io)).toBe(0);
    expect(io.out()).toBe(await help(['tenant']));
  });
});

describe('mfa-audit without a command', () => {
  it('prints the help on stderr and exits 2 (nothing ran)', async () => {
    const io = memoryIo({ env: { COLUMNS: '80' } });
    expect(await runCli([], io)).toBe(2);
    expect(io.out()).toBe('');
    expect(io.err()).toMatch(/^Usage: mfa-audit \[options\] \[command\]/);
    expect(io.err()).toContain('Commands:');
    expect(io.err()).toContain('Exit codes:');
  });
});
