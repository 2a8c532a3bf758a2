/**
 * planOutputs refuses, before anything is read, an output that is also an input of the same run (`--snapshot`,
 * `--file`, `--baseline`, `--config`, the config read by default, key files), after resolving links; and one file
 * written by two outputs (`--output`, `--write-baseline`, `--save-snapshot`), and a directory as an output.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planOutputs } from '../../src/cli/output.js';
import { UsageError } from '../../src/errors.js';
import { memoryIo } from '../helpers/io.js';

const FORMATS = ['json', 'table', 'sarif'];
const dir = mkdtempSync(join(tmpdir(), 'mfa-audit-output-inputs-'));
beforeAll(() => {
  writeFileSync(join(dir, 'data.json'), '{}');
  symlinkSync('data.json', join(dir, 'data-link.json'));
  mkdirSync(join(dir, 'sub'));
  mkdirSync(join(dir, 'reports'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function plan(options: Record<string, unknown>, cwd = dir): ReturnType<typeof planOutputs> {
  return planOutputs(memoryIo({ cwd }), options, FORMATS);
}

describe('an output that is an input of the same run', () => {
  it.each([
    ['--snapshot', { snapshot: 'data.json', output: 'data.json' }],
    ['--file', { file: 'data.json', output: './sub/../data.json' }],
    ['--baseline', { baseline: 'data.json', output: 'data.json' }],
    ['--config', { config: 'data.json', output: `${dir}/data.json` }],
    ['--jwks', { jwks: 'data.json', output: 'data.json' }],
    ['--certificate', { certificate: 'data.json', output: 'data.json' }],
    ['--refresh-token-file', { refreshTokenFile: 'data.json', output: 'data.json' }],
    ['--federated-token-file', { federatedTokenFile: 'data.json', output: 'data.json' }],
    ['--service-accounts', { serviceAccounts: 'data.json', output: 'data.json' }],
    ['--snapshot (--write-baseline)', { snapshot: 'data.json', writeBaseline: 'data.json' }],
    ['--file (--save-snapshot)', { file: 'data.json', saveSnapshot: 'data.json' }],
  ])('%s is refused (exit 2)', (flag, options) => {
    const name = flag.split(' ')[0] as string;
    expect(() => plan(options)).toThrow(UsageError);
    expect(() => plan(options)).toThrow(new RegExp(`${name}.*same file|same file.*${name}`));
  });

  it('through a symlink on either side', () => {
    expect(() => plan({ snapshot: 'data-link.json', output: 'data.json' })).toThrow(/--snapshot/);
    expect(() => plan({ snapshot: 'data.json', output: 'data-link.json' })).toThrow(/--snapshot/);
    expect(() =>
      plan({
        outputFlags: [
          { flag: 'output', value: 'other.json' },
          { flag: 'output', value: 'data-link.json' },
        ],
        file: 'data.json',
      }),
    ).toThrow(/--file/);
  });

  it('the config read by default (mfa-audit.config.json in the working directory)', () => {
    const cwd = join(dir, 'sub');
    writeFileSync(join(cwd, 'mfa-audit.config.json'), '{}');
    expect(() => plan({ output: 'mfa-audit.config.json' }, cwd)).toThrow(/--config/);
    rmSync(join(cwd, 'mfa-audit.config.json'));
    expect(plan({ output: 'mfa-audit.config.json' }, cwd)).toEqual([{ format: 'json', path: 'mfa-audit.config.json' }]);
  });

  it('a --service-accounts pattern that is no file is no input; --jwks as a URL neither', () => {
    expect(plan({ serviceAccounts: '^svc-', jwks: 'https://x/keys', output: 'r.json' })).toHaveLength(1);
  });

  it('--baseline and --write-baseline may name one file: the baseline is read whole before it is replaced', () => {
    expect(plan({ baseline: 'data.json', writeBaseline: 'data-link.json' })).toHaveLength(1);
  });
});

describe('one file written twice', () => {
  it.each([
    [{ output: 'r.json', writeBaseline: 'r.json' }, /--write-baseline.*--output|--output.*--write-baseline/],
    [{ output: 'r.json', saveSnapshot: './r.json' }, /--save-snapshot.*--output|--output.*--save-snapshot/],
    [
      { writeBaseline: 'x.json', saveSnapshot: 'x.json' },
      /--save-snapshot.*--write-baseline|--write-baseline.*--save-snapshot/,
    ],
    [{ output: 'data.json', writeBaseline: 'data-link.json' }, /same file/],
  ])('%j is refused', (options, message) => {
    expect(() => plan(options)).toThrow(UsageError);
    expect(() => plan(options)).toThrow(message);
  });

  it('two --output through a link', () => {
    const outputFlags = [
      { flag: 'output', value: 'data.json' },
      { flag: 'output', value: 'data-link.json' },
    ];
    expect(() => plan({ outputFlags })).toThrow(/given twice|same file/);
  });
});

describe('an output that is a directory', () => {
  it.each([{ output: 'reports' }, { writeBaseline: 'reports' }, { saveSnapshot: 'reports/' }])(
    '%j is refused',
    (options) => {
      expect(() => plan(options)).toThrow(/is a directory/);
    },
  );
});
