import type { TSchema } from 'typebox';

/**
 * What the template language knows of an activity a `call` step may name: what it does and the
 * schemas of its parameters and result. The linter checks `with:` against `params`, and the type
 * checker reads `steps.<id>.…` against `result`. The language owns this shape; the activities
 * (activities/) fill it in, so nothing here depends on them.
 */
export interface ActivityContract<Params extends TSchema = TSchema, Result extends TSchema = TSchema> {
  description: string;
  params: Params;
  result: Result;
}

/** Every activity a template may call, by name (e.g. `crm.assignLead`). */
export type ActivityCatalog = Readonly<Record<string, ActivityContract>>;
