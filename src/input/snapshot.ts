/**
 * Reading and validating a snapshot file (contract: "Snapshot format").
 * STUB: the signatures are the contract between modules; the implementation is being written.
 */
import type { Snapshot } from '../core/snapshot.js';
import { InputError } from '../errors.js';

/** Parse snapshot text; an invalid one throws InputError naming the JSON path and the problem. */
export function parseSnapshot(_text: string, _label: string): Snapshot {
  throw new InputError('snapshot: not implemented yet');
}

/** Read and parse a snapshot file; a missing or unreadable file is an InputError. */
export async function readSnapshot(_path: string): Promise<Snapshot> {
  throw new InputError('snapshot: not implemented yet');
}
