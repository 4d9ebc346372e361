// A real Prometheus server (Debian's, unpacked by scripts/test-tools.sh) and `umltop serve` for the
// exporter tests: started in a test's own dir, on free loopback ports, killed by stopAll().
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { BIN } from './run-cli.js';
import { freePort } from './sshd.js';
import { waitFor } from './uml-fleet.js';

/** Prometheus's API answers, as far as these checks read them. */
export interface Series {
  metric: Record<string, string>;
  value: [number, string];
}
export interface AlertState {
  labels: Record<string, string>;
  state: 'pending' | 'firing';
}

export class ExporterRig {
  private children: ChildProcess[] = [];
  constructor(readonly dir: string) {}

  /** `umltop serve` with these arguments (after --metrics 127.0.0.1:PORT), once it says it listens. */
  async serve(
    args: string[],
    env: NodeJS.ProcessEnv = {},
  ): Promise<{ port: number; child: ChildProcess; stderr: () => string }> {
    const port = await freePort();
    const child = spawn(process.execPath, [BIN, 'serve', '--metrics', `127.0.0.1:${port}`, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...env },
    });
    this.children.push(child);
    let err = '';
    child.stderr!.on('data', (d) => {
      err += d;
    });
    await waitFor(
      () => {
        if (child.exitCode !== null) throw new Error(`umltop serve exited ${child.exitCode}: ${err}`);
        return /metrics on http/.test(err);
      },
      10_000,
      'the exporter to listen',
    );
    return { port, child, stderr: () => err };
  }

  /** Prometheus with this prometheus.yml text (PORT-free: it gets its own listen address). */
  async prometheus(config: string): Promise<Prometheus> {
    const port = await freePort();
    const conf = path.join(this.dir, `prometheus-${port}.yml`);
    fs.writeFileSync(conf, config);
    const child = spawn(
      'prometheus',
      [
        `--config.file=${conf}`,
        `--storage.tsdb.path=${this.dir}/tsdb-${port}`,
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      { stdio: 'ignore' },
    );
    this.children.push(child);
    // up once it says it is ready; until then a refused connection is the expected answer
    await waitFor(
      () => {
        if (child.exitCode !== null) throw new Error(`prometheus exited ${child.exitCode}`);
        return fetch(`http://127.0.0.1:${port}/-/ready`).then(
          (r) => r.ok,
          () => false,
        );
      },
      30_000,
      'Prometheus to be ready',
      100,
    );
    return new Prometheus(`http://127.0.0.1:${port}/api/v1`);
  }

  stopAll(): void {
    for (const c of this.children) c.kill('SIGKILL');
  }
}

export class Prometheus {
  constructor(readonly api: string) {}

  /** An API answer, or an error saying what Prometheus said (never an empty answer in its place). */
  async get<T>(p: string): Promise<{ status: string; data: T }> {
    const res = await fetch(`${this.api}${p}`);
    const body = (await res.json()) as { status: string; data: T; error?: string };
    if (!res.ok || body.status !== 'success')
      throw new Error(`Prometheus ${p}: HTTP ${res.status}, ${body.status}${body.error ? `: ${body.error}` : ''}`);
    return body;
  }

  async query(q: string): Promise<Series[]> {
    return (await this.get<{ result: Series[] }>(`/query?query=${encodeURIComponent(q)}`)).data.result;
  }

  async alerts(): Promise<AlertState[]> {
    return (await this.get<{ alerts: AlertState[] }>('/alerts')).data.alerts;
  }

  async targets(): Promise<Array<{ health: string; lastError: string; scrapeUrl: string }>> {
    return (
      await this.get<{ activeTargets: Array<{ health: string; lastError: string; scrapeUrl: string }> }>('/targets')
    ).data.activeTargets;
  }
}
