// The HTTP side of `umltop serve --metrics ADDR:PORT`: GET /metrics renders the store (the poller
// keeps it fresh on its own beat; a scrape never waits for a guest).
import http from 'node:http';
import https from 'node:https';
import { BasicAuth } from './basic-auth.js';
import type { WebConfig } from './web-config.js';
import { CONTENT_TYPES, negotiate, renderMetrics, type MetricsContext } from './metrics.js';
import type { Store } from '../state/store.js';

export interface Listen {
  host: string;
  port: number;
}

/** `ADDR:PORT`, `[v6]:PORT` or `:PORT` (every address, as node_exporter's `:9100`). */
export function parseListen(s: string): Listen | undefined {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(s);
  if (!m) return undefined;
  const port = Number(m[3]);
  if (port > 65535) return undefined;
  return { host: m[1] ?? (m[2] || '::'), port };
}

/** Open sockets the exporter allows at once (a Prometheus needs one per scrape in flight). */
export const MAX_CONNECTIONS = 64;

export interface MetricsServer {
  url: string;
  close(): Promise<void>;
}

/** `web`: the --web-config file's TLS, basic auth users and headers. */
export function startMetricsServer(
  store: Store,
  ctx: MetricsContext,
  at: Listen,
  web: WebConfig = {},
): Promise<MetricsServer> {
  const onRequest = requestHandler(store, ctx, web);
  // Bounds for clients that misbehave: headers and whole requests must arrive in time (slow
  // clients), a socket idle this long is closed, headers are at most 8 KiB (431 beyond), and at
  // most MAX_CONNECTIONS sockets are open (more are closed as they come). Node checks the request
  // deadlines every connectionsCheckingInterval (30 s by default): every second here.
  const limits = { maxHeaderSize: 8192, connectionsCheckingInterval: 1000 };
  const server = web.tls
    ? https.createServer({ ...web.tls, ...limits }, onRequest)
    : http.createServer(limits, onRequest);
  server.requestTimeout = 10_000;
  server.headersTimeout = 5_000;
  server.setTimeout(15_000, (socket) => socket.destroy());
  server.maxConnections = MAX_CONNECTIONS;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(at.port, at.host, () => {
      server.off('error', reject);
      const a = server.address();
      const port = typeof a === 'object' && a ? a.port : at.port;
      const host = at.host.includes(':') ? `[${at.host}]` : at.host;
      resolve({
        url: `${web.tls ? 'https' : 'http'}://${host}:${port}/metrics`,
        close: () =>
          new Promise((r) => {
            server.closeAllConnections();
            server.close(() => r());
          }),
      });
    });
  });
}

/** GET /metrics (and /) with the web config's auth and headers, counting responses by code. */
function requestHandler(store: Store, ctx: MetricsContext, web: WebConfig) {
  const auth = web.users ? new BasicAuth(web.users) : undefined;
  const requests = new Map<number, number>();
  const counted = (res: http.ServerResponse) =>
    res.once('finish', () => requests.set(res.statusCode, (requests.get(res.statusCode) ?? 0) + 1));
  const self = { ...ctx, exporter: () => ({ requests, passwordChecks: auth?.bcryptChecks, busy: auth?.busyRefusals }) };
  const handle = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    counted(res);
    for (const [k, v] of Object.entries(web.headers ?? {})) res.setHeader(k, v);
    const allowed = auth ? await auth.check(req.headers.authorization) : true;
    if (allowed === 'busy') {
      res.writeHead(503, { 'Retry-After': '1', 'Content-Type': 'text/plain' }).end('busy checking passwords\n');
      return;
    }
    if (!allowed) {
      res
        .writeHead(401, { 'WWW-Authenticate': 'Basic realm="umltop"', 'Content-Type': 'text/plain' })
        .end('401 Unauthorized\n');
      return;
    }
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain' }).end('method not allowed\n');
      return;
    }
    if (path === '/metrics') {
      const format = negotiate(req.headers.accept);
      const body = renderMetrics(store, self, format);
      res.writeHead(200, { 'Content-Type': CONTENT_TYPES[format], 'Content-Length': Buffer.byteLength(body) });
      res.end(req.method === 'HEAD' ? undefined : body);
      return;
    }
    if (path === '/') {
      res
        .writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' })
        .end(
          '<html><head><title>umltop exporter</title></head><body><h1>umltop exporter</h1><p><a href="/metrics">Metrics</a></p></body></html>\n',
        );
      return;
    }
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found: try /metrics\n');
  };
  return (req: http.IncomingMessage, res: http.ServerResponse) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  };
}
