// The config file on the command line: a bad file is one clear error, --print-config, and
// thresholds from the file on a real instance.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseArgs } from '../../src/config/args.js';
import { GLOBAL_FLAGS, globalOptions } from '../../src/config/options.js';
import { runCli } from '../helpers/run-cli.js';
import { Fleet } from '../helpers/uml-fleet.js';

const FIX = path.resolve(import.meta.dirname, '../fixtures/config');
const fixture = (name: string) => path.join(FIX, name);
const opts = (argv: string[], env: NodeJS.ProcessEnv = {}) =>
  globalOptions(parseArgs(argv, GLOBAL_FLAGS), { HOME: '/nonexistent', ...env });

describe('config file on the command line', () => {
  let dir: string;
  let fleet: Fleet;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'umltop-cfgcli-'));
    fleet = await Fleet.boot([{ umid: 'cfg-cpu', workloads: ['cpu'] }, { umid: 'cfg-idle' }]);
  });
  afterAll(async () => {
    await fleet?.teardown();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a bad file is one clear error (exit 2) naming the key and line; --print-config shows the effective settings', async () => {
    const bad = await runCli(['--config', fixture('bad-type.toml'), '--once']);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toBe(
      `umltop: config ${fixture('bad-type.toml')}:5: thresholds.mem_available_percent: expected number, got "ten"`,
    );
    const xdg = path.join(dir, 'xdg');
    fs.mkdirSync(path.join(xdg, 'umltop'), { recursive: true });
    fs.copyFileSync(fixture('full.toml'), path.join(xdg, 'umltop/config.toml'));
    const printed = await runCli(['--print-config', '--timeout', '3'], { env: { XDG_CONFIG_HOME: xdg } });
    expect(printed.code).toBe(0);
    expect(printed.stdout).toContain(`file: ${path.join(xdg, 'umltop/config.toml')}`);
    expect(printed.stdout).toMatch(/^interval = 2\.5 {2}# file$/m);
    expect(printed.stdout).toMatch(/^timeout = 3 {2}# flag$/m);
    expect(printed.stdout).toMatch(/^host_cpu_percent = 75 {2}# file/m);
    expect(printed.stdout).toMatch(/^"view\.sort-cpu" = \[ "c" \] {2}# file$/m);
    expect(printed.stdout).toMatch(/^"view\.sort-name" = \[ "N" \]$/m);
    // what it prints is itself a valid config file that gives the same settings
    fs.writeFileSync(path.join(dir, 'printed.toml'), printed.stdout);
    const again = await opts(['--config', path.join(dir, 'printed.toml')]);
    expect(again.intervalMs).toBe(2500);
    expect(again.thresholds.hostCpuPercent).toBe(75);
  });

  it('thresholds from the file change the alerts on a real instance', async () => {
    const cfg = path.join(dir, 'tight.toml');
    fs.writeFileSync(cfg, '[thresholds]\nhost_cpu_percent = 20\nhost_cpu_seconds = 1\n');
    const args = [
      '--batch',
      '-n',
      '4',
      '--json',
      '--interval',
      '0.5',
      '--uml-dir',
      fleet.umlDir,
      '--notify-socket',
      path.join(dir, 'n'),
    ];
    const tight = await runCli([...args, '--config', cfg]);
    expect(tight.code, tight.stderr).toBe(0);
    const last = JSON.parse(tight.stdout.trim().split('\n').at(-1)!);
    const alertsOf = (doc: typeof last, umid: string) =>
      doc.instances.find((i: { umid: string }) => i.umid === umid).alerts.map((a: { id: string }) => a.id);
    expect(alertsOf(last, 'cfg-cpu')).toContain('host-cpu');
    expect(alertsOf(last, 'cfg-idle')).not.toContain('host-cpu');
    const events = tight.stdout
      .trim()
      .split('\n')
      .flatMap((l) => JSON.parse(l).events);
    expect(
      events.some(
        (e: { type: string; umid: string; data?: { alert?: string } }) =>
          e.type === 'alert' && e.umid === 'cfg-cpu' && e.data?.alert === 'host-cpu',
      ),
    ).toBe(true);
    // the defaults (90 % for 30 s) do not fire within two seconds
    const loose = await runCli([...args, '--no-config']);
    expect(alertsOf(JSON.parse(loose.stdout.trim().split('\n').at(-1)!), 'cfg-cpu')).not.toContain('host-cpu');
  });
});
