// The config file: parsing, validation errors that name the key and line, precedence
// (flags > file > defaults), key overrides. On the command line: config.integration.test.ts.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeKeymap } from '../../src/ui/keys/keymap.js';
import { parseArgs } from '../../src/config/args.js';
import { GLOBAL_FLAGS, globalOptions } from '../../src/config/options.js';
import { ConfigError, defaultConfigPath, keyTable, loadConfig, locateKey, parseConfig } from '../../src/config/load.js';
import { DEFAULT_THRESHOLDS } from '../../src/state/alerts.js';

const FIX = path.resolve(import.meta.dirname, '../fixtures/config');
const fixture = (name: string) => path.join(FIX, name);
const opts = (argv: string[], env: NodeJS.ProcessEnv = {}) =>
  globalOptions(parseArgs(argv, GLOBAL_FLAGS), { HOME: '/nonexistent', ...env });
const errorOf = async (f: () => unknown): Promise<string> => {
  try {
    await f();
  } catch (e) {
    if (e instanceof ConfigError) return e.message;
    throw e;
  }
  throw new Error('no error');
};

describe('config file', () => {
  it('reads every key of a full file; flags override it, the rest come from defaults', async () => {
    const o = await opts(['--config', fixture('full.toml'), '--interval', '4']);
    expect(o.umlDirs).toEqual(['/srv/uml', '/home/ops/.uml']);
    expect(o.intervalMs).toBe(4000); // flag wins
    expect(o.origins.interval).toBe('flag');
    expect(o.origins.timeout).toBe('file');
    expect(o).toMatchObject({
      timeoutMs: 1000,
      readOnly: true,
      autoResumeMs: 120_000,
      notifySocket: '/run/umltop/notify',
      noColor: true,
      ascii: true,
      hosts: ['ops@hostA', 'hostB'],
    });
    expect(o.thresholds).toEqual({
      hostCpuPercent: 75,
      hostCpuForMs: 10_000,
      memAvailablePercent: 15,
      stormPerSec: 8000,
      stormFactor: 5,
      stormFloor: 100,
      pausedForMs: 60_000,
      ioStallMs: 20_000,
      diskFreePercent: 3,
      netErrors: 50,
      netErrorsForMs: 60_000,
    });
    expect(o.io).toBe(false);
    expect(o.nice).toBe(3);
    expect((await opts(['--config', fixture('full.toml'), '--nice', '-10'])).nice).toBe(-10);
    expect((await opts(['--no-config'])).nice).toBeUndefined();
    await expect(opts(['--no-config', '--nice', '-21'])).rejects.toThrow(
      /--nice must be a whole number from -20 to 19/,
    );
    expect(o.keys).toEqual({ 'view.sort-cpu': ['c'], 'view.sort-mem': ['u', 'M'] });
    expect(o.palette).toEqual({ host: '#00aaff', bad: 'redBright' });
    const d = await opts(['--no-config', '--config', fixture('full.toml')]);
    expect(d.thresholds).toEqual(DEFAULT_THRESHOLDS);
    expect(d.origins.interval).toBe('default');
  });

  it('is found at $XDG_CONFIG_HOME/umltop/config.toml, else ~/.config; a missing default file is fine, a missing --config is not', async () => {
    expect(defaultConfigPath({ XDG_CONFIG_HOME: '/x', HOME: '/h' })).toBe('/x/umltop/config.toml');
    expect(defaultConfigPath({ XDG_CONFIG_HOME: 'relative', HOME: '/h' })).toBe('/h/.config/umltop/config.toml');
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'umltop-cfg-'));
    try {
      expect(await loadConfig({ HOME: home })).toEqual({ config: {} });
      fs.mkdirSync(path.join(home, '.config/umltop'), { recursive: true });
      fs.copyFileSync(fixture('full.toml'), path.join(home, '.config/umltop/config.toml'));
      expect((await loadConfig({ HOME: home })).config.interval).toBe(2.5);
      expect(await errorOf(() => loadConfig({ HOME: home }, path.join(home, 'nope.toml')))).toMatch(
        /nope\.toml: cannot read it \(ENOENT\)/,
      );
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
    }
  });

  it('errors name the file, the line and the key, with what was found', async () => {
    expect(await errorOf(() => loadConfig({}, fixture('bad-type.toml')))).toBe(
      `config ${fixture('bad-type.toml')}:5: thresholds.mem_available_percent: expected number, got "ten"`,
    );
    expect(await errorOf(() => loadConfig({}, fixture('syntax.toml')))).toMatch(/syntax\.toml:3:1: not valid TOML/);
    expect(await errorOf(() => loadConfig({}, fixture('clash.toml')))).toBe(
      `config ${fixture('clash.toml')}:3: keys.view.sort-cpu: 'k' is already select.up (main view); rebind that one too`,
    );
    expect(await errorOf(() => parseConfig('intervall = 2\n', 'c.toml'))).toBe(
      "config c.toml:1: intervall: unknown key (did you mean 'interval'?)",
    );
    expect(await errorOf(() => parseConfig('\n[thresholds]\nhost_cpu_percent = 120\n', 'c.toml'))).toMatch(
      /^config c\.toml:3: thresholds\.host_cpu_percent: .*100.*got 120$/,
    );
    expect(await errorOf(() => parseConfig('[keys]\nview.sort-cpux = "c"\n', 'c.toml'))).toMatch(
      /c\.toml:2: keys\.view\.sort-cpux: no action 'view\.sort-cpux' \(did you mean 'view\.sort-cpu'\?\)/,
    );
    expect(await errorOf(() => parseConfig('[keys]\n"view.sort-cpu" = "F5"\n', 'c.toml'))).toMatch(
      /c\.toml:2: keys\.view\.sort-cpu: a key: one character/,
    );
    expect(await errorOf(() => parseConfig('[theme]\nhost = "pink"\n', 'c.toml'))).toMatch(
      /c\.toml:2: theme\.host: a colour name .* got "pink"/,
    );
    expect(await errorOf(() => parseConfig('hosts = ["-oProxyCommand=x"]\n', 'c.toml'))).toMatch(
      /c\.toml:1: hosts: an ssh destination/,
    );
  });

  it('locates keys in the shapes TOML allows', () => {
    const text = 'a = 1\n[t]\n  x = 2\n"y.z" = 3\n[u.v]\nw = 4\n';
    expect(locateKey(text, ['a'])).toBe(1);
    expect(locateKey(text, ['t', 'x'])).toBe(3);
    expect(locateKey(text, ['t', 'y.z'])).toBe(4);
    expect(locateKey(text, ['u', 'v', 'w'])).toBe(6);
    expect(locateKey(text, ['u', 'v', 'nope'])).toBe(5);
    expect(locateKey(text, ['nothing'])).toBeUndefined();
  });

  it('key overrides drive dispatch, help and footer alike', async () => {
    const keymap = makeKeymap({}, keyTable({ keys: (await opts(['--config', fixture('full.toml')])).keys }));
    expect(keymap.find('main', 'c')?.id).toBe('view.sort-cpu');
    expect(keymap.find('main', 'P')).toBeUndefined();
    expect(keymap.find('main', 'u')?.id).toBe('view.sort-mem');
    expect(keymap.actionsFor('main').find((a) => a.id === 'view.sort-cpu')!.keys).toEqual(['c']);
    expect(makeKeymap({}, keyTable({})).find('main', 'P')?.id).toBe('view.sort-cpu');
  });
});
