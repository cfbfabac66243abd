import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { TSchema } from 'typebox';
import { describeSchemaError } from '../check-schema';
import { formatPath, type Path } from '../path';
import { expressionSource } from '../value-template';
import type { LintRule } from './rule';

// ajv-formats is CommonJS; its default export arrives wrapped under ESM.
const addFormats = (addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule;

let ajv: Ajv2020 | undefined;
const compiled = new WeakMap<TSchema, ValidateFunction>();

function validatorFor(schema: TSchema): ValidateFunction {
  let validate = compiled.get(schema);
  if (!validate) {
    ajv ??= addFormats(new Ajv2020({ allErrors: true, strict: false, verbose: true }));
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  return validate;
}

/**
 * A call's `with` must fit the activity's parameter schema from the catalog. The literal parts
 * are validated here; what an expression gives is compared with the parameter's type by the
 * expressions rule (under the same code), since only the type checker knows it.
 */
export const activityParams: LintRule = {
  name: 'activity-params',
  codes: ['call.invalid-params'],
  check({ model, report }) {
    for (const step of model.steps) {
      if (step.plan?.kind !== 'call' || !Object.hasOwn(model.catalog, step.plan.activity)) continue;
      const activity = step.plan.activity;
      const raw = step.raw.with ?? {};
      if (expressionSource(raw) !== undefined) continue;
      const expressions: string[] = [];
      const data = replaceExpressions(raw, [], expressions);
      const validate = validatorFor(model.catalog[activity]!.params);
      if (validate(data)) continue;
      for (const error of validate.errors ?? []) {
        const described = describeSchemaError(error, data, 'parameter');
        const at = formatPath(described.path);
        if (
          described.message === '' ||
          expressions.some((e) => at === e || at.startsWith(`${e}.`) || at.startsWith(`${e}[`))
        )
          continue;
        report('call.invalid-params', [...step.path, 'with', ...described.path], `${activity}: ${described.message}`, {
          atKey: described.atKey,
          fix: described.fix,
        });
      }
    }
  },
};

// Expressions stand in as placeholders: their values are unknown until run time.
function replaceExpressions(value: unknown, at: Path, found: string[]): unknown {
  if (expressionSource(value) !== undefined) {
    found.push(formatPath(at));
    return '';
  }
  if (Array.isArray(value)) return value.map((item, i) => replaceExpressions(item, [...at, i], found));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, replaceExpressions(item, [...at, key], found)]),
    );
  }
  return value;
}
