/**
 * How big and how expensive a template may be. Compiling and evaluating are linear in what these
 * bound, so an oversized or pathological template is refused with a diagnostic at publish time
 * instead of stalling the API or spinning a workflow task until Temporal's 5 s CPU limit.
 */
export interface TemplateLimits {
  /** UTF-8 bytes of the YAML source; bigger sources are not even parsed. */
  maxSourceBytes: number;
  /** Alias nodes the YAML may resolve (a billion-laughs document needs thousands). */
  maxAliasCount: number;
  /** Nesting of YAML mappings and sequences. */
  maxNestingDepth: number;
  /** Steps, counting every nested one (branches, loops, onError, compensations). */
  maxSteps: number;
  /** Steps inside steps: a step in a forEach in a parallel branch is at depth 3. */
  maxStepDepth: number;
  /** Characters of one expression (after the `=`). */
  maxExpressionLength: number;
  /** Syntax-tree nodes of one expression. */
  maxExpressionNodes: number;
  /**
   * The publish-time estimate of one expression's cost (dsl/cel/cost.ts), in the run-time meter's
   * units. The estimate errs high, so the default equals the run-time budget.
   */
  maxExpressionCost: number;
}

/**
 * What the interpreter enforces while an instance runs. The compiler writes them into the plan,
 * so a published version keeps the budget it was checked against, and a replay sees the same.
 */
export interface RuntimeLimits {
  /** Cost units one evaluation may spend (a syntax-tree node visited, plus the size of each list, map or string it makes). */
  expressionCost: number;
  /** Bytes of JSON one value the process keeps may have: a set step's variables, an activity's or a task's result. */
  valueBytes: number;
}

export const DEFAULT_TEMPLATE_LIMITS: TemplateLimits = {
  maxSourceBytes: 256 * 1024,
  maxAliasCount: 100,
  maxNestingDepth: 64,
  maxSteps: 500,
  maxStepDepth: 16,
  maxExpressionLength: 1000,
  maxExpressionNodes: 500,
  maxExpressionCost: 1_000_000,
};

export const DEFAULT_RUNTIME_LIMITS: RuntimeLimits = {
  expressionCost: 1_000_000,
  valueBytes: 64 * 1024,
};
