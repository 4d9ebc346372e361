// `umltop serve --metrics ADDR:PORT`: the collectors without a screen, as a Prometheus exporter.
import { Balancer, outcomeLine } from '../actions/balance.js';
import type { Poller } from '../collectors/poller.js';
import { Journal } from '../state/journal.js';
import { Ledger } from '../state/ledger.js';
import type { Store } from '../state/store.js';
import { sanitizeLine } from '../text/sanitize.js';
import { followFleetSize } from '../runtime/v8-heap.js';
import fs from 'node:fs';
import { systemClock } from '../runtime/clock.js';
import { type Listen, parseListen, startMetricsServer } from '../exporter/server.js';
import { readWebConfig, type WebConfig, WebConfigError } from '../exporter/web-config.js';
import { onExit } from '../runtime/exit-hooks.js';
import { flag, parseArgs, UsageError } from '../config/args.js';
import { listenForNotifications } from './notify-wiring.js';
import { GLOBAL_FLAGS, type GlobalOptions, globalOptions } from '../config/options.js';
import { storeAndPoller } from './collection.js';

export const SERVE_USAGE =
  'usage: umltop serve --metrics ADDR:PORT [--web-config FILE] [--uml-dir DIR]... [--interval S]   (e.g. --metrics 127.0.0.1:9464; :9464 for every address, with --web-config for TLS and basic auth)';

interface Io {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
}

export async function serveCommand(argv: string[], io: Io, version: string): Promise<number> {
  const args = await serveArgs(argv, io);
  if (typeof args === 'number') return args;
  const { opts, listen, web } = args;
  // with the balancer on, pressure rates over 3 s windows for guests that move (idle ones keep theirs)
  const balancing = opts.balanceInServe !== 'off';
  const { store, poller } = storeAndPoller(opts, systemClock, {
    vmstatEvery: balancing ? Math.max(1, Math.round(3000 / opts.intervalMs)) : undefined,
  });
  followFleetSize(store);
  const users = userNames();
  let server;
  try {
    server = await startMetricsServer(
      store,
      { userName: (uid) => (uid === undefined ? undefined : (users.get(uid) ?? String(uid))), version },
      listen,
      web,
    );
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    io.stderr.write(
      `umltop serve: cannot listen on ${listen.host}:${listen.port}: ${code === 'EADDRINUSE' ? 'the address is in use' : code === 'EACCES' ? 'permission denied' : (e as Error).message}\n`,
    );
    return 2;
  }
  let notify;
  try {
    notify = await listenForNotifications(opts.notifySocket, store, poller);
  } catch (e) {
    io.stderr.write(`umltop serve: ${(e as Error).message}\n`);
    await server.close();
    return 2;
  }
  poller.start();
  const stopBalancer = balancing ? startBalancer(opts, store, poller, io) : () => {};
  const loopback = /^(127\.|::1$|localhost$)/.test(listen.host);
  if (!loopback && !(web.tls && web.users))
    io.stderr.write(
      `umltop serve: warning: ${listen.host}:${listen.port} is reachable beyond this host ${web.tls ? 'without basic auth' : web.users ? 'with passwords in clear (no TLS)' : 'in clear, by anyone'}: see --web-config\n`,
    );
  io.stderr.write(
    `umltop serve: metrics on ${server.url} for ${opts.umlDirs.join(', ')} every ${opts.intervalMs / 1000}s\n`,
  );
  await new Promise<void>((resolve) => {
    // SIGINT/SIGTERM/SIGHUP: exit hooks run, then this resolves and the process exits 0.
    onExit(() => resolve());
    for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(sig, () => resolve());
  });
  stopBalancer();
  poller.stop();
  notify.listener?.close();
  await server.close();
  return 0;
}

/** [balance] serve = "dry-run" or "apply": rounds every [balance] every, moves and changed holds on stderr. */
function startBalancer(opts: GlobalOptions, store: Store, poller: Poller, io: Io): () => void {
  const balancer = new Balancer({
    store,
    poller,
    ledger: new Ledger(io.env),
    journal: new Journal(io.env),
    apply: opts.balanceInServe === 'apply' && !opts.readOnly,
    readOnly: opts.readOnly,
  });
  const last = new Map<string, string>();
  let running = false;
  const timer = setInterval(() => {
    if (running) return; // a round that moves memory may outlast the period
    running = true;
    void balancer
      .round()
      .then((outcomes) => {
        for (const o of outcomes) {
          const said = `${o.decision.action} ${o.decision.reason}`;
          if (last.get(o.decision.key) === said && !o.done) continue;
          last.set(o.decision.key, said);
          io.stderr.write(`umltop serve: balance: ${sanitizeLine(outcomeLine(o))}\n`);
        }
      })
      .catch((e: unknown) => io.stderr.write(`umltop serve: balance round failed: ${(e as Error).message}\n`))
      .finally(() => {
        running = false;
      });
  }, opts.balanceEveryMs);
  io.stderr.write(
    `umltop serve: memory balancer on (${opts.balanceInServe === 'apply' && !opts.readOnly ? 'moves memory' : 'dry run'}), a round every ${opts.balanceEveryMs / 1000}s\n`,
  );
  return () => clearInterval(timer);
}

/** The flags, or the exit code of a usage or web-config error (said on stderr). */
async function serveArgs(
  argv: string[],
  io: Io,
): Promise<{ opts: GlobalOptions; listen: Listen; web: WebConfig } | number> {
  try {
    const parsed = parseArgs(argv, [
      ...GLOBAL_FLAGS,
      { name: 'metrics', takesValue: true },
      { name: 'web-config', takesValue: true },
    ]);
    if (parsed.positionals.length) throw new UsageError(`unexpected '${parsed.positionals[0]}'`);
    const at = flag(parsed, 'metrics');
    if (!at) throw new UsageError('--metrics ADDR:PORT is required');
    const listen = parseListen(at);
    if (!listen) throw new UsageError(`--metrics wants ADDR:PORT, [IPv6]:PORT or :PORT, not '${at}'`);
    const opts = await globalOptions(parsed, io.env);
    const webFile = flag(parsed, 'web-config');
    return { opts, listen, web: webFile ? readWebConfig(webFile) : {} };
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr.write(`umltop serve: ${e.message}\n${SERVE_USAGE}\n`);
      return 2;
    }
    if (e instanceof WebConfigError) {
      io.stderr.write(`umltop serve: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}

/** uid → name from /etc/passwd (read once at start). */
function userNames(): Map<number, string> {
  const out = new Map<number, string>();
  try {
    for (const line of fs.readFileSync('/etc/passwd', 'utf8').split('\n')) {
      const f = line.split(':');
      if (f.length >= 3 && /^\d+$/.test(f[2]!)) out.set(Number(f[2]), f[0]!);
    }
  } catch {
    /* no passwd: numeric uids */
  }
  return out;
}
