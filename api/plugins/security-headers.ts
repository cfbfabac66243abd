import fp from 'fastify-plugin';
import helmet from '@fastify/helmet';
import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';

export interface SecurityHeadersOptions {
  /** Origins a browser may call the API from (`https://crm.example.com`); empty: same origin only. */
  corsOrigins: readonly string[];
}

/**
 * Helmet's headers on every response, and CORS for the configured origins only. Helmet's default
 * Content-Security-Policy already fits the docs page (/docs: Swagger UI loads its scripts and
 * styles from this server, no inline script); two changes: Swagger UI shows the online validator's
 * badge, and `upgrade-insecure-requests` would send the page's own assets to https on a plain-http
 * deployment (localhost, docker-compose), leaving it blank.
 */
async function securityHeaders(app: FastifyInstance, options: SecurityHeadersOptions) {
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        imgSrc: ["'self'", 'data:', 'https://validator.swagger.io'],
        upgradeInsecureRequests: null,
      },
    },
  });
  // Without an allow-list no CORS header is sent, so browsers keep other origins out.
  if (options.corsOrigins.length > 0) {
    await app.register(cors, {
      origin: [...options.corsOrigins],
      credentials: true,
      methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
      exposedHeaders: ['location', 'retry-after', 'x-request-id'],
      maxAge: 600,
    });
  }
}

export default fp(securityHeaders, { name: 'security-headers', fastify: '5.x' });
