// A worker thread gets neither tsx's loader (npm start) nor jest's transform (tests), so it
// registers tsx itself before loading the TypeScript worker: the same file works under both.
import { register } from 'tsx/esm/api';

register();
await import('./compile-worker.ts');
