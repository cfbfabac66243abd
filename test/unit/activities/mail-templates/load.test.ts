import { afterEach, describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadMailTemplates, MailTemplateLoadError, renderMail } from '../../../../activities/mail-templates';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function templateDir(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mail-templates-'));
  dirs.push(dir);
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), content);
  }
  return dir;
}

const GOOD = 'subject: "Hi {{name}}"\ntext: |\n  Hello {{name}}\n';

function problemsOf(files: Record<string, string>): string[] {
  try {
    loadMailTemplates(templateDir(files));
  } catch (error) {
    expect(error).toBeInstanceOf(MailTemplateLoadError);
    return (error as MailTemplateLoadError).problems.map(
      (p) => `${path.basename(path.dirname(p.file))}/${path.basename(p.file)}: ${p.message}`,
    );
  }
  throw new Error('expected the templates to be rejected');
}

describe('loadMailTemplates', () => {
  it('loads a valid directory and renders from it', () => {
    const templates = loadMailTemplates(
      templateDir({
        'greet/en.yaml': GOOD,
        'greet/zh-CN.yaml': 'subject: "您好 {{name}}"\ntext: "{{name}}，您好"\nhtml: "<p>{{name}}</p>"\n',
      }),
    );
    expect(renderMail('greet', 'zh', { name: '<王>' }, templates)).toMatchObject({
      locale: 'zh-CN',
      subject: '您好 <王>',
      html: '<p>&lt;王&gt;</p>',
    });
  });

  it('names the file of an unknown locale', () => {
    expect(problemsOf({ 'greet/en.yaml': GOOD, 'greet/fr.yaml': GOOD })).toEqual([
      'greet/fr.yaml: unknown locale "fr" (known: en, zh-CN)',
    ]);
  });

  it('names the file missing a subject', () => {
    expect(problemsOf({ 'greet/en.yaml': 'text: hello\n' })).toEqual(['greet/en.yaml: missing subject']);
  });

  it('reports mustache syntax errors with the field', () => {
    const [problem, ...rest] = problemsOf({
      'greet/en.yaml': 'subject: "Hi {{name}}"\ntext: "{{#open}} never closed"\n',
    });
    expect(rest).toEqual([]);
    expect(problem).toMatch(/^greet\/en\.yaml: text: mustache syntax error: Unclosed section "open"/);
  });

  it('collects every problem across files in one error', () => {
    const problems = problemsOf({
      'a/en.yaml': 'subject: ""\ntext: t\nfooter: x\n',
      'b/zh-CN.yaml': GOOD,
      'c/en.yaml': 'subject: "two\\nlines"\ntext: "{{> partial}}"\n',
      'd/en.yaml': '- not\n- a mapping\n',
      'e/en.yaml': 'subject: [unclosed\n',
      'Bad_Name/en.yaml': GOOD,
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        'a/en.yaml: unknown field "footer" (allowed: subject, text, html)',
        'a/en.yaml: subject must be a non-empty string',
        'b/en.yaml: missing: every template needs the fallback locale en',
        'c/en.yaml: subject must be one line',
        'c/en.yaml: text: partials ({{> name}}) are not supported',
        'd/en.yaml: expected a mapping with subject, text and optional html',
        expect.stringMatching(/^e\/en\.yaml: YAML syntax error/),
        expect.stringMatching(/\/Bad_Name: template names are lower-case/),
      ]),
    );
  });

  it('rejects a directory that does not exist', () => {
    expect(() => loadMailTemplates(path.join(os.tmpdir(), 'no-such-mail-dir-x'))).toThrow(/directory does not exist/);
  });
});
