import type { ActivityCatalog } from '../../../dsl/activity-contract';
import type { LocatedDiagnostic } from '../../../dsl/diagnostics';
import type { RuntimeLimits, TemplateLimits } from '../../../dsl/limits';
import type { ProcessPlan } from '../../../dsl/plan';

/** What a compile worker is started with: what stays the same for every compile. */
export interface CompileWorkerData {
  catalog: ActivityCatalog;
  limits?: Partial<TemplateLimits>;
  runtimeLimits?: Partial<RuntimeLimits>;
}

/** One compile: the source and what the registry knew when it was asked. */
export interface CompileJob {
  id: number;
  source: string;
  roles?: string[];
  /** Each published template's key and the keys its `process` steps call. */
  calls: Record<string, string[]>;
}

/** A compile's outcome, its diagnostics with line and column (worked out in the worker too). */
export interface CompiledTemplate {
  /** Present only when there are no errors. */
  plan?: ProcessPlan;
  diagnostics: LocatedDiagnostic[];
}

export type CompileWorkerMessage =
  | { kind: 'ready' }
  | ({ kind: 'compiled'; id: number } & CompiledTemplate)
  | { kind: 'failed'; id: number; message: string };
