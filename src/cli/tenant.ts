import type { Command } from 'commander';
import { addCiOptions, addGraphSignInOptions, addOutputOptions, HELP_GROUPS } from './common-options.js';
import type { ExitSink, Io } from '../io.js';
import type { GateOptions } from './gate.js';
import { FORMATS } from '../report/registry.js';
import { redactParseErrors } from './secret-guard.js';

/** Options of `mfa-audit tenant`, as commander parses them. */
export interface TenantCommandOptions extends GateOptions {
  format?: string;
  output?: string;
  quiet?: boolean;
  color?: boolean;
  verbose?: boolean;
  tenantId?: string;
  snapshot?: string;
  demo?: boolean;
  saveSnapshot?: string;
  breakGlass?: string;
  serviceAccounts?: string;
  now?: string;
  graphUrl?: string;
  authority?: string;
  clientId?: string;
  certificate?: string;
  clientSecretEnv?: string;
  federatedTokenFile?: string;
  deviceCode?: boolean;
  confirm?: boolean;
  confirmBudget?: string;
  signIns?: string;
}

/** Registers `tenant`; only option definitions live here, so `--help` loads nothing heavy. */
export function registerTenantCommand(program: Command, io: Io, exit: ExitSink): void {
  const command = program
    .command('tenant')
    .summary('give every account of a tenant an MFA verdict (live from Graph, a snapshot, or the demo tenant)')
    .description(
      'Audit every user object of a Microsoft Entra tenant: security defaults, Conditional Access (every enabled ' +
        'policy together, over every class of sign-in), per-user MFA and federation. Each account is pass, fail ' +
        '(with the sign-in that gets through without MFA), exempt, or unknown (with what is missing).',
    );
  redactParseErrors(command)
    .optionsGroup(HELP_GROUPS.input)
    .option('--tenant-id <id>', 'audit this tenant live through Microsoft Graph')
    .option('--snapshot <file>', 'audit a saved snapshot offline')
    .option('--demo', 'audit the bundled demo partner tenant')
    .option('--break-glass <upns>', 'comma-separated emergency-access accounts (UPNs)')
    .option('--service-accounts <pattern|file>', 'regular expression or file of UPNs that are service accounts')
    .option(
      '--now <iso-8601>',
      'evaluate at this instant (default: now; with a time zone: …T12:00:00Z; a date alone is midnight UTC)',
    )
    .optionsGroup(HELP_GROUPS.checks)
    .option('--confirm', "live: confirm every gap with Entra's What If (default when the token has Policy.Read.All)")
    .option('--no-confirm', 'live: do not ask What If')
    .option(
      '--confirm-budget <n>',
      'What If spot-checks of passes per run, on top of one per distinct gap (default: 20)',
    )
    .option(
      '--sign-ins <days>',
      'live: read this many days of sign-ins, 0 to 30 (default: 30 when the token has AuditLog.Read.All; 0: none)',
    );
  addGraphSignInOptions(command);
  addOutputOptions(command, FORMATS).option(
    '--save-snapshot <file>',
    'live: also write what was collected to FILE (no tokens, no secrets)',
  );
  addCiOptions(command, { withBaseline: true })
    .addHelpText(
      'after',
      `
Examples:
  $ mfa-audit tenant --demo
  $ mfa-audit tenant --snapshot tenant.json --format json --output report.json
  $ mfa-audit tenant --tenant-id contoso.onmicrosoft.com --device-code \\
      --save-snapshot tenant.json
  $ mfa-audit tenant --tenant-id $TENANT --client-id $APP \\
      --federated-token-file $AZURE_FEDERATED_TOKEN_FILE \\
      --format sarif --output mfa.sarif --format table

Signing in (live audits): --device-code (delegated, an account with Global
Reader), or app-only with --client-id plus --client-secret-env NAME,
--certificate PEM or --federated-token-file. Or set MFA_AUDIT_ACCESS_TOKEN to
a Graph token acquired elsewhere; the permissions it lacks are named before
anything is collected:
  $ export MFA_AUDIT_ACCESS_TOKEN=$(az account get-access-token \\
      --resource-type ms-graph --query accessToken -o tsv)

Evidence from Entra (live runs, each optional): every distinct gap is put to
Conditional Access What If and marked confirmed, disputed or inconclusive, plus
--confirm-budget spot-checks of passes; a disagreement makes the accounts
unknown. Successful sign-ins of the last --sign-ins days are counted per
account; a single-factor one on a passing account makes it unknown. Without
Policy.Read.ConditionalAccess / AuditLog.Read.All (or Entra ID P1 for
sign-ins) one note says so and the report is as before. --save-snapshot keeps
the evidence and the budget, so --snapshot reproduces the report; offline runs
never collect.

Read-only Graph permissions: User.Read.All, Policy.Read.All,
GroupMember.Read.All, RoleManagement.Read.Directory, AuditLog.Read.All,
Domain.Read.All. A missing one makes only what depends on it 'unknown' (exit
3), and the report says which to grant (docs/permissions.md).`,
    )
    .action(async (options: TenantCommandOptions, command: Command) => {
      const { runTenant } = await import('./run-tenant.js');
      exit.code = await runTenant(options, io, command);
    });
}
