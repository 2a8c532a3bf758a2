import { UsageError } from '../errors.js';
import type { Io } from './io.js';
import type { TenantCommandOptions } from './tenant.js';

export async function runTenant(_options: TenantCommandOptions, _io: Io): Promise<number> {
  throw new UsageError('tenant: not implemented yet');
}
