// contrib/prometheus: the rules pass promtool's checks and unit tests, and a real Prometheus
// evaluating them against `umltop serve` on real guests fires the host CPU alert for a spinning
// guest, clears it once the guest is paused, and fires the exporter-down alert when umltop stops.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExporterRig } from '../helpers/prometheus.js';
import { runCli } from '../helpers/run-cli.js';
import { Fleet, waitFor } from '../helpers/uml-fleet.js';

const CONTRIB = path.resolve(import.meta.dirname, '../../contrib/prometheus');
const promtool = (...args: string[]) =>
  execFileSync('bash', ['-c', `cd ${CONTRIB} && promtool ${args.join(' ')} 2>&1; echo "rc=$?"`], { encoding: 'utf8' });

/** The shipped rules with one alert's `for:`, range and threshold changed (a test cannot wait minutes). */
export function adjustRule(rules: string, alert: string, edit: (block: string) => string): string {
  const start = rules.indexOf(`- alert: ${alert}\n`);
  if (start < 0) throw new Error(`no alert ${alert} in the rules`);
  const next = rules.indexOf('- alert: ', start + 1);
  const end = next < 0 ? rules.length : rules.lastIndexOf('\n', next) + 1;
  const block = rules.slice(start, end);
  const changed = edit(block);
  if (changed === block) throw new Error(`the edit changed nothing in ${alert}`);
  return rules.slice(0, start) + changed + rules.slice(end);
}

describe('contrib/prometheus rules', () => {
  it('promtool check rules and promtool test rules pass', () => {
    expect(promtool('check', 'rules', 'umltop-rules.yml')).toMatch(/SUCCESS: 13 rules found[\s\S]*rc=0/);
    expect(promtool('test', 'rules', 'umltop-rules.test.yml')).toMatch(/SUCCESS\s+rc=0/);
  });
});

describe('the rules evaluated by a real Prometheus against umltop serve on real guests', () => {
  let fleet: Fleet;
  let dir: string;
  let rig: ExporterRig;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'umltop-rules-'));
    rig = new ExporterRig(dir);
    fleet = await Fleet.boot([{ umid: 'rule-spin', workloads: ['cpu'] }, { umid: 'rule-idle' }]);
  });
  afterAll(async () => {
    rig?.stopAll();
    await fleet?.teardown();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("a spinning guest's host CPU alert fires, clears when the guest is paused; umltop stopped fires UmltopExporterDown", async () => {
    const serve = await rig.serve(['--uml-dir', fleet.umlDir, '--notify-socket', path.join(dir, 'n')]);
    let rules = fs.readFileSync(path.join(CONTRIB, 'umltop-rules.yml'), 'utf8');
    // 2 cores shared with Prometheus and the other guest: a spinner gets 50-100 % of one; 25 % says it spins
    rules = adjustRule(rules, 'UmltopHostCpuHigh', (b) =>
      b.replace('[1m]) * 100 > 90', '[4s]) * 100 > 25').replace('for: 30s', 'for: 3s'),
    );
    rules = adjustRule(rules, 'UmltopExporterDown', (b) => b.replace('for: 1m', 'for: 2s'));
    fs.writeFileSync(path.join(dir, 'rules.yml'), rules);
    const prom = await rig.prometheus(
      [
        'global:',
        '  scrape_interval: 1s',
        '  scrape_timeout: 1s',
        '  evaluation_interval: 1s',
        'rule_files:',
        `  - ${dir}/rules.yml`,
        'scrape_configs:',
        '  - job_name: umltop',
        '    static_configs:',
        `      - targets: ['127.0.0.1:${serve.port}']`,
        '',
      ].join('\n'),
    );
    const firing = async (alert: string) =>
      (await prom.alerts()).filter((a) => a.labels.alertname === alert && a.state === 'firing');

    await waitFor(async () => (await firing('UmltopHostCpuHigh')).length > 0, 40_000, 'UmltopHostCpuHigh to fire');
    const cpu = await firing('UmltopHostCpuHigh');
    expect(cpu.map((a) => a.labels.umid)).toEqual(['rule-spin']);
    expect(cpu[0]!.labels).toMatchObject({ job: 'umltop', severity: 'warning', uml_dir: fleet.umlDir });
    expect(await firing('UmltopExporterDown')).toEqual([]);

    // paused with mconsole stop, the guest burns nothing: the alert clears
    const stop = await runCli(['mconsole', '--uml-dir', fleet.umlDir, 'rule-spin', 'stop']);
    expect(stop.code).toBe(0);
    try {
      await waitFor(
        async () => (await prom.alerts()).every((a) => a.labels.alertname !== 'UmltopHostCpuHigh'),
        30_000,
        'UmltopHostCpuHigh to clear',
      );
    } finally {
      await runCli(['mconsole', '--uml-dir', fleet.umlDir, 'rule-spin', 'go']);
    }

    serve.child.kill('SIGTERM');
    await waitFor(async () => (await firing('UmltopExporterDown')).length > 0, 30_000, 'UmltopExporterDown to fire');
    expect((await firing('UmltopExporterDown'))[0]!.labels).toMatchObject({
      instance: `127.0.0.1:${serve.port}`,
      severity: 'critical',
    });
  }, 150_000);
});
