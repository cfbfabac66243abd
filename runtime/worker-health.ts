import http from 'node:http';
import { once } from 'node:events';
import { problemTypeUri } from '../api/problem-error';
import { checkReadiness, type ReadinessChecks } from '../api/readiness';

export interface WorkerHealth {
  url: string;
  stop(): Promise<void>;
}

const CHECK_TIMEOUT_MS = 3_000;

/**
 * `/healthz` and `/readyz` of a process without the API (ROLES=worker), for a process manager or
 * an orchestrator's probes; the same checks and answers as the API's, on WORKER_HEALTH_PORT.
 */
export async function startWorkerHealth(host: string, port: number, checks: ReadinessChecks): Promise<WorkerHealth> {
  const server = http.createServer((request, response) => {
    const reply = (status: number, type: string, body: unknown): void => {
      response.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      response.end(JSON.stringify(body));
    };
    const route = (request.url ?? '').split('?')[0];
    if (request.method !== 'GET' || (route !== '/healthz' && route !== '/readyz')) {
      reply(404, 'application/problem+json', { type: problemTypeUri('not-found'), title: 'Not Found', status: 404 });
      return;
    }
    if (route === '/healthz') {
      reply(200, 'application/json', { status: 'ok' });
      return;
    }
    void checkReadiness(checks, CHECK_TIMEOUT_MS).then((report) => {
      const services = report.services ? { services: report.services } : {};
      if (report.ready) reply(200, 'application/json', { status: 'ready', checks: report.checks, ...services });
      else
        reply(503, 'application/problem+json', {
          type: problemTypeUri('service-unavailable'),
          title: 'Service Unavailable',
          status: 503,
          detail: `Not ready: ${report.failures.join('; ')}`,
          checks: report.checks,
          ...services,
        });
    });
  });
  server.listen(port, host);
  await once(server, 'listening');
  return {
    url: `http://${host}:${port}`,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
