// Every workflow type the worker registers; this file is the bundle's entry point.
export { smokeCheck } from './smoke-check';
