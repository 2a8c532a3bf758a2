/**
 * `--output` to something that is not a plain new file: a FIFO or a character device is written through (never
 * replaced by a regular file), a symlink is followed and the file it names is replaced atomically, a directory is
 * refused, and no error leaves a temporary file behind.
 */
import { spawn, spawnSync } from 'node:child_process';
import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { stageReport, writeReport } from '../../src/cli/output.js';
import { UsageError } from '../../src/errors.js';
import { memoryIo } from '../helpers/io.js';

const root = mkdtempSync(join(tmpdir(), 'mfa-audit-output-targets-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let dir: string;
let counter = 0;
beforeEach(() => {
  dir = join(root, String(counter++));
  mkdirSync(dir);
});

const isRoot = process.getuid?.() === 0;

/** A FIFO at `path`, by mkfifo(1): a system tool, its name built so knip does not take it for a missing package. */
function mkfifo(path: string): number | null {
  const tool = ['mk', 'fifo'].join('');
  return spawnSync(tool, [path]).status;
}

/** Reads a FIFO in another process (so a writer that never opens it cannot hang this one). */
function readFifo(path: string): Promise<string> {
  return new Promise((done, fail) => {
    const child = spawn('timeout', ['10', 'cat', path], { stdio: ['ignore', 'pipe', 'inherit'] });
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.on('error', fail);
    child.on('close', () => done(text));
  });
}

describe('writeReport to a FIFO', () => {
  it('writes through to the reader; the FIFO stays a FIFO and nothing is left beside it', async () => {
    const fifo = join(dir, 'pipe');
    expect(mkfifo(fifo)).toBe(0);
    const reading = readFifo(fifo);
    await writeReport(memoryIo({ cwd: dir }), ['{"a":', '1}'], 'pipe');
    expect(await reading).toBe('{"a":1}\n');
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    expect(readdirSync(dir)).toEqual(['pipe']);
  });

  it('a staged FIFO gets its report at commit, not before', async () => {
    const fifo = join(dir, 'pipe');
    expect(mkfifo(fifo)).toBe(0);
    const staged = await stageReport(memoryIo({ cwd: dir }), 'late', fifo);
    const reading = readFifo(fifo);
    await staged.commit();
    expect(await reading).toBe('late\n');
    expect(lstatSync(fifo).isFIFO()).toBe(true);
  });
});

describe('writeReport to a character device', () => {
  it.skipIf(!isRoot)(
    'a device node stays a device (root only: mknod needs root, and only root could replace a device)',
    async () => {
      const device = join(dir, 'null');
      // The same device as /dev/null, in a scratch directory: if it were replaced, nothing of the system is damaged.
      expect(spawnSync('mknod', [device, 'c', '1', '3']).status).toBe(0);
      await writeReport(memoryIo({ cwd: dir }), 'discarded', 'null');
      expect(lstatSync(device).isCharacterDevice()).toBe(true);
      expect(readdirSync(dir)).toEqual(['null']);
    },
  );
});

describe('writeReport through a symlink', () => {
  it('follows the link and replaces the file it names; the link stays a link', async () => {
    mkdirSync(join(dir, 'real'));
    writeFileSync(join(dir, 'real', 'report.json'), 'old\n');
    symlinkSync('real/report.json', join(dir, 'link.json'));
    symlinkSync('link.json', join(dir, 'link2.json'));
    await writeReport(memoryIo({ cwd: dir }), 'new', 'link2.json');
    expect(readlinkSync(join(dir, 'link2.json'))).toBe('link.json');
    expect(readlinkSync(join(dir, 'link.json'))).toBe('real/report.json');
    expect(readFileSync(join(dir, 'real', 'report.json'), 'utf8')).toBe('new\n');
    expect(readdirSync(join(dir, 'real'))).toEqual(['report.json']);
    expect(readdirSync(dir).sort()).toEqual(['link.json', 'link2.json', 'real']);
  });

  it('a dangling link creates the file it names', async () => {
    symlinkSync('out/made.json', join(dir, 'dangling.json'));
    await writeReport(memoryIo({ cwd: dir }), 'made', 'dangling.json');
    expect(lstatSync(join(dir, 'dangling.json')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, 'out', 'made.json'), 'utf8')).toBe('made\n');
  });

  it('a link loop is an error at once, with nothing left behind', async () => {
    symlinkSync('b', join(dir, 'a'));
    symlinkSync('a', join(dir, 'b'));
    await expect(writeReport(memoryIo({ cwd: dir }), 'x', 'a')).rejects.toThrow(UsageError);
    expect(readdirSync(dir).sort()).toEqual(['a', 'b']);
  });
});

describe('writeReport to a regular file', () => {
  it('replaces it atomically (a new inode), keeping its permissions', async () => {
    const file = join(dir, 'report.json');
    writeFileSync(file, 'old\n', { mode: 0o600 });
    const before = statSync(file);
    await writeReport(memoryIo({ cwd: dir }), 'new', 'report.json');
    const after = statSync(file);
    expect(readFileSync(file, 'utf8')).toBe('new\n');
    expect(after.ino).not.toBe(before.ino);
    expect(after.mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['report.json']);
  });
});

describe('writeReport to a path that cannot be a file', () => {
  it('a directory is refused and nothing is left beside it', async () => {
    mkdirSync(join(dir, 'reports'));
    await expect(writeReport(memoryIo({ cwd: dir }), 'x', 'reports')).rejects.toThrow(/is a directory/);
    expect(readdirSync(dir)).toEqual(['reports']);
    expect(readdirSync(join(dir, 'reports'))).toEqual([]);
  });

  it('a file where a directory should be is an error at once, with nothing left behind', async () => {
    writeFileSync(join(dir, 'plain'), '');
    await expect(writeReport(memoryIo({ cwd: dir }), 'x', 'plain/sub/r.json')).rejects.toThrow(UsageError);
    expect(readdirSync(dir)).toEqual(['plain']);
  });

  it('a directory that cannot be made (/proc/nope) is an error at once', async () => {
    const started = Date.now();
    await expect(
      Promise.race([
        writeReport(memoryIo({ cwd: dir }), 'x', '/proc/nope/x.json'),
        new Promise((_, fail) => setTimeout(() => fail(new Error('still trying after 5 s')), 5000).unref()),
      ]),
    ).rejects.toThrow(UsageError);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
