/**
 * `npx tsx bench/cpu-profile-summary.ts <file.cpuprofile> [top] [windows]`: where a `node --cpu-prof`
 * run spent its CPU, by self time per function and by inclusive time per source file, so a load
 * test's profile says which layer (auth, ORM, serialisation, logging) costs what without a GUI.
 * Windows (`from-to,from-to`, CLOCK_MONOTONIC microseconds: the clock of the profile's timestamps
 * and of `process.hrtime` in any process of the machine) keep only the samples of a load's
 * batches, leaving out start-up, shutdown and the other side of a comparison; idle time is never
 * counted in the total.
 */
import fs from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  startTime: number;
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function shortUrl(url: string): string {
  const inModules = url.lastIndexOf('node_modules/');
  if (inModules >= 0) return url.slice(inModules + 'node_modules/'.length);
  const inRepo = url.search(/\/(api|db|bench|contracts|dsl|runtime|activities|workflows)\//);
  return inRepo >= 0 ? url.slice(inRepo + 1) : url || '(native)';
}

function summarise(profile: Profile, top: number, windows: { from: number; to: number }[]): void {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const idle = new Set(profile.nodes.filter((node) => node.callFrame.functionName === '(idle)').map((node) => node.id));
  const selfMicros = new Map<number, number>();
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    at += delta;
    if (idle.has(id) || !windows.some((window) => at >= window.from && at <= window.to)) return;
    selfMicros.set(id, (selfMicros.get(id) ?? 0) + delta);
  });
  const total = [...selfMicros.values()].reduce((a, b) => a + b, 0);

  const selfByFunction = new Map<string, number>();
  const inclusiveByFile = new Map<string, number>();
  // Only the synchronous part of an async function is on its stack: what runs after an await is
  // charged to the microtask queue, so this shows which of the project's own steps cost CPU.
  const inclusiveByOwnFunction = new Map<string, number>();
  for (const [id, micros] of selfMicros) {
    const node = byId.get(id)!;
    const name = `${node.callFrame.functionName || '(anonymous)'} ${shortUrl(node.callFrame.url)}:${node.callFrame.lineNumber + 1}`;
    selfByFunction.set(name, (selfByFunction.get(name) ?? 0) + micros);
    // Each file on the stack counts once per sample, however often it recurs.
    const files = new Set<string>();
    const ownFunctions = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
      const frame = byId.get(at)!.callFrame;
      if (frame.url) files.add(shortUrl(frame.url));
      if (frame.url && !frame.url.includes('node_modules/') && !frame.url.startsWith('node:')) {
        ownFunctions.add(`${frame.functionName || '(anonymous)'} ${shortUrl(frame.url)}`);
      }
    }
    for (const file of files) inclusiveByFile.set(file, (inclusiveByFile.get(file) ?? 0) + micros);
    for (const own of ownFunctions) inclusiveByOwnFunction.set(own, (inclusiveByOwnFunction.get(own) ?? 0) + micros);
  }
  const print = (title: string, entries: Map<string, number>) => {
    console.log(`\n${title}`);
    for (const [name, micros] of [...entries].sort((a, b) => b[1] - a[1]).slice(0, top)) {
      console.log(`${((100 * micros) / total).toFixed(1).padStart(5)} %  ${name}`);
    }
  };
  console.log(`${(total / 1e6).toFixed(1)} s of CPU sampled`);
  print('self time by function', selfByFunction);
  print('inclusive time by file', inclusiveByFile);
  print("inclusive time by the project's own functions (synchronous parts)", inclusiveByOwnFunction);
}

const [file, top, windows] = process.argv.slice(2);
if (!file) throw new Error('usage: tsx bench/cpu-profile-summary.ts <file.cpuprofile> [top] [from-to,from-to…]');
summarise(
  JSON.parse(fs.readFileSync(file, 'utf8')) as Profile,
  Number(top ?? 40),
  windows === undefined
    ? [{ from: -Infinity, to: Infinity }]
    : windows.split(',').map((window) => {
        const [from, to] = window.split('-').map(Number);
        return { from: from!, to: to! };
      }),
);
