// Every workflow type the worker registers; this file is the bundle's entry point.
export { runProcess } from './run-process';
export { smokeCheck } from './smoke-check';
