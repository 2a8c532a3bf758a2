/**
 * `mfa-audit diff OLD NEW`: what changed between two states of a tenant, each a snapshot or a tenant JSON report
 * (any mix). Snapshots are audited; policies are compared field by field only when both sides are snapshots.
 * Exit 1 when the new state opens a gap, turns an account from pass, or adds an account that does not pass.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { Snapshot } from '../core/snapshot.js';
import { SNAPSHOT_FORMAT } from '../core/snapshot.js';
import type { TenantReport } from '../core/tenant/types.js';
import { InputError, UsageError } from '../errors.js';
import type { ExitSink, Io } from '../io.js';
import { parseNow } from '../io.js';
import { addCiOptions, addOutputOptions, HELP_GROUPS } from './common-options.js';
import type { GateOptions } from './gate.js';
import { emitReports, prepareGate } from './gate.js';
import { CHANGE_FORMAT_NAMES, changeReporters, refuseBaselineFlags } from './plan.js';
import { redactParseErrors } from './secret-guard.js';

interface DiffCommandOptions extends GateOptions {
  format?: string;
  output?: string;
  quiet?: boolean;
  verbose?: boolean;
}

export function registerDiffCommand(program: Command, io: Io, exit: ExitSink): void {
  const command = program
    .command('diff')
    .argument('<old>', 'the earlier state: a snapshot or a tenant JSON report')
    .argument('<new>', 'the later state: a snapshot or a tenant JSON report')
    .summary('what changed between two snapshots or reports (drift): policies, verdicts, gaps, findings')
    .description(
      'Compare two states of a tenant, each a snapshot or a tenant JSON report (any mix): policies, named ' +
        'locations and strengths added, removed or changed field by field (both sides snapshots), accounts whose ' +
        'verdict changed and why, gaps opened and closed, new accounts without coverage, findings added and removed.',
    );
  redactParseErrors(command)
    .optionsGroup(HELP_GROUPS.input)
    .option('--break-glass <upns>', 'comma-separated emergency-access accounts (UPNs), for snapshots')
    .option('--service-accounts <pattern|file>', 'regular expression or file of UPNs that are service accounts')
    .option('--now <iso-8601>', 'evaluate snapshots at this instant (default: now)');
  addOutputOptions(command, CHANGE_FORMAT_NAMES);
  addCiOptions(command, { withBaseline: false })
    .addHelpText(
      'after',
      `
Examples:
  $ mfa-audit diff yesterday.json today.json --format markdown
  $ mfa-audit diff report-old.json tenant.json --format json --output drift.json

Exit codes: 0 nothing got worse; 1 the new state opens a gap, turns an account
from pass to fail or unknown, or adds an account without MFA coverage (with
--fail-on fail, only what ends in 'fail'); 2 usage error, or a file that is
neither a snapshot nor a tenant JSON report.`,
    )
    .action(async (oldPath: string, newPath: string, options: DiffCommandOptions, cmd: Command) => {
      exit.code = await runDiff(oldPath, newPath, options, io, cmd);
    });
}

type State = { kind: 'snapshot'; snapshot: Snapshot } | { kind: 'report'; report: TenantReport };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A snapshot (by its format), a tenant JSON report (by its shape), or a change report's proposed state. */
async function readState(path: string, io: Io): Promise<State> {
  let text: string;
  try {
    text = (await readFile(resolve(io.cwd, path), 'utf8')).replace(/^\uFEFF/, '');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(`diff ${path}: cannot read (${code === 'ENOENT' ? 'file not found' : (code ?? 'error')})`, {
      cause: error,
    });
  }
  const { parseSnapshot } = await import('../input/snapshot.js');
  const { describeJsonSyntaxError } = await import('../input/json-file.js');
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new InputError(`diff ${path}: ${describeJsonSyntaxError(text)}`, { cause: error });
  }
  if (isObject(data) && data.format === SNAPSHOT_FORMAT)
    return { kind: 'snapshot', snapshot: parseSnapshot(text, path) };
  const report = isObject(data) && isObject(data.proposed) ? data.proposed : data;
  if (
    isObject(report) &&
    Array.isArray(report.accounts) &&
    Array.isArray(report.findings) &&
    isObject(report.summary)
  ) {
    return { kind: 'report', report: report as unknown as TenantReport };
  }
  throw new InputError(
    `diff ${path}: neither a snapshot ("format": "${SNAPSHOT_FORMAT}") nor a tenant JSON report (accounts, findings, summary)`,
  );
}

/** Two reports are compared as they are: the flags that say how to audit a snapshot would be ignored (exit 2). */
function refuseSnapshotFlags(given: DiffCommandOptions): void {
  const flags = [
    given.breakGlass !== undefined && '--break-glass',
    given.serviceAccounts !== undefined && '--service-accounts',
    given.now !== undefined && '--now',
  ].filter((flag): flag is string => flag !== false);
  if (flags.length === 0) return;
  throw new UsageError(
    `diff: ${flags.join(', ')} ${flags.length === 1 ? 'applies' : 'apply'} to snapshots, which are audited; ` +
      'both files are reports, compared as they were written: leave the flag out',
  );
}

async function runDiff(
  oldPath: string,
  newPath: string,
  given: DiffCommandOptions,
  io: Io,
  command?: Pick<Command, 'getOptionValueSource'>,
): Promise<number> {
  refuseBaselineFlags('diff', given);
  const { options, gate } = await prepareGate(io, 'tenant', given, command);
  const reporters = await changeReporters(gate);
  const now = parseNow(options.now, io);
  const { parseAccountDesignations } = await import('../input/service-accounts.js');
  const designations = await parseAccountDesignations(options, io.cwd);
  const [before, after] = [await readState(oldPath, io), await readState(newPath, io)];
  const snapshots = [before, after].flatMap((state) => (state.kind === 'snapshot' ? [state.snapshot] : []));
  if (snapshots.length === 0) refuseSnapshotFlags(given);
  const { designationWarnings, printWarnings, snapshotUpns } = await import('./designation-warnings.js');
  const upns = snapshots.flatMap(snapshotUpns);
  printWarnings(io, designationWarnings(designations, options.serviceAccounts, upns));
  const { diffStates } = await import('../core/plan/diff.js');
  const change = diffStates({ ...before, label: oldPath }, { ...after, label: newPath }, { now, ...designations });
  await emitReports(io, gate, reporters, { change }, now);
  const { changeExitCode } = await import('../core/plan/gate.js');
  return changeExitCode(change, gate.failOn);
}
