import { Context } from '@temporalio/activity';
import type { Static, TSchema } from 'typebox';
import type { ActivityCatalog, ActivityContract } from '../dsl/activity-contract';
import { runAsAuditActor } from '../db/audit/audit-context';
import { activityAuditActor } from './activity-audit-actor';
import { createActivityLogBinder } from './activity-log-context';
import { activityOrigin } from './activity-origin';
import type { ActivityDeps } from './deps';

/**
 * One activity, defined once: its name, the contract templates are checked against and what it
 * does. `run`'s parameter and result types come from the contract's schemas, so the worker, the
 * linter and the type checker of expressions cannot disagree about an activity's shape.
 */
export interface ActivityDefinition<
  Name extends string = string,
  Params extends TSchema = TSchema,
  Result extends TSchema = TSchema,
> {
  name: Name;
  contract: ActivityContract<Params, Result>;
  run(params: Static<Params>, deps: ActivityDeps): Promise<Static<Result>>;
}

/**
 * An activity the interpreter calls itself (projections, task rows, template lookup): never named
 * in a template, so it has no contract; its types live with the workflow ↔ activity vocabulary.
 */
export interface EngineActivityDefinition<Name extends string = string, Params = never, Result = unknown> {
  name: Name;
  contract?: undefined;
  run(params: Params, deps: ActivityDeps): Promise<Result>;
}

export type AnyActivityDefinition =
  | ActivityDefinition<string, TSchema, TSchema>
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the list holds engine activities of every parameter type
  | EngineActivityDefinition<string, any, unknown>;

/** Keeps the literal name and the schemas' types, so `run` is checked against the contract. */
export function defineActivity<Name extends string, Params extends TSchema, Result extends TSchema>(
  definition: ActivityDefinition<Name, Params, Result>,
): ActivityDefinition<Name, Params, Result> {
  return definition;
}

export function defineEngineActivity<Name extends string, Params, Result>(
  definition: EngineActivityDefinition<Name, Params, Result>,
): EngineActivityDefinition<Name, Params, Result> {
  return definition;
}

type RunOf<D> = D extends { run(params: infer P, deps: ActivityDeps): Promise<infer R> }
  ? (params: P) => Promise<R>
  : never;

/** The worker's activity map of a list of definitions, keyed by name: what `proxyActivities` types against. */
export type ActivityFunctions<List extends readonly AnyActivityDefinition[]> = {
  [D in List[number] as D['name']]: RunOf<D>;
};

/**
 * Binds every definition to the worker's dependencies; a name given twice is a bug caught at start.
 * Each call runs as its process, so the changes it writes are recorded against it, and logs with
 * its instance, template and task ids (activity-log-context.ts).
 */
export function bindActivities<const List extends readonly AnyActivityDefinition[]>(
  definitions: List,
  deps: ActivityDeps,
): ActivityFunctions<List> {
  const functions: Record<string, (params: never) => Promise<unknown>> = {};
  const loggerFor = createActivityLogBinder(deps);
  for (const definition of definitions) {
    if (definition.name in functions) throw new Error(`activity ${definition.name} is defined twice`);
    functions[definition.name] = async (params: never) => {
      // A log label never fails the activity it labels (an activity retries without limit now).
      const logger = await loggerFor(params).catch(() => deps.logger);
      return runAsAuditActor(activityAuditActor(), () =>
        (definition.run as (p: never, d: ActivityDeps) => Promise<unknown>)(params, { ...deps, logger }),
      );
    };
  }
  return functions as ActivityFunctions<List>;
}

/** What templates may call: every definition that has a contract. */
export function catalogOf(definitions: readonly AnyActivityDefinition[]): ActivityCatalog {
  const catalog: Record<string, ActivityContract> = {};
  for (const definition of definitions) {
    if (definition.contract !== undefined) catalog[definition.name] = definition.contract;
  }
  return catalog;
}

/**
 * A key that is the same for every retry of one activity execution and different for
 * every other: workflow id + run id of the start event + activity id. That run id survives
 * a reset (whose new run schedules the same activity ids again, which must not repeat a
 * mail) and changes with continue-as-new (whose run counts activity ids from 1 again); for
 * a run that was never reset it is the run id itself. Callers that know a business key
 * (e.g. "lead 42 assigned mail") pass it instead.
 */
export function activityIdempotencyKey(explicit?: string): string {
  if (explicit) return explicit;
  const info = Context.current().info;
  const execution = info.workflowExecution;
  // Standalone activities (no workflow) have only their own id to go by.
  if (!execution) return `activity/${info.activityId}`;
  return `${execution.workflowId}/${activityOrigin()?.originalRunId ?? execution.runId}/${info.activityId}`;
}
