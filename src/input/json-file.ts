import { readFile } from 'node:fs/promises';
import { InputError } from '../errors.js';

/** Config and baseline files are small; anything larger is a mistake (a report passed by accident). */
const MAX_BYTES = 10 * 1024 * 1024;

/** Reads a small JSON file; an unreadable, oversized or non-JSON file is an InputError naming `what` and `label`. */
export async function readJsonFile(path: string, label: string, what: string): Promise<unknown> {
  let text: string;
  try {
    const buffer = await readFile(path);
    if (buffer.length > MAX_BYTES) throw new InputError(`${what} ${label}: larger than 10 MB`);
    text = buffer.toString('utf8');
  } catch (error) {
    if (error instanceof InputError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (error as Error).message;
    throw new InputError(`${what} ${label}: cannot read (${why})`, { cause: error });
  }
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new InputError(`${what} ${label}: not valid JSON (${(error as Error).message})`, { cause: error });
  }
}
