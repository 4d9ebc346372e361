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
  const auth = web.users ? new BasicAuth(web.users) : undefined;
  const handle = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    for (const [k, v] of Object.entries(web.headers ?? {})) res.setHeader(k, v);
    if (auth && !(await auth.check(req.headers.authorization))) {
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
      const body = renderMetrics(store, ctx, format);
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
  const onRequest = (req: http.IncomingMessage, res: http.ServerResponse) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  };
  const server = web.tls ? https.createServer({ ...web.tls }, onRequest) : http.createServer(onRequest);
  server.requestTimeout = 10_000;
  server.headersTimeout = 5_000;
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
