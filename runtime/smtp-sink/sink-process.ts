import { fork } from 'node:child_process';
import path from 'node:path';
import { PortInUseError } from '../port-check';
import type { ServiceRun } from '../supervision/supervised-service';
import type { SmtpSinkOptions } from './index';

export interface SinkAddresses {
  smtpUrl: string;
  uiUrl: string;
}

type SinkMessage = SinkAddresses | { error: string };

const ENTRY = path.join(import.meta.dirname, 'main.ts');
const PORT_IN_USE = /^Port (\d+) is already in use: stop what is using it, or set (\w+) to a free port\.$/;

/** Runs the SMTP sink (runtime/smtp-sink/main.ts) as a child process and waits until it listens. */
export async function startSmtpSinkProcess(
  options: Omit<SmtpSinkOptions, 'logger' | 'portVariables'> & { logLevel: string },
): Promise<ServiceRun<SinkAddresses>> {
  const child = fork(
    ENTRY,
    [options.host, String(options.port), String(options.uiPort), options.dir, options.logLevel],
    // Its own process group: a terminal's Ctrl-C must not stop it before the worker has drained.
    { execArgv: ['--import', 'tsx'], detached: true, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
  );
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const first = await new Promise<SinkMessage>((resolve) => {
    child.once('message', (message) => resolve(message as SinkMessage));
    void exited.then((code) => resolve({ error: `the SMTP sink exited with code ${code} while starting` }));
  });
  if ('error' in first) {
    child.kill('SIGKILL');
    const port = PORT_IN_USE.exec(first.error);
    throw port ? new PortInUseError(Number(port[1]), port[2]!) : new Error(first.error);
  }
  // Its IPC channel must not keep this process alive.
  child.unref();
  child.channel?.unref();
  return {
    value: first,
    pid: child.pid!,
    exited,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
