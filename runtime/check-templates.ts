import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ACTIVITY_CATALOG } from '../activities';
import { compileTemplate } from '../dsl/compile';
import { formatDiagnostic } from '../dsl/diagnostics';
import { listTemplateCalls } from '../dsl/template-calls';

/**
 * `npm run templates:check [files…]` for designers and CI: compiles each template (default:
 * templates/*.yaml) and prints `file:line:col code message` per problem, then a summary; exits 1
 * when any template has an error. Templates in templates/ and on the command line resolve each
 * other's `process` calls, so a cycle between them is found.
 */
function main(argv: readonly string[]): number {
  const files = argv.length > 0 ? [...argv] : builtInTemplates();
  if (files.length === 0) {
    console.log('templates:check: no templates to check (give files, or put *.yaml in templates/)');
    return 0;
  }
  const sources = new Map<string, string>();
  let errors = 0;
  let warnings = 0;
  for (const file of new Set([...builtInTemplates(), ...files])) {
    try {
      sources.set(file, readFileSync(file, 'utf8'));
    } catch (error) {
      if (!files.includes(file)) continue;
      console.log(`${file}:1:1 io.unreadable ${(error as Error).message}`);
      errors += 1;
    }
  }
  const callsByKey = new Map<string, readonly string[]>();
  for (const source of sources.values()) {
    const { key, calls } = listTemplateCalls(source);
    if (key !== undefined) callsByKey.set(key, calls);
  }
  let checked = 0;
  for (const file of files) {
    const source = sources.get(file);
    if (source === undefined) continue;
    checked += 1;
    const { diagnostics } = compileTemplate(source, {
      catalog: ACTIVITY_CATALOG,
      resolveTemplateCalls: (key) => callsByKey.get(key),
    });
    for (const diagnostic of diagnostics) {
      console.log(formatDiagnostic(diagnostic, source, file));
      if (diagnostic.severity === 'error') errors += 1;
      else warnings += 1;
    }
  }
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  console.log(`${plural(checked, 'template')} checked: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}`);
  return errors > 0 ? 1 : 0;
}

function builtInTemplates(): string[] {
  try {
    return readdirSync('templates')
      .filter((name) => /\.ya?ml$/.test(name))
      .sort()
      .map((name) => join('templates', name));
  } catch {
    return [];
  }
}

process.exitCode = main(process.argv.slice(2));
