/**
 * `mfa-audit tenant`: one path for every source of data. Live collection, a saved snapshot and the demo tenant all
 * end as a Snapshot, which the engine audits and the reporters render; so a live report and the offline report of
 * the snapshot it saved are produced by exactly the same code.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Snapshot } from '../core/snapshot.js';
import type { TenantReport } from '../core/tenant/types.js';
import type { Command } from 'commander';
import { InputError, UsageError } from '../errors.js';
import { finishTenantGate, prepareGate } from './emit.js';
import type { Io } from './io.js';
import { progress } from './io.js';
import type { TenantCommandOptions } from './tenant.js';

/** The bundled demo tenant, found next to the installed package (dist/cli/ → ../../fixtures/). */
export const DEMO_TENANT_URL = new URL('../../fixtures/demo-tenant.json', import.meta.url);

type Source = NonNullable<TenantReport['source']>;

/**
 * `command` (commander's, optional) lets the config file tell flags given on the command line from defaults.
 * Exit code: 0 pass, 1 fail, 3 incomplete (src/core/gate.ts, after --baseline and --fail-on); errors are thrown.
 */
export async function runTenant(
  given: TenantCommandOptions,
  io: Io,
  command?: Pick<Command, 'getOptionValueSource'>,
): Promise<number> {
  const kind = chooseSource(given);
  // Everything the user can get wrong (config, formats, outputs, baseline, --now, account lists) is checked
  // before any data is read or collected.
  const options = await prepareGate(io, 'tenant', given, command);
  const now = parseNow(options.now, io);
  const { parseAccountDesignations } = await import('../input/service-accounts.js');
  const designations = await parseAccountDesignations(options, io.cwd);
  const say = progress(io, options);

  const { snapshot, source } = await loadSnapshot(kind, options, io, say);

  say(`Auditing ${countUsers(snapshot)} user objects…`);
  const { auditTenant } = await import('../core/tenant/audit.js');
  const report = auditTenant(snapshot, { now, ...designations, source });
  report.source ??= source;

  const code = await finishTenantGate(io, options, report, now);
  const s = report.summary;
  say(`${s.accounts} accounts: ${s.pass} pass, ${s.fail} fail, ${s.exempt} exempt, ${s.unknown} unknown`);
  return code;
}

/** Exactly one of --tenant-id, --snapshot, --demo. */
function chooseSource(options: TenantCommandOptions): Source['kind'] {
  const given = [
    options.tenantId !== undefined && '--tenant-id',
    options.snapshot !== undefined && '--snapshot',
    options.demo === true && '--demo',
  ].filter((flag): flag is string => flag !== false);
  if (given.length === 0) {
    throw new UsageError(
      'tenant: say what to audit: --tenant-id ID (live), --snapshot FILE (offline) or --demo (the bundled demo tenant)',
    );
  }
  if (given.length > 1) {
    throw new UsageError(`tenant: ${given.join(' and ')} cannot be used together; give exactly one data source`);
  }
  if (options.saveSnapshot !== undefined && options.tenantId === undefined) {
    throw new UsageError('tenant: --save-snapshot saves what live collection gathered; use it with --tenant-id');
  }
  if (options.tenantId !== undefined && options.tenantId.trim() === '') {
    throw new UsageError('tenant: --tenant-id needs a tenant id or domain (e.g. contoso.onmicrosoft.com)');
  }
  if (options.snapshot !== undefined && options.snapshot.trim() === '') {
    throw new UsageError('tenant: --snapshot needs a file name');
  }
  return options.tenantId !== undefined ? 'graph' : options.demo === true ? 'demo' : 'snapshot';
}

/** `--now 2026-11-21T00:00:00Z`: the audit's instant; without it, the clock. */
export function parseNow(value: string | undefined, io: Io): Date {
  if (value === undefined) return io.now();
  const instant = /^\d{4}-\d{2}-\d{2}/.test(value.trim()) ? new Date(value.trim()) : new Date(Number.NaN);
  if (Number.isNaN(instant.getTime())) {
    throw new UsageError(`--now '${value}' is not an ISO-8601 date-time (e.g. 2026-11-21T09:30:00Z)`);
  }
  return instant;
}

async function loadSnapshot(
  kind: Source['kind'],
  options: TenantCommandOptions,
  io: Io,
  say: (line: string) => void,
): Promise<{ snapshot: Snapshot; source: Source }> {
  if (kind === 'graph') {
    say(`Collecting tenant ${options.tenantId} from Microsoft Graph…`);
    const { collectLiveSnapshot } = await import('../graph/live.js');
    const snapshot = await collectLiveSnapshot(options, io);
    if (options.saveSnapshot !== undefined) {
      await saveSnapshot(snapshot, options.saveSnapshot, io);
      say(`Snapshot saved to ${options.saveSnapshot}`);
    }
    return { snapshot, source: { kind, collectedAt: snapshot.collectedAt } };
  }
  const { readSnapshot } = await import('../input/snapshot.js');
  if (kind === 'demo') {
    say('Reading the bundled demo tenant…');
    const snapshot = await readSnapshot(fileURLToPath(DEMO_TENANT_URL));
    return { snapshot, source: { kind, collectedAt: snapshot.collectedAt, path: 'fixtures/demo-tenant.json' } };
  }
  const path = options.snapshot as string;
  say(`Reading snapshot ${path}…`);
  const snapshot = await readSnapshot(resolve(io.cwd, path));
  return { snapshot, source: { kind, collectedAt: snapshot.collectedAt, path } };
}

/** `--save-snapshot FILE`: exactly what was collected (the snapshot holds Graph data only, never a token). */
async function saveSnapshot(snapshot: Snapshot, file: string, io: Io): Promise<void> {
  const path = resolve(io.cwd, file);
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, JSON.stringify(snapshot, null, 2) + '\n', 'utf8');
  } catch (error) {
    throw new InputError(`--save-snapshot: cannot write '${file}': ${(error as Error).message}`);
  }
}

function countUsers(snapshot: Snapshot): number {
  const users = snapshot.graph['v1.0/users'];
  return Array.isArray(users) ? users.length : 0;
}
