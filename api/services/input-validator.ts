import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { Json } from '../../dsl/plan';
import { ProblemError } from '../problem-error';

// ajv-formats is CommonJS; its default export arrives wrapped under ESM.
const addFormats = (addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule;

/** Validates start inputs against each template version's input schema; compiled once per version. */
export class InputValidator {
  private readonly ajv = new Ajv2020({ allErrors: true, strict: false });
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor() {
    addFormats(this.ajv);
  }

  assertValid(cacheKey: string, schema: Json, input: unknown): void {
    let validate = this.compiled.get(cacheKey);
    if (!validate) {
      validate = this.ajv.compile(schema as object);
      this.compiled.set(cacheKey, validate);
    }
    if (validate(input)) return;
    const errors = (validate.errors ?? []).map((e) => ({
      path: `/body/input${e.instancePath}${e.keyword === 'required' ? `/${String((e.params as { missingProperty?: string }).missingProperty)}` : ''}`,
      message: e.message ?? 'is invalid',
    }));
    throw new ProblemError({
      status: 400,
      type: 'validation',
      title: 'Bad Request',
      detail: `The input does not match the template's input schema: ${errors.map((e) => `${e.path} ${e.message}`).join('; ')}`,
      extensions: { errors },
    });
  }
}
