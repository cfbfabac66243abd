import { Worker } from 'node:worker_threads';
import type { CompiledTemplate, CompileJob, CompileWorkerData, CompileWorkerMessage } from './messages';

export interface CompilePoolOptions extends CompileWorkerData {
  /** Wall-clock time one compile may take once a worker has it (default 5000 ms). */
  timeoutMs?: number;
  /** Old-generation heap of a worker (default 256 MB). */
  maxHeapMb?: number;
  /** Workers kept warm (default 1; more compile in parallel, each costs a thread and ~50 MB). */
  workers?: number;
}

/** A compile that ran out of time or memory: the template is too large or too complex. */
export class CompileBudgetError extends Error {
  constructor(
    readonly reason: 'time' | 'memory',
    message: string,
  ) {
    super(message);
    this.name = 'CompileBudgetError';
  }
}

interface Pending {
  job: CompileJob;
  resolve: (result: CompiledTemplate) => void;
  reject: (error: Error) => void;
  timer?: NodeJS.Timeout;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  pending?: Pending;
}

export const DEFAULT_COMPILE_TIMEOUT_MS = 5000;
const DEFAULT_MAX_HEAP_MB = 256;
const BOOTSTRAP = new URL('./worker-bootstrap.mjs', import.meta.url);

/**
 * Compiles templates in worker threads, so that a large or pathological template costs a worker,
 * not the API's event loop: a compile past its time budget or heap is terminated and answered
 * with {@link CompileBudgetError}, and a fresh worker takes its place. Workers start on the first
 * compile (or {@link warmUp}) and stay warm: starting one loads the compiler through tsx, which
 * takes seconds, while a warm compile of a built-in template takes tens of milliseconds. Time
 * waiting for a worker does not count against the budget.
 */
export class TemplateCompilePool {
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private readonly size: number;
  private readonly timeoutMs: number;
  private nextId = 1;
  private closed = false;

  constructor(private readonly options: CompilePoolOptions) {
    this.size = Math.max(1, options.workers ?? 1);
    this.timeoutMs = options.timeoutMs ?? DEFAULT_COMPILE_TIMEOUT_MS;
  }

  /** Starts the workers now rather than on the first compile. */
  warmUp(): void {
    while (!this.closed && this.slots.length < this.size) this.spawn();
  }

  compile(request: Omit<CompileJob, 'id'>): Promise<CompiledTemplate> {
    if (this.closed) return Promise.reject(new Error('the template compile pool is closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ job: { ...request, id: this.nextId++ }, resolve, reject });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const pending of this.queue.splice(0)) pending.reject(new Error('the template compile pool is closed'));
    const workers = this.slots.splice(0).map((slot) => {
      if (slot.pending) this.settle(slot)?.reject(new Error('the template compile pool is closed'));
      return slot.worker.terminate();
    });
    await Promise.all(workers);
  }

  private dispatch(): void {
    if (this.closed || this.queue.length === 0) return;
    this.warmUp();
    for (const slot of this.slots) {
      if (!slot.ready || slot.pending) continue;
      const pending = this.queue.shift();
      if (!pending) return;
      slot.pending = pending;
      slot.worker.ref();
      pending.timer = setTimeout(() => this.overrun(slot), this.timeoutMs);
      slot.worker.postMessage(pending.job);
    }
  }

  private spawn(): void {
    const { catalog, limits, runtimeLimits } = this.options;
    const workerData: CompileWorkerData = {
      catalog,
      ...(limits ? { limits } : {}),
      ...(runtimeLimits ? { runtimeLimits } : {}),
    };
    const worker = new Worker(BOOTSTRAP, {
      workerData,
      resourceLimits: { maxOldGenerationSizeMb: this.options.maxHeapMb ?? DEFAULT_MAX_HEAP_MB },
    });
    const slot: Slot = { worker, ready: false };
    this.slots.push(slot);
    worker.on('message', (message: CompileWorkerMessage) => this.received(slot, message));
    worker.on('error', (error: Error & { code?: string }) => this.lost(slot, error));
    worker.on('exit', (code) => this.lost(slot, new Error(`the compile worker exited with code ${code}`)));
  }

  private received(slot: Slot, message: CompileWorkerMessage): void {
    if (message.kind === 'ready') {
      slot.ready = true;
      slot.worker.unref();
    } else {
      const pending = this.settle(slot);
      if (message.kind === 'compiled') {
        const { plan, diagnostics } = message;
        pending?.resolve(plan ? { plan, diagnostics } : { diagnostics });
      } else {
        pending?.reject(new Error(`the template compiler failed: ${message.message}`));
      }
    }
    this.dispatch();
  }

  private overrun(slot: Slot): void {
    this.remove(slot);
    this.settle(slot)?.reject(
      new CompileBudgetError(
        'time',
        `compiling the template took longer than ${this.timeoutMs} ms; it is too large or too complex`,
      ),
    );
    void slot.worker.terminate();
    this.dispatch();
  }

  private lost(slot: Slot, error: Error & { code?: string }): void {
    if (!this.remove(slot)) return;
    const pending = this.settle(slot);
    if (error.code === 'ERR_WORKER_OUT_OF_MEMORY') {
      pending?.reject(
        new CompileBudgetError(
          'memory',
          'compiling the template needed more memory than allowed; it is too large or too complex',
        ),
      );
    } else {
      pending?.reject(error);
    }
    // A worker that never got ready would fail again: give up on what waits rather than loop.
    if (!slot.ready) for (const waiting of this.queue.splice(0)) waiting.reject(error);
    this.dispatch();
  }

  private settle(slot: Slot): Pending | undefined {
    const pending = slot.pending;
    slot.pending = undefined;
    if (pending?.timer) clearTimeout(pending.timer);
    if (!this.closed && this.slots.includes(slot)) slot.worker.unref();
    return pending;
  }

  private remove(slot: Slot): boolean {
    const index = this.slots.indexOf(slot);
    if (index === -1) return false;
    this.slots.splice(index, 1);
    return true;
  }
}
