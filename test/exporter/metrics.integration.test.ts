// The Prometheus exporter checked by promtool, then `umltop serve --metrics` on a real fleet,
// scraped by a real Prometheus server (Debian's `prometheus`).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderMetrics } from '../../src/exporter/metrics.js';
import { fixtureStore } from '../helpers/fixture-store.js';
import { BIN } from '../helpers/run-cli.js';
import { ExporterRig } from '../helpers/prometheus.js';
import { Fleet, waitFor } from '../helpers/uml-fleet.js';

const ctx = { userName: (uid: number | undefined) => (uid === 0 ? 'root' : undefined), version: '9.9.9' };

describe('promtool', () => {
  it('accepts the exposition of the fixture store', () => {
    const { store } = fixtureStore({ samples: 5 });
    const file = path.join(os.tmpdir(), `umltop-metrics-${process.pid}.txt`);
    fs.writeFileSync(file, renderMetrics(store, ctx, 'prometheus'));
    const lint = execFileSync('bash', ['-c', `promtool check metrics < ${file} 2>&1; echo "rc=$?"`], {
      encoding: 'utf8',
    });
    fs.rmSync(file);
    expect(lint.trim()).toBe('rc=0');
  });
});

describe('umltop serve on a real fleet, scraped by Prometheus', () => {
  let fleet: Fleet;
  let dir: string;
  let rig: ExporterRig;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'umltop-prom-'));
    rig = new ExporterRig(dir);
    fleet = await Fleet.boot([
      { umid: 'prom-cpu', workloads: ['cpu'] },
      { umid: 'prom-idle', workloads: ['netup'], disks: [16], tap: true },
      { umid: 'prom-mem', workloads: ['memhog'], arg: 16 },
    ]);
  });
  afterAll(async () => {
    rig?.stopAll();
    await fleet?.teardown();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('serves series for every umid; promtool accepts them; Prometheus scrapes them and ranks the CPU guest first', async () => {
    const { port, child: serve } = await rig.serve(['--uml-dir', fleet.umlDir, '--notify-socket', path.join(dir, 'n')]);
    // a second exporter on the same port: a clear error, exit 2
    const clash = execFileSync(
      'bash',
      [
        '-c',
        `node ${BIN} serve --metrics 127.0.0.1:${port} --uml-dir ${fleet.umlDir} --notify-socket ${dir}/n2 2>&1; echo "rc=$?"`,
      ],
      { encoding: 'utf8' },
    );
    expect(clash).toMatch(/cannot listen on 127\.0\.0\.1:\d+: the address is in use\nrc=2/);

    let text = '';
    await waitFor(
      async () => {
        text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
        return ['prom-cpu', 'prom-idle', 'prom-mem'].every((u) =>
          text.includes(`umltop_host_cpu_seconds_total{umid="${u}"`),
        );
      },
      10_000,
      'host CPU series of the three guests',
      200,
    );
    for (const umid of ['prom-cpu', 'prom-idle', 'prom-mem']) {
      expect(text).toMatch(
        new RegExp(`^umltop_host_cpu_seconds_total\\{umid="${umid}",uml_dir="[^"]+",user="root"\\} [\\d.]+$`, 'm'),
      );
      expect(text).toMatch(
        new RegExp(`^umltop_guest_memory_bytes\\{umid="${umid}",[^}]*field="MemAvailable"\\} \\d+$`, 'm'),
      );
      expect(text).toMatch(
        new RegExp(`^umltop_mconsole_request_duration_seconds_count\\{umid="${umid}",[^}]*\\} [1-9]\\d*$`, 'm'),
      );
    }
    // the idle guest's disk and interface, by the names node_exporter gives a machine's own
    expect(text).toMatch(/^umltop_guest_disk_reads_completed_total\{umid="prom-idle",[^}]*device="ubdb"\} \d+$/m);
    expect(text).toMatch(
      /^umltop_guest_network_receive_bytes_total\{umid="prom-idle",[^}]*device="vec0",tap="umlt[0-9a-z]+"\} 0$/m,
    );
    fs.writeFileSync(path.join(dir, 'metrics.txt'), text);
    const lint = execFileSync('bash', ['-c', `promtool check metrics < ${dir}/metrics.txt 2>&1; echo "rc=$?"`], {
      encoding: 'utf8',
    });
    expect(lint.trim()).toBe('rc=0');
    expect((await fetch(`http://127.0.0.1:${port}/nope`)).status).toBe(404);

    const prom = await rig.prometheus(
      `global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\nscrape_configs:\n  - job_name: umltop\n    static_configs:\n      - targets: ['127.0.0.1:${port}']\n`,
    );
    const query = (q: string) => prom.query(q);
    await waitFor(
      async () => (await query('up{job="umltop"}'))[0]?.value[1] === '1',
      30_000,
      'Prometheus to scrape umltop',
    );
    const target = (await prom.targets())[0]!;
    expect(target.health).toBe('up');
    expect(target.lastError).toBe('');
    const umids = (await query('umltop_host_cpu_seconds_total')).map((r) => r.metric.umid).sort();
    expect(umids).toEqual(['prom-cpu', 'prom-idle', 'prom-mem']);
    // the README's "top CPU guests across the fleet" query
    await waitFor(
      async () => (await query('topk(3, rate(umltop_host_cpu_seconds_total[10s]))')).length === 3,
      20_000,
      'three rates',
    );
    const top = await query('topk(3, rate(umltop_host_cpu_seconds_total[10s]))');
    const first = top.sort((a, b) => Number(b.value[1]) - Number(a.value[1]))[0];
    expect(first.metric.umid).toBe('prom-cpu');
    expect(Number(first.value[1])).toBeGreaterThan(0.05); // CPU seconds per second; 2 cores shared with Prometheus and the memhog
    serve.kill('SIGTERM');
    const code = await new Promise((r) => serve.on('exit', (c) => r(c)));
    expect(code).toBe(0);
  }, 120_000);
});
