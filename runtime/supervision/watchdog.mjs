// Kills one supervised child when the process that started it is gone, even by SIGKILL, which
// leaves it no chance to do so itself. Plain JavaScript, so it starts in milliseconds without tsx.
// Usage: node watchdog.mjs <parent pid> <child pid> <signal> <group|process>
const [parentArg, childArg, signal = 'SIGTERM', scope = 'group'] = process.argv.slice(2);
const parent = Number(parentArg);
const child = Number(childArg);
const target = scope === 'group' ? -child : child;
const POLL_MS = 250;
const GRACE_MS = 5_000;

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

function send(sig) {
  try {
    process.kill(target, sig);
  } catch {
    // already gone
  }
}

// process.ppid is read live: once the parent has died this process has been handed to another
// one (init or a subreaper), which also rules out a reused parent pid.
const timer = setInterval(() => {
  if (!alive(child)) process.exit(0);
  if (process.ppid === parent && alive(parent)) return;
  clearInterval(timer);
  send(signal);
  const deadline = Date.now() + GRACE_MS;
  setInterval(() => {
    if (!alive(child)) process.exit(0);
    if (Date.now() > deadline) {
      send('SIGKILL');
      process.exit(0);
    }
  }, POLL_MS);
}, POLL_MS);
