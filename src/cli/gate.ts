/**
 * The CI gate: configuration, baseline, every requested report, and the exit code. Both commands go through here,
 * so formats, --format/--output pairs, baselines and --fail-on behave alike.
 *
 * Two calls:
 *   - in the command's action: `const { options, gate } = await prepareGate(io, 'tenant', given, command)` reads
 *     the config file (flags win), checks every --format/--output and reads --baseline *before* any data is
 *     collected; `options` are the flags with the config applied, `gate` what the end of the run needs;
 *   - at the end of the runner: `return finishTenantGate(io, gate, report, now)` applies the baseline, writes
 *     --write-baseline and every report, prints the notes, and returns the exit code.
 */
import type { Command } from 'commander';
import type { Baseline, BaselineSummary } from '../core/baseline.js';
import {
  applyTenantBaseline,
  applyTokenBaseline,
  baselineFromTenantReport,
  baselineFromTokenReport,
  describeEntry,
  someOf,
} from '../core/baseline.js';
import type { FailOn, Gated, GatePolicy } from '../core/gate.js';
import { tenantExitCode, tokenExitCode, unknownsIgnored } from '../core/gate.js';
import type { TenantReport } from '../core/tenant/types.js';
import type { TokenReport } from '../core/token/types.js';
import { UsageError } from '../errors.js';
import type { ConfigurableOptions } from '../input/config.js';
import type { Format } from '../report/registry.js';
import { FORMATS } from '../report/registry.js';
import type { RenderOptions, ReportSink, ReportWriter } from '../report/types.js';
import type { Io } from '../io.js';
import { wantsColor } from './io.js';
import type { OutputOptions, OutputTarget, StagedReport } from './output.js';
import { checkGivenOutputs, planOutputs, stageReport, writeReport } from './output.js';

/** The options of either command that the gate reads. */
export interface GateOptions extends OutputOptions {
  config?: string;
  baseline?: string;
  writeBaseline?: string;
  strict?: boolean;
  failOn?: string;
  now?: string;
  breakGlass?: string;
  serviceAccounts?: string;
  profile?: string;
}

type CommandKind = 'token' | 'tenant';

/** What prepareGate resolved, handed to the finish of the same command: the end of a run reads no flags. */
export interface Gate<K extends CommandKind = CommandKind> {
  kind: K;
  targets: OutputTarget[];
  baseline?: Baseline;
  /** --baseline as given, for the report. */
  baselinePath?: string;
  strict: boolean;
  writeBaseline?: string;
  failOn: FailOn;
  quiet: boolean;
  verbose: boolean;
  /** Colour for a table on stdout (a terminal, no --no-color, no NO_COLOR). */
  color: boolean;
}

/**
 * Reads the config (under the flags), plans the outputs and reads the baseline: every mistake in them is an exit 2
 * before anything is collected. Returns the options to run with (the config applied) and the gate.
 */
export async function prepareGate<O extends GateOptions, K extends CommandKind>(
  io: Io,
  kind: K,
  given: O,
  command?: Pick<Command, 'getOptionValueSource'>,
): Promise<{ options: O; gate: Gate<K> }> {
  checkGivenOutputs(io, given);
  const { loadConfig, mergeConfig } = await import('../input/config.js');
  const isGiven = (key: keyof ConfigurableOptions): boolean => {
    const source = command?.getOptionValueSource(key);
    return command ? source !== undefined && source !== 'default' : (given as ConfigurableOptions)[key] !== undefined;
  };
  const options = await mergeConfig(kind, given, await loadConfig(io, given.config), isGiven);
  if (options.failOn !== undefined && options.failOn !== 'fail' && options.failOn !== 'unknown') {
    throw new UsageError(`--fail-on '${options.failOn}' is not one of: fail, unknown`);
  }
  const targets = planOutputs(io, options, [...FORMATS]);
  let baseline: Baseline | undefined;
  if (options.baseline !== undefined) {
    const { loadBaseline } = await import('../input/baseline.js');
    baseline = await loadBaseline(options.baseline, io.cwd);
  }
  const gate: Gate<K> = {
    kind,
    targets,
    baseline,
    baselinePath: options.baseline,
    strict: options.strict === true,
    writeBaseline: options.writeBaseline,
    failOn: options.failOn ?? 'unknown',
    quiet: options.quiet === true,
    verbose: options.verbose === true,
    color: wantsColor(io, options),
  };
  return { options, gate };
}

/**
 * Renders the result in every requested format and writes each report whole: files first (each under a temporary
 * name, rendered as it is written; all are renamed into place only once every one is written), stdout last. So a
 * failure while writing files leaves no partial set of reports behind.
 */
export async function emitReports<R>(
  io: Io,
  gate: Gate,
  writers: Readonly<Record<Format, ReportWriter<R>>>,
  result: R,
  now: Date,
): Promise<void> {
  const reports = gate.targets.map((target) => {
    const writer = (writers as Partial<Record<string, ReportWriter<R>>>)[target.format];
    if (!writer) throw new UsageError(`unknown format '${target.format}'`);
    const renderOptions: RenderOptions = {
      // Colour only in a table for a person at a terminal; machine formats and files never carry it.
      color: target.format === 'table' && target.path === undefined && gate.color,
      verbose: gate.verbose,
      now,
      width: (io.stdout as { columns?: number }).columns,
    };
    return { body: (sink: ReportSink) => writer.write(sink, result, renderOptions), path: target.path };
  });
  const staged: StagedReport[] = [];
  try {
    for (const report of reports) {
      if (report.path !== undefined) staged.push(await stageReport(io, report.body, report.path));
    }
  } catch (error) {
    await Promise.all(staged.map((s) => s.discard()));
    throw error;
  }
  for (const file of staged) await file.commit();
  for (const report of reports.filter((r) => r.path === undefined)) await writeReport(io, report.body);
}

function note(io: Io, gate: Gate, line: string): void {
  if (gate.quiet) return;
  io.stderr.write(`mfa-audit: note: ${line}\n`);
}

/** The notes of an applied baseline: --strict, expired entries, unused entries; one line each, however many. */
function baselineNotes(io: Io, gate: Gate, summary: BaselineSummary | undefined): void {
  if (!summary) return;
  if (summary.strict) note(io, gate, '--strict: the baseline is ignored; every failure fails the gate');
  const expired = summary.expired.length;
  if (expired > 0) {
    note(
      io,
      gate,
      `${expired === 1 ? 'baseline entry' : `${expired} baseline entries`} expired, failing again: ` +
        someOf(summary.expired.map(describeEntry), 3, '; '),
    );
  }
  const unused = summary.unused.length;
  if (unused > 0) {
    note(
      io,
      gate,
      `${unused} baseline entr${unused === 1 ? 'y matches' : 'ies match'} nothing that fails any more; ` +
        `remove ${unused === 1 ? 'it' : 'them'}: ${someOf(summary.unused.map(describeEntry), 3, '; ')}`,
    );
  }
}

/** What differs between the two commands at the end of a run; everything else is the same gate. */
interface GateSpec<R> {
  /** What one result is called in notes: "token", "account". */
  noun: string;
  reporters: () => Promise<Readonly<Record<Format, ReportWriter<R>>>>;
  applyBaseline: (report: R, baseline: Baseline, options: { now: Date; strict: boolean; path?: string }) => R;
  baselineFrom: (report: R, now: Date) => Baseline;
  baselineSummary: (report: R) => BaselineSummary | undefined;
  items: (report: R) => readonly Gated[];
  exitCode: (report: R, policy: GatePolicy) => 0 | 1 | 3;
}

const TOKEN_GATE: GateSpec<TokenReport> = {
  noun: 'token',
  reporters: () => import('../report/registry.js').then((m) => m.REPORTERS.token),
  applyBaseline: applyTokenBaseline,
  baselineFrom: baselineFromTokenReport,
  baselineSummary: (report) => report.baseline,
  items: (report) => report.results,
  exitCode: tokenExitCode,
};

const TENANT_GATE: GateSpec<TenantReport> = {
  noun: 'account',
  reporters: () => import('../report/registry.js').then((m) => m.REPORTERS.tenant),
  applyBaseline: applyTenantBaseline,
  baselineFrom: baselineFromTenantReport,
  baselineSummary: (report) => report.baseline,
  items: (report) => report.accounts,
  exitCode: tenantExitCode,
};

/** Baseline, --write-baseline, every report, the notes, and the exit code (0/1/3, see src/core/gate.ts). */
async function finishGate<R>(spec: GateSpec<R>, io: Io, gate: Gate, report: R, now: Date): Promise<number> {
  const final = gate.baseline
    ? spec.applyBaseline(report, gate.baseline, { now, strict: gate.strict, path: gate.baselinePath })
    : report;
  if (gate.writeBaseline !== undefined) {
    const { serializeBaseline } = await import('../input/baseline.js');
    const written = spec.baselineFrom(final, now);
    await writeReport(io, serializeBaseline(written), gate.writeBaseline, '--write-baseline');
    const count = written.entries.length;
    note(
      io,
      gate,
      `wrote ${count} baseline entr${count === 1 ? 'y' : 'ies'} to ${gate.writeBaseline}; fill in reason and owner`,
    );
  }
  await emitReports(io, gate, await spec.reporters(), final, now);
  baselineNotes(io, gate, spec.baselineSummary(final));
  const policy = { failOn: gate.failOn };
  const ignored = unknownsIgnored(spec.items(final), policy);
  if (ignored > 0)
    note(io, gate, `${ignored} unknown ${spec.noun}${ignored === 1 ? '' : 's'} not failing the run (--fail-on fail)`);
  return spec.exitCode(final, policy);
}

/** Finishes `mfa-audit token`. */
export function finishTokenGate(io: Io, gate: Gate<'token'>, report: TokenReport, now: Date): Promise<number> {
  return finishGate(TOKEN_GATE, io, gate, report, now);
}

/** Finishes `mfa-audit tenant`. */
export function finishTenantGate(io: Io, gate: Gate<'tenant'>, report: TenantReport, now: Date): Promise<number> {
  return finishGate(TENANT_GATE, io, gate, report, now);
}
