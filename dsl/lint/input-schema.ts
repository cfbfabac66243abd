import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import { listOf } from '../suggest';
import type { LintRule } from './rule';

let ajv: Ajv2020 | undefined;

/** The input is a JSON Schema the API validates starts against, so it must itself be a valid one. */
export const inputSchema: LintRule = {
  name: 'input-schema',
  codes: ['input.invalid-schema'],
  check({ model, report }) {
    if (typeof model.inputSchema !== 'object' || model.inputSchema === null) return;
    ajv ??= new Ajv2020({ allErrors: true, strict: false });
    if (ajv.validateSchema(model.inputSchema)) return;
    // The meta-schema says one thing several ways (enum, array, anyOf); one message per place.
    const byPlace = new Map<string, ErrorObject>();
    for (const error of ajv.errors ?? []) {
      const known = byPlace.get(error.instancePath);
      if (!known || (error.keyword === 'enum' && known.keyword !== 'enum')) byPlace.set(error.instancePath, error);
    }
    for (const [pointer, error] of byPlace) {
      const at = pointer
        .split('/')
        .slice(1)
        .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
      const allowed =
        error.keyword === 'enum'
          ? `must be one of ${listOf((error.params as { allowedValues: unknown[] }).allowedValues.map(String))}`
          : (error.message ?? 'is invalid');
      report('input.invalid-schema', ['input', ...at], `not a valid JSON Schema: ${allowed}`);
    }
  },
};
