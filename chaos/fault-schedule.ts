import type { ComponentName } from './environment';

export type FaultTarget = 'worker' | 'api' | 'temporal' | 'postgres' | 'smtp';

/** One planned fault: at `atMs` after the burst starts, `component` is killed and started again `downMs` later. */
export interface PlannedFault {
  target: FaultTarget;
  component: ComponentName;
  atMs: number;
  downMs: number;
}

/** mulberry32: a small seeded generator, so a run's schedule is given by its seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * `kills` faults spread over `windowMs`: the targets in a seeded order in which every kind comes
 * once before any comes twice, each down between `downMs.min` and `downMs.max` (SMTP held down
 * for `smtpHoldMs`), one after the other.
 */
export function planFaults(options: {
  seed: number;
  kills: number;
  windowMs: number;
  workers: number;
  downMs: { min: number; max: number };
  smtpHoldMs: number;
  targets: FaultTarget[];
}): PlannedFault[] {
  const random = seededRandom(options.seed);
  const order = [...options.targets];
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const times = Array.from({ length: options.kills }, () => Math.round(random() * options.windowMs)).sort(
    (a, b) => a - b,
  );
  return times.map((atMs, i) => {
    const target = order[i % order.length]!;
    const component: ComponentName =
      target === 'worker' ? `worker-${1 + Math.floor(random() * options.workers)}` : target;
    const downMs =
      target === 'smtp'
        ? options.smtpHoldMs
        : Math.round(options.downMs.min + random() * (options.downMs.max - options.downMs.min));
    return { target, component, atMs, downMs };
  });
}
