import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { parseConfig } from '../../src/input/config-schema.js';
import type { ConfigurableOptions } from '../../src/input/config.js';
import { loadConfig, mergeConfig, serviceAccountsPattern } from '../../src/input/config.js';

function problem(data: unknown): string {
  try {
    parseConfig(data, "'mfa-audit.config.json'");
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).not.toContain('\n');
    return (error as Error).message;
  }
  throw new Error('expected an InputError');
}

function dir(config?: unknown): string {
  const path = mkdtempSync(join(tmpdir(), 'mfa-config-'));
  if (config !== undefined) writeFileSync(join(path, 'mfa-audit.config.json'), JSON.stringify(config));
  return path;
}

describe('config file', () => {
  it('accepts every documented key', () => {
    const config = {
      breakGlass: ['bg1@contoso.com'],
      serviceAccounts: ['/^svc[-_]/', 'scanner@contoso.com'],
      baseline: 'mfa-audit.baseline.json',
      format: 'sarif',
      profile: 'graph',
      failOn: 'fail',
      strict: false,
    };
    expect(parseConfig(config, 'x')).toEqual(config);
  });

  it.each([
    [{ breakGlass: 'a@b.c' }, "config 'mfa-audit.config.json': breakGlass: expected an array of UPNs"],
    [{ breakGlass: ['ok@x.com', 'has space@x.com'] }, 'breakGlass.1: a UPN has no spaces'],
    [{ format: 'pdf' }, 'format: expected one of table, json, markdown, csv, junit, sarif, html'],
    [{ failOn: 'never' }, "failOn: expected 'fail' or 'unknown'"],
    [{ profile: 'pc' }, 'profile: expected one of partner-center, graph, arm, any'],
    [{ strict: 'yes' }, 'strict: expected true or false'],
    [{ breakglass: [] }, "breakglass: unknown key 'breakglass'"],
    [{ serviceAccounts: ['/[/'] }, 'serviceAccounts.0: not a valid regular expression'],
    [[], '(top level): expected object'],
  ])('rejects %j with the dot-path of the field', (data, expected) => {
    expect(problem(data)).toContain(expected);
  });

  it('reads ./mfa-audit.config.json when present, nothing when absent; a missing --config is an error', async () => {
    expect(await loadConfig({ cwd: dir() })).toBeUndefined();
    const cwd = dir({ format: 'junit' });
    expect((await loadConfig({ cwd }))?.config).toEqual({ format: 'junit' });
    await expect(loadConfig({ cwd }, 'other.json')).rejects.toThrow("config 'other.json': cannot read (no such file)");
    writeFileSync(join(cwd, 'broken.json'), '{');
    await expect(loadConfig({ cwd }, 'broken.json')).rejects.toThrow(/config 'broken.json': not valid JSON/);
  });
});

describe('mergeConfig: flags win', () => {
  const loaded = {
    path: '/etc/mfa/mfa-audit.config.json',
    config: parseConfig(
      {
        breakGlass: ['bg@x.com'],
        serviceAccounts: ['/^svc-/', 'a.b@x.com'],
        baseline: 'base.json',
        format: 'csv',
        profile: 'arm',
        failOn: 'fail',
        strict: true,
      },
      'x',
    ),
  };

  it('fills what the command line left out (paths relative to the config file)', async () => {
    const merged = await mergeConfig('tenant', {}, loaded);
    expect(merged).toEqual({
      format: 'csv',
      baseline: '/etc/mfa/base.json',
      failOn: 'fail',
      strict: true,
      breakGlass: 'bg@x.com',
      serviceAccounts: '(?:^svc-)|^a\\.b@x\\.com$',
    });
    expect(await mergeConfig('token', {}, loaded)).toMatchObject({ profile: 'arm' });
    expect(await mergeConfig('token', {}, loaded)).not.toHaveProperty('breakGlass');
  });

  it('never overrides a flag; config format never overrides an --output', async () => {
    const flags = {
      format: 'json',
      baseline: 'mine.json',
      failOn: 'unknown',
      strict: false,
      breakGlass: 'other@x.com',
    };
    expect(await mergeConfig('tenant', flags, loaded)).toMatchObject(flags);
    expect(await mergeConfig('tenant', { output: 'r.sarif' }, loaded)).not.toHaveProperty('format');
    // commander's default for --profile is not a flag the user gave:
    const merged = await mergeConfig('token', { profile: 'partner-center' }, loaded, (key) => key !== 'profile');
    expect(merged.profile).toBe('arm');
  });

  it('evidence keys (confirm, confirmBudget, signIns) apply to live tenant runs only, under the flags', async () => {
    const evidence = {
      path: '/etc/mfa/mfa-audit.config.json',
      config: parseConfig({ confirm: false, confirmBudget: 5, signIns: 7 }, 'x'),
    };
    const live = { tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47' };
    expect(await mergeConfig('tenant', live, evidence)).toEqual({
      ...live,
      confirm: false,
      confirmBudget: '5',
      signIns: '7',
    });
    // A snapshot or the demo collects nothing: the keys are not applied (a flag would be refused).
    const offline: ConfigurableOptions & { snapshot: string } = { snapshot: 't.json' };
    expect(await mergeConfig('tenant', offline, evidence)).toEqual(offline);
    expect(await mergeConfig('token', live, evidence)).toEqual(live);
    const flags = { ...live, confirm: true, signIns: '0' };
    expect(await mergeConfig('tenant', flags, evidence)).toEqual({ ...flags, confirmBudget: '5' });
  });

  it('service-account patterns become one case-insensitive alternation that matches exactly', () => {
    const regex = new RegExp(serviceAccountsPattern(['/^svc-/', 'a.b@x.com']), 'i');
    expect(regex.test('SVC-backup@x.com')).toBe(true);
    expect(regex.test('a.b@x.com')).toBe(true);
    expect(regex.test('aXb@x.com')).toBe(false);
  });
});
