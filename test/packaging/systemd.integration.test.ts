// contrib/systemd/umltop.service: systemd-analyze verify is clean (but for the binary not being
// installed here), its exposure is low, and `umltop serve` runs as the unit runs it (its
// environment, its capability bounding set, no new privileges) and serves a real guest it found
// from the process table.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN } from '../helpers/run-cli.js';
import { freePort } from '../helpers/sshd.js';
import { Fleet, pidAlive, waitFor } from '../helpers/uml-fleet.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const UNIT = path.join(ROOT, 'contrib/systemd/umltop.service');
const unitText = fs.readFileSync(UNIT, 'utf8');
/** umltop run as root with only these capabilities (`+name`) and no new privileges, as the unit runs it. */
const underCaps = (caps: string[], args: string[]): [string, string[]] => [
  'setpriv',
  ['--bounding-set', `-all,${caps.join(',')}`, '--inh-caps', '-all', '--no-new-privs', process.execPath, BIN, ...args],
];
const directive = (name: string) =>
  unitText
    .split('\n')
    .filter((l) => l.startsWith(`${name}=`))
    .map((l) => l.slice(name.length + 1));

describe('the systemd unit', () => {
  let dir: string;
  let fleet: Fleet;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'umltop-unit-'));
    // one of root's, one of another user's (umask 077: its uml dir, umid dir and socket are 0700)
    fleet = await Fleet.boot([{ umid: 'unit-idle' }, { umid: 'unit-other', user: { uid: 65534, gid: 65534 } }]);
  });
  afterAll(async () => {
    await fleet?.teardown();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('systemd-analyze verify reports nothing but the binary missing; security exposure is under 3.5', () => {
    // the Documentation= man page, from the repo's own
    fs.mkdirSync(path.join(dir, 'man/man1'), { recursive: true });
    fs.copyFileSync(path.join(ROOT, 'man/umltop.1'), path.join(dir, 'man/man1/umltop.1'));
    const out = execFileSync('bash', ['-c', `systemd-analyze verify ${UNIT} 2>&1; true`], {
      encoding: 'utf8',
      env: { ...process.env, MANPATH: path.join(dir, 'man') },
    });
    const lines = out.split('\n').filter(Boolean);
    expect(lines.filter((l) => !/Command \/usr\/bin\/umltop is not executable/.test(l))).toEqual([]);
    const security = execFileSync('bash', ['-c', `systemd-analyze security --offline=yes ${UNIT} 2>&1; true`], {
      encoding: 'utf8',
    });
    const level = Number(/Overall exposure level for umltop\.service: ([\d.]+)/.exec(security)?.[1]);
    expect(level).toBeLessThan(3.5);
  });

  it("umltop serve runs under the unit's environment, bounding set and no_new_privs, and serves a guest found from the process table", async () => {
    const env: Record<string, string> = {};
    for (const e of directive('Environment'))
      for (const m of e.matchAll(/"([^"=]+)=([^"]*)"|([^\s"=]+)=(\S*)/g)) env[m[1] ?? m[3]!] = m[2] ?? m[4]!;
    expect(env).toMatchObject({
      XDG_STATE_HOME: '/var/lib',
      XDG_RUNTIME_DIR: '/run',
      UMLTOP_ARGS: '--metrics 127.0.0.1:9464',
    });
    // StateDirectory= and RuntimeDirectory= are made by systemd; here they are made under the test's dir
    for (const d of ['state/umltop', 'run/umltop']) fs.mkdirSync(path.join(dir, d), { recursive: true, mode: 0o700 });
    const caps = directive('CapabilityBoundingSet')[0]!
      .split(/\s+/)
      .map((c) => `+${c.replace(/^CAP_/, '').toLowerCase()}`);
    const port = await freePort();
    const args = env.UMLTOP_ARGS!.replace('127.0.0.1:9464', `127.0.0.1:${port}`).split(' ');
    const child = spawn(...underCaps(caps, ['serve', ...args]), {
      env: {
        PATH: process.env.PATH,
        HOME: dir,
        XDG_STATE_HOME: path.join(dir, 'state'),
        XDG_RUNTIME_DIR: path.join(dir, 'run'),
        XDG_CONFIG_HOME: '/nonexistent',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr!.on('data', (d) => {
      err += d;
    });
    try {
      await waitFor(
        async () => {
          const text = await fetch(`http://127.0.0.1:${port}/metrics`)
            .then((r) => r.text())
            .catch(() => ''); // expected: refused until the unit's umltop listens
          return (
            new RegExp(
              `umltop_instance_state\\{umid="unit-idle",uml_dir="${fleet.umlDir}",[^}]*state="running"\\} 1`,
            ).test(text) &&
            /^umltop_instance_state\{umid="unit-other",[^}]*user="nobody",state="running"\} 1$/m.test(text)
          );
        },
        15_000,
        'the guest served as running',
      );
      expect(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8')).toMatch(/NoNewPrivs:\s+1/);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    expect(err).not.toMatch(/error|EACCES/i);
    expect(fs.readdirSync(path.join(dir, 'run/umltop'))).toEqual([]);
  });

  it("another user's instance with less than the unit's capabilities: unresponsive, saying what is missing; never wedged, dead or an orphan", async () => {
    const other = fleet.get('unit-other');
    const once = async (caps: string[]) => {
      const home = fs.mkdtempSync(path.join(os.tmpdir(), 'umltop-home-'));
      try {
        const out = execFileSync(...underCaps(caps, ['--once', '--json']), {
          encoding: 'utf8',
          env: { PATH: process.env.PATH, HOME: home, XDG_CONFIG_HOME: home, XDG_RUNTIME_DIR: home },
        });
        const doc = JSON.parse(out);
        expect(doc.orphans.map((o: { pid: number }) => o.pid)).not.toContain(other.pid);
        return doc.instances.find((i: { pid: number }) => i.pid === other.pid);
      } finally {
        fs.rmSync(home, { recursive: true, force: true });
      }
    };
    expect(await once(['+dac_override', '+dac_read_search', '+sys_ptrace', '+chown'])).toMatchObject({
      umid: 'unit-other',
      state: 'running',
      reason: 'answering',
    });
    // no CAP_CHOWN: its kernel cannot reply (it writes as uid 65534)
    expect(await once(['+dac_override', '+dac_read_search', '+sys_ptrace'])).toMatchObject({
      state: 'unresponsive',
      reason: expect.stringMatching(/its kernel runs as uid 65534 and could not write its replies/),
    });
    // no DAC override: its 0700 dirs cannot be read
    expect(await once(['+sys_ptrace'])).toMatchObject({
      state: 'unresponsive',
      reason: expect.stringMatching(/umltop may not read its umid dir .* \(permission denied\)/),
    });
    // the reply sockets for another user's kernel lived outside the 0700 runtime dir: nothing left
    const ofDeadProcesses = fs
      .readdirSync(os.tmpdir())
      .filter((n) => /^umltop-\d+-[A-Za-z0-9]{6}$/.test(n) && !pidAlive(Number(n.split('-')[1])));
    expect(ofDeadProcesses).toEqual([]);
  });
});
