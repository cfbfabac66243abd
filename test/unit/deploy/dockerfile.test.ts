import { describe, expect, test } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { repoPath } from './compose-file';

interface Instruction {
  keyword: string;
  args: string;
  stage: number;
}

/** Dockerfile instructions with continuation lines joined and comments dropped. */
function readInstructions(text: string): Instruction[] {
  const logical = text
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  let stage = -1;
  return logical.map((line) => {
    const [keyword = '', ...rest] = line.split(/\s+/);
    if (keyword.toUpperCase() === 'FROM') stage += 1;
    return { keyword: keyword.toUpperCase(), args: rest.join(' '), stage };
  });
}

const instructions = readInstructions(readFileSync(repoPath('Dockerfile'), 'utf8'));
const ignored = readFileSync(repoPath('.dockerignore'), 'utf8')
  .split(/\r?\n/)
  .map((line) => line.trim().replace(/^\/|\/$/g, ''))
  .filter((line) => line !== '' && !line.startsWith('#'));
const froms = instructions
  .filter((instruction) => instruction.keyword === 'FROM')
  .map(({ args }) => {
    const [image = '', as, alias] = args.replace(/--platform=\S+\s+/, '').split(/\s+/);
    return { image, alias: as?.toUpperCase() === 'AS' ? alias : undefined };
  });
const finalStage = froms.length - 1;
const inFinalStage = (keyword: string) =>
  instructions.filter((instruction) => instruction.keyword === keyword && instruction.stage === finalStage);

describe('Dockerfile', () => {
  test('builds every stage from a pinned Node 24 image', () => {
    const stageNames = froms.map(({ alias }) => alias);
    const bases = froms.map(({ image }) => image).filter((image) => !stageNames.includes(image));
    expect(bases.length).toBeGreaterThan(0);
    expect(
      bases.filter(
        (image) => !/^(docker\.io\/)?(library\/)?node:24\.\d+\.\d+(-[a-z0-9.-]+)?(@sha256:[0-9a-f]{64})?$/.test(image),
      ),
    ).toEqual([]);
  });

  test('installs the locked production dependencies, skipping the Temporal binary provisioning', () => {
    // npm install, not npm ci: the lock cannot list other platforms' optional binaries (see .ci/run).
    const install = instructions.find(
      (instruction) => instruction.keyword === 'RUN' && /\bnpm install\b/.test(instruction.args),
    );
    expect(install?.args).toEqual(expect.stringContaining('--omit=dev'));
    const copiesLock = instructions.some(
      (instruction) =>
        instruction.stage === install?.stage &&
        instruction.keyword === 'COPY' &&
        /\bpackage-lock\.json\b/.test(instruction.args),
    );
    expect(copiesLock).toBe(true);
    const stageSetsSkip = instructions.some(
      (instruction) =>
        instruction.stage === install?.stage &&
        ['ENV', 'ARG'].includes(instruction.keyword) &&
        /\bSKIP_TOOLS_PROVISION=1\b/.test(instruction.args),
    );
    expect(stageSetsSkip || /\bSKIP_TOOLS_PROVISION=1\b/.test(install?.args ?? '')).toBe(true);
  });

  test('copies only files that exist and that .dockerignore lets through', () => {
    const sources = instructions
      .filter(({ keyword, args }) => (keyword === 'COPY' || keyword === 'ADD') && !args.includes('--from='))
      .flatMap(({ args }) => {
        const parts = args.split(/\s+/).filter((part) => !part.startsWith('--'));
        return parts.slice(0, -1);
      })
      .filter((source) => source !== '.');
    expect(sources.length).toBeGreaterThan(0);
    expect(sources.filter((source) => !existsSync(repoPath(source)))).toEqual([]);
    expect(sources.filter((source) => ignored.includes(source.replace(/\/$/, '')))).toEqual([]);
  });

  test('runs the app as a non-root user with npm start on port 3000', () => {
    const user = inFinalStage('USER').at(-1)?.args.split(':')[0];
    expect(user).toBeDefined();
    expect(['root', '0']).not.toContain(user);
    expect(inFinalStage('EXPOSE').flatMap(({ args }) => args.split(/\s+/))).toContain('3000');
    expect(inFinalStage('CMD').map(({ args }) => JSON.parse(args) as unknown)).toEqual([['npm', 'start']]);
  });
});

describe('.dockerignore', () => {
  test('keeps local installs, state and history out of the build context', () => {
    expect(['node_modules', 'data', '.tools', '.git', 'coverage'].filter((entry) => !ignored.includes(entry))).toEqual(
      [],
    );
  });

  test('lets through what the image runs: sources, lockfile and the healthcheck script', () => {
    const needed = ['package.json', 'package-lock.json', 'runtime', 'deploy', 'deploy/healthcheck.mjs'];
    expect(
      needed.filter((entry) => ignored.some((pattern) => pattern === entry || pattern === '*' || pattern === '**')),
    ).toEqual([]);
  });
});
