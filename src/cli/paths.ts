/**
 * What an output path names, once its links are followed, and the rules every output obeys:
 *   - a regular file (or none yet) is replaced atomically: written beside the file its links end at, then renamed;
 *   - a character or block device, a FIFO, a socket and `/dev/fd/N` (`>(…)`, `3>file`) are written through: never
 *     replaced, never given a temporary file beside them;
 *   - a directory, a link loop, an unreadable path: an error at once.
 * Also the identity of a file (device and inode, or its canonical path while it does not exist), so an output can be
 * compared with the inputs of the run and with the other outputs, links resolved.
 */
import { lstatSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import { mkdir, rmdir, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';

/** Where an output's bytes go. */
export type Destination =
  /** Replaced atomically; `path` is the file itself (links followed); `mode` when it exists already. */
  | { kind: 'file'; path: string; mode?: number }
  /** Opened and written as is: a device, a FIFO, a socket, /dev/fd/N. `device` for a character or block device. */
  | { kind: 'through'; path: string; device: boolean };

/** `/dev/fd/3`, `/proc/self/fd/3`, `/proc/1234/task/1234/fd/3`: an open file of the process, whatever it is. */
const FD_PATH = /^\/(?:dev\/fd|proc\/(?:self|thread-self|\d+)(?:\/task\/\d+)?\/fd)\/\d+$/;

/** The descriptor number when `path` names one of this process's own descriptors (/dev/fd/N, /proc/self/fd/N). */
export function ownDescriptor(path: string): number | undefined {
  const match = /^\/(?:dev\/fd|proc\/(self|thread-self|\d+)(?:\/task\/\d+)?\/fd)\/(\d+)$/.exec(path);
  if (!match) return undefined;
  const owner = match[1];
  if (owner !== undefined && /^\d+$/.test(owner) && Number(owner) !== process.pid) return undefined;
  return Number(match[2]);
}

/** As many links as Linux follows before ELOOP. */
const MAX_LINKS = 40;

function errno(message: string, code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(message), { code });
}

/** `path` with its directory's links resolved (when that directory exists), so `..` in a link means what it says. */
function canonicalParent(path: string): string {
  try {
    return join(realpathSync(dirname(path)), basename(path));
  } catch {
    return path;
  }
}

/** What the absolute `path` names for writing, links followed. Throws on a directory, a loop, or a path error. */
export function destinationOf(path: string): Destination {
  let current = resolve(path);
  for (let links = 0; links <= MAX_LINKS; links++) {
    if (FD_PATH.test(current)) return { kind: 'through', path: current, device: false };
    current = canonicalParent(current);
    if (FD_PATH.test(current)) return { kind: 'through', path: current, device: false };
    let found;
    try {
      found = lstatSync(current);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'file', path: current };
      throw error;
    }
    if (found.isSymbolicLink()) {
      current = resolve(dirname(current), readlinkSync(current));
      continue;
    }
    if (found.isDirectory()) throw errno('is a directory', 'EISDIR');
    if (found.isFile()) return { kind: 'file', path: current, mode: found.mode & 0o7777 };
    return { kind: 'through', path: current, device: found.isCharacterDevice() || found.isBlockDevice() };
  }
  throw errno('too many levels of symbolic links', 'ELOOP');
}

/**
 * The identity of a file: device and inode when it exists (links followed, so two names of one file are equal),
 * else its canonical path. Undefined for a character device: /dev/null or a terminal may be read and written alike.
 */
export function fileIdentity(path: string): string | undefined {
  const absolute = resolve(path);
  try {
    const found = statSync(absolute);
    if (found.isCharacterDevice()) return undefined;
    return `inode:${found.dev}:${found.ino}`;
  } catch {
    try {
      return `path:${destinationOf(absolute).path}`;
    } catch {
      return `path:${absolute}`;
    }
  }
}

/** Directories this process made for outputs, so a failed run can remove the ones still empty. */
const made = new Set<string>();

/**
 * `mkdir -p` that ends at the first error: Node's recursive mkdir retries forever where a parent can never be made
 * (`/proc/nope/x`). The directories made are remembered for `removeMadeDirectories`.
 */
export async function makeDirectories(directory: string): Promise<void> {
  const missing: string[] = [];
  for (let current = resolve(directory); ; current = dirname(current)) {
    try {
      if (!(await stat(current)).isDirectory()) throw errno(`${current} is not a directory`, 'ENOTDIR');
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || dirname(current) === current) throw error;
      missing.push(current);
    }
  }
  for (const path of missing.reverse()) {
    try {
      await mkdir(path);
      made.add(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}

/** Removes the directories made for outputs that are empty again (deepest first); the others stay. */
export async function removeMadeDirectories(): Promise<void> {
  for (const path of [...made].sort((a, b) => b.length - a.length)) {
    try {
      await rmdir(path);
      made.delete(path);
    } catch {
      // Not empty (another output is in it) or gone: it stays, or there is nothing to remove.
    }
  }
}
