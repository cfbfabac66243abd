import http from 'node:http';
import type { MessageStore, StoredMessage } from './message-store';

/**
 * The sink's read side, shaped like a small Mailpit: an HTML list for people at `/`,
 * JSON for tests at `/api/messages`, the raw source at `/api/messages/:id/raw`.
 */
export function createMailUi(store: MessageStore): http.Server {
  return http.createServer((req, res) => {
    handle(store, req, res).catch(() => {
      res.writeHead(500, { 'content-type': 'text/plain' }).end('mail sink error');
    });
  });
}

async function handle(store: MessageStore, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://sink');
  if (req.method !== 'GET') {
    res.writeHead(405, { allow: 'GET' }).end();
    return;
  }
  if (url.pathname === '/api/messages') {
    sendJson(res, 200, { messages: await store.list() });
    return;
  }
  const one = /^\/api\/messages\/([\w-]+)(\/raw)?$/.exec(url.pathname);
  if (one?.[1]) {
    if (one[2]) {
      const raw = await store.raw(one[1]);
      if (raw) res.writeHead(200, { 'content-type': 'message/rfc822' }).end(raw);
      else sendJson(res, 404, { error: 'no such message' });
      return;
    }
    const message = await store.get(one[1]);
    if (message) sendJson(res, 200, message);
    else sendJson(res, 404, { error: 'no such message' });
    return;
  }
  if (url.pathname === '/') {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(renderList(await store.list()));
    return;
  }
  sendJson(res, 404, { error: 'not found' });
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function renderList(messages: StoredMessage[]): string {
  const rows = messages
    .map(
      (m) =>
        `<tr><td>${escapeHtml(m.receivedAt)}</td><td>${escapeHtml(m.from ?? '')}</td>` +
        `<td>${escapeHtml(m.to.join(', '))}</td><td><a href="/api/messages/${m.id}/raw">${escapeHtml(m.subject)}</a></td>` +
        `<td><pre>${escapeHtml(m.text.slice(0, 500))}</pre></td></tr>`,
    )
    .join('\n');
  return `<!doctype html><html><head><meta charset="utf-8"><title>Mail sink</title>
<style>body{font-family:sans-serif}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px;vertical-align:top}pre{margin:0;white-space:pre-wrap}</style>
</head><body><h1>Mail sink: ${messages.length} message(s)</h1>
<table><tr><th>Received</th><th>From</th><th>To</th><th>Subject</th><th>Text</th></tr>
${rows}
</table></body></html>`;
}
