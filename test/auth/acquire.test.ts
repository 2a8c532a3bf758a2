/**
 * The command-level sign-in: flags and environment → method, scope and authority; then the real msal-node against
 * the local IdP (trusted in-process through the `trustedCa` override the CLI never sets).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeJwt } from 'jose';
import {
  acquireScopes,
  authorityHostOf,
  DELEGATED_GRAPH_PERMISSIONS,
  type SignInOverrides,
} from '../../src/auth/acquire.js';
import { acquireTokenForAudit, graphTokenProvider } from '../../src/cli/sign-in.js';
import type { TenantCommandOptions } from '../../src/cli/tenant.js';
import type { TokenCommandOptions } from '../../src/cli/token.js';
import { CollectionError, InputError, UsageError } from '../../src/errors.js';
import { memoryIo } from '../helpers/io.js';
import { startIdp, type Idp } from '../helpers/idp-server.js';
import { appCertificate } from './app-certificate.js';

const CLIENT = '11111111-1111-4111-8111-111111111111';
const APP = '22222222-2222-4222-8222-222222222222';
const SECRET = 'app-secret-value-Q~7xK9';
const FEDERATED = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJyZXBvOm9yZy9yZXBvOnJlZjpyZWZzL2hlYWRzL21haW4ifQ.c2ln';

let idp: Idp;
let overrides: SignInOverrides;
let dir: string;
let certFile: string;

beforeAll(async () => {
  const certificate = await appCertificate();
  idp = await startIdp({
    refreshToken: 'rt.0.AAAA-partner-refresh-token-abc',
    appRoles: ['User.Read.All'],
    clients: { [APP]: { secret: SECRET, certificatePem: certificate.cert, federatedAssertion: FEDERATED } },
  });
  overrides = { trustedCa: idp.ca };
  dir = mkdtempSync(join(tmpdir(), 'mfa-audit-auth-'));
  certFile = join(dir, 'app.pem');
  writeFileSync(certFile, certificate.cert + certificate.key);
});
afterAll(async () => idp.close());

function tokenOptions(extra: Partial<TokenCommandOptions> = {}): TokenCommandOptions {
  return { acquire: true, tenantId: idp.tenantId, clientId: CLIENT, authority: idp.url, ...extra };
}
function tenantOptions(extra: Partial<TenantCommandOptions> = {}): TenantCommandOptions {
  return {
    tenantId: idp.tenantId,
    clientId: APP,
    authority: idp.url,
    graphUrl: 'https://graph.microsoft.com',
    ...extra,
  };
}

describe('acquireScopes (what --acquire requests)', () => {
  it("defaults to Partner Center's user_impersonation", () => {
    expect(acquireScopes({})).toEqual(['https://api.partnercenter.microsoft.com/user_impersonation']);
  });
  it('a bare --scope is a scope of the profile resource, or of --audience', () => {
    expect(acquireScopes({ scope: 'user_impersonation' })).toEqual([
      'https://api.partnercenter.microsoft.com/user_impersonation',
    ]);
    expect(acquireScopes({ profile: 'graph' })).toEqual(['https://graph.microsoft.com/.default']);
    expect(acquireScopes({ profile: 'graph', scope: 'User.Read' })).toEqual(['https://graph.microsoft.com/User.Read']);
    expect(acquireScopes({ profile: 'arm' })).toEqual(['https://management.azure.com/user_impersonation']);
    expect(acquireScopes({ audience: 'api://my-api/', scope: 'access' })).toEqual(['api://my-api/access']);
  });
  it('several scopes, separated by spaces or commas, as the scope check takes them', () => {
    expect(acquireScopes({ profile: 'graph', scope: 'User.Read, Directory.Read.All' })).toEqual([
      'https://graph.microsoft.com/User.Read',
      'https://graph.microsoft.com/Directory.Read.All',
    ]);
  });
  it('a full scope is used as given', () => {
    expect(acquireScopes({ scope: 'https://graph.microsoft.com/Directory.Read.All' })).toEqual([
      'https://graph.microsoft.com/Directory.Read.All',
    ]);
  });
});

describe('authorityHostOf (which cloud to sign in to)', () => {
  it('follows the Graph national cloud unless --authority or AZURE_AUTHORITY_HOST says otherwise', () => {
    const io = memoryIo();
    expect(authorityHostOf(undefined, io, 'graph.microsoft.com')).toBe('https://login.microsoftonline.com');
    expect(authorityHostOf(undefined, io, 'graph.microsoft.us')).toBe('https://login.microsoftonline.us');
    expect(authorityHostOf(undefined, io, 'dod-graph.microsoft.us')).toBe('https://login.microsoftonline.us');
    expect(authorityHostOf(undefined, io, 'microsoftgraph.chinacloudapi.cn')).toBe('https://login.chinacloudapi.cn');
    expect(authorityHostOf(undefined, io, '127.0.0.1:8443')).toBe('https://login.microsoftonline.com');
    expect(
      authorityHostOf(undefined, memoryIo({ env: { AZURE_AUTHORITY_HOST: 'https://login.microsoftonline.us/' } })),
    ).toBe('https://login.microsoftonline.us');
    expect(authorityHostOf('https://login.partner.microsoftonline.cn', io, 'graph.microsoft.com')).toBe(
      'https://login.partner.microsoftonline.cn',
    );
  });
});

describe('acquireTokenForAudit (token --acquire)', () => {
  it('exchanges a refresh token read from the named environment variable', async () => {
    const io = memoryIo({ env: { PC_RT: 'rt.0.AAAA-partner-refresh-token-abc' } });
    const token = await acquireTokenForAudit(tokenOptions({ refreshTokenEnv: 'PC_RT' }), io, overrides);
    expect(decodeJwt(token)).toMatchObject({
      aud: 'https://api.partnercenter.microsoft.com',
      scp: 'user_impersonation',
      amr: ['pwd', 'mfa'],
    });
    expect(io.err()).toBe('');
  });

  it('reads the refresh token from a file (surrounding whitespace ignored)', async () => {
    const file = join(dir, 'rt.txt');
    writeFileSync(file, '\n  rt.0.AAAA-partner-refresh-token-abc \n');
    const token = await acquireTokenForAudit(tokenOptions({ refreshTokenFile: file }), memoryIo(), overrides);
    expect(decodeJwt(token).tid).toBe(idp.tenantId);
  });

  it('makes a confidential exchange with --client-secret-env', async () => {
    const before = idp.tokenRequests().length;
    const io = memoryIo({ env: { RT: idp.refreshToken, SECRET } });
    await acquireTokenForAudit(
      tokenOptions({ clientId: APP, refreshTokenEnv: 'RT', clientSecretEnv: 'SECRET' }),
      io,
      overrides,
    );
    expect(idp.tokenRequests()[before]!.form).toMatchObject({ grant_type: 'refresh_token', client_secret: SECRET });
  });

  it('without a refresh token, runs the device code flow with the prompt on stderr', async () => {
    const io = memoryIo();
    const token = await acquireTokenForAudit(tokenOptions({ tenantId: 'contoso.onmicrosoft.com' }), io, overrides);
    expect(io.err()).toMatch(
      /^To sign in, use a web browser to open the page https:\/\/127\.0\.0\.1:\d+\/devicelogin and enter the code \w+ to authenticate\.\n$/,
    );
    expect(io.out()).toBe('');
    expect(decodeJwt(token).upn).toBe('admin@contoso.onmicrosoft.com');
  });

  it('takes the tenant and client from AZURE_TENANT_ID / AZURE_CLIENT_ID when the flags are absent', async () => {
    const io = memoryIo({ env: { AZURE_TENANT_ID: idp.tenantId, AZURE_CLIENT_ID: CLIENT, RT: idp.refreshToken } });
    const token = await acquireTokenForAudit(
      { acquire: true, authority: idp.url, refreshTokenEnv: 'RT' },
      io,
      overrides,
    );
    expect(decodeJwt(token).appid).toBe(CLIENT);
  });

  it('usage errors name the missing or conflicting options', async () => {
    const io = memoryIo({ env: { RT: 'x' } });
    await expect(acquireTokenForAudit({ acquire: true, clientId: CLIENT }, io)).rejects.toThrow(
      /--acquire needs --tenant-id/,
    );
    await expect(acquireTokenForAudit({ acquire: true, tenantId: 't' }, io)).rejects.toThrow(
      /--acquire needs --client-id/,
    );
    await expect(
      acquireTokenForAudit(tokenOptions({ refreshTokenEnv: 'RT', refreshTokenFile: 'f' }), io),
    ).rejects.toThrow(/--refresh-token-env or --refresh-token-file, not both/);
    await expect(acquireTokenForAudit(tokenOptions({ refreshTokenEnv: 'MISSING' }), io)).rejects.toThrow(
      /environment variable MISSING is not set or empty/,
    );
    await expect(acquireTokenForAudit(tokenOptions({ clientSecretEnv: 'RT' }), io)).rejects.toThrow(
      /device code flow is for public clients/,
    );
    await expect(
      acquireTokenForAudit(tokenOptions({ authority: 'http://127.0.0.1:1', refreshTokenEnv: 'RT' }), io),
    ).rejects.toThrow(/--authority must be an https:\/\/ URL/);
  });

  it('a refresh token passed where a variable NAME belongs is refused without echoing it', async () => {
    const error = await acquireTokenForAudit(
      tokenOptions({ refreshTokenEnv: '0.AAAA-some.refresh-token' }),
      memoryIo(),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toContain('is not an environment variable name');
  });

  it('a missing refresh token file is an input error', async () => {
    await expect(
      acquireTokenForAudit(tokenOptions({ refreshTokenFile: join(dir, 'nope') }), memoryIo()),
    ).rejects.toBeInstanceOf(InputError);
  });

  it('a refused refresh token is a CollectionError that does not contain it', async () => {
    const io = memoryIo({ env: { RT: 'rt.revoked-token-value-987' } });
    const error = await acquireTokenForAudit(tokenOptions({ refreshTokenEnv: 'RT' }), io, overrides).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CollectionError);
    expect((error as Error).message).toContain('AADSTS70000');
    expect((error as Error).message).not.toContain('rt.revoked-token-value-987');
  });
});

describe('graphTokenProvider (tenant --tenant-id)', () => {
  it('client secret from --client-secret-env: an app-only token for <graph-url>/.default', async () => {
    const before = idp.tokenRequests().length;
    const provider = await graphTokenProvider(
      tenantOptions({ clientSecretEnv: 'MY_SECRET' }),
      memoryIo({ env: { MY_SECRET: SECRET } }),
      overrides,
    );
    expect(provider.describe).toBe('client secret (app-only)');
    const token = await provider.getAccessToken();
    expect(decodeJwt(token)).toMatchObject({
      aud: 'https://graph.microsoft.com',
      idtyp: 'app',
      roles: ['User.Read.All'],
    });
    expect(idp.tokenRequests()[before]!.form.scope).toBe('https://graph.microsoft.com/.default');
  });

  it('AZURE_CLIENT_SECRET is used when no method flag is given', async () => {
    const provider = await graphTokenProvider(
      tenantOptions(),
      memoryIo({ env: { AZURE_CLIENT_SECRET: SECRET } }),
      overrides,
    );
    expect(provider.describe).toBe('client secret (app-only)');
    expect(decodeJwt(await provider.getAccessToken()).appidacr).toBe('1');
  });

  it('certificate from a PEM file holding the certificate and its key', async () => {
    const provider = await graphTokenProvider(tenantOptions({ certificate: certFile }), memoryIo(), overrides);
    expect(provider.describe).toBe('certificate (app-only)');
    expect(decodeJwt(await provider.getAccessToken()).appidacr).toBe('2');
  });

  it('federated credential: the token file is read again for each sign-in (it rotates)', async () => {
    const file = join(dir, 'federated-token');
    writeFileSync(file, 'stale-assertion');
    const io = memoryIo({ env: { AZURE_FEDERATED_TOKEN_FILE: file } });
    const provider = await graphTokenProvider(tenantOptions(), io, overrides);
    expect(provider.describe).toBe('federated credential (app-only)');
    await expect(provider.getAccessToken()).rejects.toBeInstanceOf(CollectionError);
    writeFileSync(file, FEDERATED + '\n');
    const token = await provider.getAccessToken();
    expect(decodeJwt(token).idtyp).toBe('app');
    expect(idp.tokenRequests().at(-1)!.form.client_assertion).toBe(FEDERATED);
  });

  it('--federated-token-file names the file explicitly', async () => {
    const file = join(dir, 'explicit-token');
    writeFileSync(file, FEDERATED);
    const provider = await graphTokenProvider(tenantOptions({ federatedTokenFile: file }), memoryIo(), overrides);
    expect(decodeJwt(await provider.getAccessToken()).appid).toBe(APP);
  });

  it('device code: prints the Graph permissions it needs and the prompt on stderr, delegated scopes', async () => {
    const io = memoryIo();
    const before = idp.requests.length;
    const provider = await graphTokenProvider(tenantOptions({ deviceCode: true, clientId: CLIENT }), io, overrides);
    expect(provider.describe).toBe('device code (delegated)');
    await provider.getAccessToken();
    for (const permission of DELEGATED_GRAPH_PERMISSIONS) expect(io.err()).toContain(permission);
    expect(io.err()).toContain('/devicelogin');
    const deviceRequest = idp.requests.slice(before).find((r) => r.path.endsWith('/devicecode'))!;
    expect(deviceRequest.form.scope).toContain('https://graph.microsoft.com/Policy.Read.All');
  });

  it('caches the token until close to expiry, then signs in again', async () => {
    const shortLived = await startIdp({ tokenLifetimeSeconds: 60, clients: { [APP]: { secret: SECRET } } });
    try {
      let now = new Date();
      const io = { ...memoryIo({ env: { S: SECRET } }), now: () => now };
      const options = tenantOptions({ tenantId: shortLived.tenantId, clientSecretEnv: 'S', authority: shortLived.url });
      const provider = await graphTokenProvider(options, io, { trustedCa: shortLived.ca });
      const first = await provider.getAccessToken();
      now = new Date(now.getTime() + 20_000);
      expect(await provider.getAccessToken()).toBe(first);
      expect(shortLived.tokenRequests()).toHaveLength(1);
      now = new Date(now.getTime() + 20_000); // within the last half of a 60 s token: renew
      expect(await provider.getAccessToken()).not.toBe(first);
      expect(shortLived.tokenRequests()).toHaveLength(2);
    } finally {
      await shortLived.close();
    }
  });

  it('ambiguous or missing methods are usage errors naming the options', async () => {
    await expect(graphTokenProvider(tenantOptions(), memoryIo())).rejects.toThrow(
      /no sign-in method: use --device-code \(interactive\), --client-secret-env NAME, --certificate PATH or --federated-token-file PATH/,
    );
    await expect(
      graphTokenProvider(tenantOptions({ deviceCode: true, certificate: 'x.pem' }), memoryIo()),
    ).rejects.toThrow(/choose one sign-in method, not --device-code and --certificate/);
    await expect(
      graphTokenProvider(
        tenantOptions(),
        memoryIo({ env: { AZURE_CLIENT_SECRET: 's', AZURE_FEDERATED_TOKEN_FILE: 'f' } }),
      ),
    ).rejects.toThrow(/both AZURE_FEDERATED_TOKEN_FILE and AZURE_CLIENT_SECRET are set/);
    await expect(
      graphTokenProvider(tenantOptions({ clientId: undefined, clientSecretEnv: 'S' }), memoryIo({ env: { S: 'x' } })),
    ).rejects.toThrow(/app-only sign-in needs --client-id/);
    await expect(
      graphTokenProvider(tenantOptions({ clientSecretEnv: 'EMPTY' }), memoryIo({ env: { EMPTY: '' } })),
    ).rejects.toBeInstanceOf(UsageError);
    await expect(
      graphTokenProvider(tenantOptions({ federatedTokenFile: join(dir, 'none') }), memoryIo()),
    ).rejects.toBeInstanceOf(InputError);
    await expect(
      graphTokenProvider(tenantOptions({ certificate: join(dir, 'none.pem') }), memoryIo()),
    ).rejects.toBeInstanceOf(InputError);
  });

  it('a wrong secret fails with one line that does not contain it', async () => {
    const provider = await graphTokenProvider(
      tenantOptions({ clientSecretEnv: 'S' }),
      memoryIo({ env: { S: 'wrong-secret-0000' } }),
      overrides,
    );
    const error = await provider.getAccessToken().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CollectionError);
    expect((error as Error).message).toContain('AADSTS7000215');
    expect((error as Error).message).not.toContain('wrong-secret-0000');
  });
});
