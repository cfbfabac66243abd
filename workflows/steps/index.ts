import { runCall } from './call';
import type { StepExecutors } from './context';
import { runEnd } from './end';
import { runFail } from './fail';
import { runForEach } from './for-each';
import { runParallel } from './parallel';
import { runProcessStep } from './process';
import { runReceive } from './receive';
import { runRepeat } from './repeat';
import { runSet } from './set';
import { runSwitch } from './switch';
import { runTask } from './task';
import { runWait } from './wait';

/** The one map of step kinds in the workflow layer: kind → how it runs. */
export const STEP_EXECUTORS: StepExecutors = {
  call: runCall,
  task: runTask,
  switch: runSwitch,
  parallel: runParallel,
  forEach: runForEach,
  repeat: runRepeat,
  wait: runWait,
  receive: runReceive,
  process: runProcessStep,
  set: runSet,
  end: runEnd,
  fail: runFail,
};

export type { StepContext, StepExecutor } from './context';
