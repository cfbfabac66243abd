import { activityParams } from './activity-params';
import { completionSequential } from './completion-sequential';
import { duplicateStepIds } from './duplicate-step-ids';
import { durations } from './durations';
import { escalationAfterDue } from './escalation-after-due';
import { expressions } from './expressions';
import { inputSchema } from './input-schema';
import { localizedTexts } from './localized-texts';
import { optionalFields } from './optional-fields';
import { parallelN } from './parallel-n';
import { processRecursion } from './process-recursion';
import { receiveBuffer } from './receive-buffer';
import type { LintRule } from './rule';
import { startRoles } from './start-roles';
import { switchDefault } from './switch-default';
import { taskOutcomes } from './task-outcomes';
import { taskRoles } from './task-roles';
import { triggers } from './triggers';
import { unknownActivity } from './unknown-activity';
import { unknownStepKind } from './unknown-step-kind';
import { unreachableSteps } from './unreachable-steps';

/** Every lint rule, run in this order over each template after the schema check. */
export const LINT_RULES: readonly LintRule[] = [
  inputSchema,
  duplicateStepIds,
  unknownStepKind,
  unknownActivity,
  activityParams,
  expressions,
  optionalFields,
  durations,
  unreachableSteps,
  switchDefault,
  taskOutcomes,
  localizedTexts,
  taskRoles,
  startRoles,
  escalationAfterDue,
  parallelN,
  completionSequential,
  receiveBuffer,
  processRecursion,
  triggers,
];

export type { LintContext, LintRule } from './rule';
