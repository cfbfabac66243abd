import { STEP_KINDS, type StepKind } from '../plan';
import { callStep } from './call';
import { endStep } from './end';
import { failStep } from './fail';
import { forEachStep } from './for-each';
import { parallelStep } from './parallel';
import { processStep } from './process';
import { receiveStep } from './receive';
import { repeatStep } from './repeat';
import { setStep } from './set';
import type { StepKindDefinition } from './step-kind';
import { switchStep } from './switch';
import { taskStep } from './task';
import { waitStep } from './wait';

/** The one map of step kinds in the template language: a step is of the kind whose key it has. */
export const STEP_KIND_DEFINITIONS: { readonly [K in StepKind]: StepKindDefinition<K> } = {
  call: callStep,
  task: taskStep,
  switch: switchStep,
  parallel: parallelStep,
  forEach: forEachStep,
  repeat: repeatStep,
  wait: waitStep,
  receive: receiveStep,
  process: processStep,
  set: setStep,
  end: endStep,
  fail: failStep,
};

/** Keys every step may have, whatever its kind. */
export const COMMON_STEP_KEYS = ['id', 'if', 'onError'] as const;

export function isStepKind(key: string): key is StepKind {
  return (STEP_KINDS as readonly string[]).includes(key);
}

/** Keys a step of this kind may have besides the common ones. */
export function keysOfKind(kind: StepKind): string[] {
  return Object.keys(STEP_KIND_DEFINITIONS[kind].schema.properties);
}
