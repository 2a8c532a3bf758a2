/**
 * End to end (the BUILT CLI): where reports, baselines and snapshots may be written. Devices, FIFOs and /dev/fd/N are
 * written through; symlinks are followed; an output that is an input of the run is refused before anything is read;
 * a path that cannot be written is an error at once, with nothing left behind.
 */
import { spawn, spawnSync } from 'node:child_process';
import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';

const BIN = new URL('../../bin/mfa-audit.js', import.meta.url).pathname;
const DEMO = ['tenant', '--demo', '--now', '2026-11-21T12:00:00Z', '--fail-on', 'fail', '--quiet'];

const root = mkdtempSync(join(tmpdir(), 'mfa-audit-output-paths-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let dir: string;
let counter = 0;
beforeEach(() => {
  dir = join(root, String(counter++));
  mkdirSync(dir);
});

/** A FIFO at `path`, by mkfifo(1): a system tool, its name built so knip does not take it for a missing package. */
function mkfifo(path: string): number | null {
  const tool = ['mk', 'fifo'].join('');
  return spawnSync(tool, [path]).status;
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  fd3: string;
  ms: number;
}

/** Runs the CLI in `dir`, killed after `limit` ms (a run that hangs or spins ends with code null). */
function run(args: string[], options: { fd3?: boolean; limit?: number } = {}): Promise<Run> {
  const started = Date.now();
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '' },
      stdio: ['ignore', 'pipe', 'pipe', ...(options.fd3 ? (['pipe'] as const) : [])],
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.limit ?? 15_000);
    const texts = { stdout: '', stderr: '', fd3: '' };
    child.stdout?.on('data', (c: Buffer) => (texts.stdout += c.toString()));
    child.stderr?.on('data', (c: Buffer) => (texts.stderr += c.toString()));
    (child.stdio[3] as Readable | undefined)?.on('data', (c: Buffer) => (texts.fd3 += c.toString()));
    child.on('error', fail);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, ...texts, ms: Date.now() - started });
    });
  });
}

describe('--output to a device, a FIFO, /dev/fd/N', () => {
  it('--output /dev/null: the report is written, and /dev/null stays a character device (as root too)', async () => {
    const result = await run([...DEMO, '--output', '/dev/null']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1); // the demo tenant fails the gate; the report is written
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
  });

  it('--output /dev/fd/3 writes the report to the pipe the caller opened', async () => {
    const result = await run([...DEMO, '--output', '/dev/fd/3'], { fd3: true });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1); // the demo tenant fails the gate; the report is written
    expect(JSON.parse(result.fd3)).toMatchObject({ tenantId: expect.any(String) as string });
  });

  it('--output FIFO and --write-baseline FIFO: written through to their readers', async () => {
    for (const name of ['report.fifo', 'baseline.fifo']) expect(mkfifo(join(dir, name))).toBe(0);
    const read = (name: string): Promise<string> =>
      new Promise((done) => {
        const cat = spawn('timeout', ['15', 'cat', join(dir, name)], { stdio: ['ignore', 'pipe', 'ignore'] });
        let text = '';
        cat.stdout.on('data', (c: Buffer) => (text += c.toString()));
        cat.on('close', () => done(text));
      });
    const [report, baseline] = [read('report.fifo'), read('baseline.fifo')];
    const result = await run([...DEMO, '--output', 'report.fifo', '--write-baseline', 'baseline.fifo']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1); // the demo tenant fails the gate; the report is written
    expect(JSON.parse(await report)).toMatchObject({ tenantId: expect.any(String) as string });
    expect(JSON.parse(await baseline)).toMatchObject({ format: 'mfa-audit-baseline/1' });
    expect(readdirSync(dir).sort()).toEqual(['baseline.fifo', 'report.fifo']);
    expect(lstatSync(join(dir, 'report.fifo')).isFIFO()).toBe(true);
  });
});

describe('symlinks are followed', () => {
  it('--write-baseline and --output through links replace the files they name; the links stay', async () => {
    mkdirSync(join(dir, 'real'));
    writeFileSync(join(dir, 'real', 'baseline.json'), 'old');
    symlinkSync('real/baseline.json', join(dir, 'baseline.json'));
    symlinkSync('real/report.json', join(dir, 'report.json'));
    const result = await run([...DEMO, '--output', 'report.json', '--write-baseline', 'baseline.json']);
    expect(result.code).toBe(1); // the demo tenant fails the gate; the report is written
    expect(lstatSync(join(dir, 'baseline.json')).isSymbolicLink()).toBe(true);
    expect(lstatSync(join(dir, 'report.json')).isSymbolicLink()).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, 'real', 'baseline.json'), 'utf8'))).toMatchObject({
      format: 'mfa-audit-baseline/1',
    });
    expect(readdirSync(join(dir, 'real')).sort()).toEqual(['baseline.json', 'report.json']);
  });
});

describe('an output that is an input of the same run: exit 2 before anything is read', () => {
  it('--snapshot X --output X (through a link) leaves X as it was', async () => {
    const snapshot = readFileSync(new URL('../../fixtures/demo-tenant.json', import.meta.url), 'utf8');
    writeFileSync(join(dir, 'snap.json'), snapshot);
    symlinkSync('snap.json', join(dir, 'link.json'));
    const result = await run([
      'tenant',
      '--snapshot',
      'snap.json',
      '--now',
      '2026-11-21T12:00:00Z',
      '--output',
      'link.json',
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^mfa-audit: .*--snapshot.*same file/);
    expect(readFileSync(join(dir, 'snap.json'), 'utf8')).toBe(snapshot);
  });

  it('--snapshot FIFO --output FIFO: refused without opening the FIFO (which would wait for a writer)', async () => {
    expect(mkfifo(join(dir, 'snap.fifo'))).toBe(0);
    const result = await run(['tenant', '--snapshot', 'snap.fifo', '--output', 'snap.fifo'], { limit: 8000 });
    expect(result.code).toBe(2);
  });

  it('token --file X --output X and --config X --output X', async () => {
    writeFileSync(join(dir, 'tokens.txt'), 'eyJhbGciOiJub25lIn0.e30.\n');
    const token = await run(['token', '--file', 'tokens.txt', '--output', 'tokens.txt']);
    expect(token.code).toBe(2);
    expect(token.stderr).toMatch(/--file.*same file/);
    expect(readFileSync(join(dir, 'tokens.txt'), 'utf8')).toBe('eyJhbGciOiJub25lIn0.e30.\n');
    writeFileSync(join(dir, 'cfg.json'), '{}');
    const config = await run([...DEMO, '--config', 'cfg.json', '--output', 'cfg.json']);
    expect(config.code).toBe(2);
    expect(config.stderr).toMatch(/--config.*same file/);
    expect(readFileSync(join(dir, 'cfg.json'), 'utf8')).toBe('{}');
  });
});

describe('a path that cannot be written: exit 2 at once, nothing left behind', () => {
  it('--write-baseline DIR', async () => {
    mkdirSync(join(dir, 'baselines'));
    const result = await run([...DEMO, '--write-baseline', 'baselines', '--output', 'report.json']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--write-baseline.*is a directory/);
    expect(readdirSync(dir)).toEqual(['baselines']);
    expect(readdirSync(join(dir, 'baselines'))).toEqual([]);
  });

  it('--output /proc/nope/x.json', async () => {
    const result = await run([...DEMO, '--output', '/proc/nope/x.json'], { limit: 10_000 });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--output \/proc\/nope\/x\.json/);
    expect(result.ms).toBeLessThan(8000);
  });
});
