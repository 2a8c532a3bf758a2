import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { memoryIo } from '../helpers/io.js';

describe('runCli', () => {
  it('exits 2 with one line on an unknown flag', async () => {
    const io = memoryIo();
    const code = await runCli(['--bogus'], io);
    expect(code).toBe(2);
    expect(io.err().trim().split('\n')).toHaveLength(1);
    expect(io.err()).toContain("unknown option '--bogus'");
  });

  it('exits 0 on --help and --version', async () => {
    expect(await runCli(['--help'], memoryIo())).toBe(0);
    const io = memoryIo();
    expect(await runCli(['--version'], io)).toBe(0);
    expect(io.out()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('exits 2 on an unknown subcommand', async () => {
    const io = memoryIo();
    expect(await runCli(['nope'], io)).toBe(2);
    expect(io.err()).toMatch(/^mfa-audit: /);
  });
});
