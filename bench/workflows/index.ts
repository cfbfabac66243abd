// The benchmark's bundle: the product's workflows plus the hand-written baseline, on one worker.
export * from '../../workflows';
export { handWrittenThreeSteps } from './hand-written';
