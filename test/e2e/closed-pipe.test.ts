import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../../bin/mfa-audit.js', import.meta.url));

describe('a reader that closes the pipe early (| head)', () => {
  it('ends quietly: no stack trace on stderr, the audit exit code kept', async () => {
    const child = spawn(process.execPath, [bin, 'tenant', '--demo', '--format', 'json', '--verbose'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).not.toMatch(/EPIPE|at .*\.js:\d+/);
    expect(code).toBe(1);
  });
});
