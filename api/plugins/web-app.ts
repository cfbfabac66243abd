import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export interface WebAppOptions {
  /** The built web app (dist/web): index.html, link.html and assets/. */
  root: string;
  /** Why the web app is missing, shown on its pages when `root` holds no build. */
  unavailableReason?: string;
}

/** Paths the server answers itself; an unknown one there is the API's 404, never the app's page. */
const SERVER_PATHS = /^\/(api|docs|healthz|readyz|metrics)(\/|$|\?)/;
/**
 * A file at the build's top level (`/favicon.ico`, `/robots.txt`): a missing one is a 404, not the
 * app. Deeper paths are pages whatever they end with: a task id in `/tasks/<id>` holds dots
 * (`…steps[0].forEach…@0.0.0`), and assets have their own route.
 */
const FILE_PATH = /^\/[^/]+\.[a-z][a-z0-9]*$/i;

/**
 * Serves the web app beside the API: `/assets/*` (content-hashed, cached for a year),
 * `/l/*` the signed-link pages (link.html: customers and mail actions, a bundle of their own),
 * and every other page path the staff app (index.html), whose router then reads the URL. The
 * HTML is `no-cache`, so a rebuild's new asset names reach browsers at once.
 *
 * A catch-all route rather than a second not-found handler: the problem+json plugin owns the
 * root's, and Fastify allows one there. Unknown API paths are handed back to it
 * (`callNotFound`), so clients of the API keep their problem+json 404.
 */
export default async function webApp(app: FastifyInstance, options: WebAppOptions): Promise<void> {
  // `serve: false`: the routes below decide which file a path gets; sendFile reads it per request,
  // so a rebuild while the server runs is picked up (new asset names included).
  await app.register(fastifyStatic, { root: options.root, serve: false });

  const built = () => existsSync(join(options.root, 'index.html'));

  function sendPage(reply: FastifyReply, page: 'index.html' | 'link.html') {
    if (!built()) return sendUnavailable(reply, options.unavailableReason);
    reply.header('cache-control', 'no-cache');
    return reply.sendFile(page, { cacheControl: false });
  }

  app.get('/assets/*', async (request: FastifyRequest<{ Params: { '*': string } }>, reply) =>
    reply.sendFile(join('assets', request.params['*']), { maxAge: '365d', immutable: true }),
  );

  app.get('/l/*', async (_request, reply) => sendPage(reply, 'link.html'));

  app.get('/*', async (request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    if (SERVER_PATHS.test(path)) return reply.callNotFound();
    if (FILE_PATH.test(path)) return reply.sendFile(path.slice(1), { maxAge: '1h' });
    return sendPage(reply, 'index.html');
  });
}

function sendUnavailable(reply: FastifyReply, reason: string | undefined) {
  const detail = reason ?? 'The web app has not been built.';
  return reply
    .code(503)
    .header('cache-control', 'no-store')
    .type('text/html; charset=utf-8')
    .send(
      `<!doctype html><meta charset="utf-8"><title>Web app unavailable</title>` +
        `<h1>The web app is not available</h1><p>${escapeHtml(detail)}</p>` +
        `<p>Build it with <code>npm run web:build</code> (or restart <code>npm start</code>, which builds it when ` +
        `its sources changed). The API is running: <a href="/docs">/docs</a>.</p>`,
    );
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
