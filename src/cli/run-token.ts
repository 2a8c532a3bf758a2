import { UsageError } from '../errors.js';
import type { Io } from './io.js';
import type { TokenCommandOptions } from './token.js';

export async function runToken(_tokens: string[], _options: TokenCommandOptions, _io: Io): Promise<number> {
  throw new UsageError('token: not implemented yet');
}
