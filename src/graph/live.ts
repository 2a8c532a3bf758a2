/**
 * Live collection from Microsoft Graph into a snapshot (contract: "Snapshot format").
 * STUB: the signature is the contract between modules; the implementation is being written.
 */
import type { Io } from '../cli/io.js';
import type { TenantCommandOptions } from '../cli/tenant.js';
import type { Snapshot } from '../core/snapshot.js';
import { CollectionError } from '../errors.js';

export async function collectLiveSnapshot(_options: TenantCommandOptions, _io: Io): Promise<Snapshot> {
  throw new CollectionError('live collection: not implemented yet');
}
