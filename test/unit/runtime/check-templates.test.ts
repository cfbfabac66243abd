import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const env = { ...process.env, PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}` };

/** `npx tsx runtime/check-templates.ts …` from the repository root, as `npm run templates:check` runs it. */
function check(args: string[]): { status: number | null; lines: string[] } {
  const result = spawnSync('npx', ['tsx', 'runtime/check-templates.ts', ...args], { cwd: root, env, encoding: 'utf8' });
  return { status: result.status, lines: result.stdout.trim().split('\n') };
}

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'templates-check-'));
}

const header = (key: string) =>
  `key: ${key}\nname: ${key}\ninput: { type: object, properties: { id: { type: string } } }\nsteps:\n`;

describe('templates:check', () => {
  it('passes valid templates that call each other, with exit code 0', () => {
    const { status, lines } = check([
      'test/fixtures/templates/every-step-kind.yaml',
      'test/fixtures/templates/welcome-call.yaml',
    ]);
    expect(lines).toEqual(['2 templates checked: 0 errors, 0 warnings']);
    expect(status).toBe(0);
  });

  it('prints file:line:col code message per problem and exits 1', () => {
    const dir = tempDir();
    const file = join(dir, 'broken.yaml');
    writeFileSync(
      file,
      `${header('broken')}  - id: mail\n    call: mail.send\n    with: { to: =steps.nope.email, subject: s, text: t }\n  - id: stop\n    end: {}\n  - id: late\n    wait: PT1H\n`,
    );
    const { status, lines } = check([file]);
    expect(status).toBe(1);
    expect(lines).toEqual([
      `${file}:7:18 expr.unknown-reference steps[0].with.to: there is no step 'nope'`,
      `${file}:10:5 step.unreachable warning: steps[2]: step 'late' never runs: end step 'stop' ends the process before it`,
      '1 template checked: 1 error, 1 warning',
    ]);
  });

  it('finds a cycle between templates checked together, and unknown child templates', () => {
    const dir = tempDir();
    const a = join(dir, 'a.yaml');
    const b = join(dir, 'b.yaml');
    writeFileSync(a, `${header('a')}  - { id: child, process: { template: b } }\n`);
    writeFileSync(
      b,
      `${header('b')}  - { id: child, process: { template: a } }\n  - { id: other, process: { template: c } }\n`,
    );
    const { status, lines } = check([a, b]);
    expect(status).toBe(1);
    expect(lines).toEqual([
      `${a}:5:39 process.recursion steps[0].process.template: templates call each other in a cycle: a → b → a`,
      `${b}:5:39 process.recursion steps[0].process.template: templates call each other in a cycle: b → a → b`,
      `${b}:6:39 process.unknown-template steps[1].process.template: there is no template 'c'`,
      '2 templates checked: 3 errors, 0 warnings',
    ]);
  });

  it('checks templates/*.yaml when given no files', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'templates'));
    writeFileSync(join(dir, 'templates', 'ok.yaml'), `${header('ok')}  - { id: done, end: {} }\n`);
    writeFileSync(join(dir, 'templates', 'notes.txt'), 'not a template');
    const result = spawnSync(join(root, 'node_modules', '.bin', 'tsx'), [join(root, 'runtime', 'check-templates.ts')], {
      cwd: dir,
      env,
      encoding: 'utf8',
    });
    expect(result.stdout.trim()).toBe('1 template checked: 0 errors, 0 warnings');
    expect(result.status).toBe(0);
  });
});
