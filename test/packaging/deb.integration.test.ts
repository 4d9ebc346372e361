// The Debian package (npm run package) on a clean Debian 12 root: debootstrap's minbase (cached
// by scripts/debian-root.sh), with no node, no npm and no compiler. The package installs there
// with apt-get, runs its own runtime against a real guest booted on this host (the guest's uml dir
// and /proc made visible inside the root), puts the man page, completion, unit and rules where a
// Debian user looks, keeps a changed conffile across an upgrade, and leaves nothing after purge.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Tmux } from '../helpers/tmux.js';
import { Fleet } from '../helpers/uml-fleet.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const VERSION = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version as string;
const UMID = 'deb-vm';

let fleet: Fleet;
let work: string; // holds the packages and the root
let root: string; // the Debian root
let run: string; // a private runtime dir, at the same path inside the root and out
let deb: string;
let older: string;
const mounts: string[] = [];

/** A command inside the root, as root, with a clean environment; throws with its output on failure. */
function inRoot(cmd: string, opts: { ok?: boolean } = {}): { code: number; out: string } {
  const r = spawnSync(
    'chroot',
    [
      root,
      '/usr/bin/env',
      '-i',
      'PATH=/usr/sbin:/usr/bin:/sbin:/bin',
      'HOME=/root',
      'LANG=C.UTF-8',
      'DEBIAN_FRONTEND=noninteractive',
      `XDG_RUNTIME_DIR=${run}`,
      'bash',
      '-c',
      cmd,
    ],
    { encoding: 'utf8', timeout: 120_000, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const out = `${r.stdout}${r.stderr}`;
  if (r.error) throw new Error(`${cmd}: ${r.error.message}\n${out}`);
  if ((opts.ok ?? true) && r.status !== 0) throw new Error(`${cmd}: exit ${r.status}\n${out}`);
  return { code: r.status ?? -1, out };
}

/** dpkg-query printing one field of the umltop package (its ${…} format, built so it is not a template). */
const query = (field: string) => `dpkg-query -W -f '${'$'}{${field}}' umltop`;

function mount(args: string[], target: string): void {
  fs.mkdirSync(target, { recursive: true });
  execFileSync('mount', [...args, target]);
  mounts.unshift(target);
}

/** Mount points at or under `dir` (from the kernel's table, not from what this test remembers). */
function mountsUnder(dir: string): string[] {
  return fs
    .readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((l) => l.split(' ')[4])
    .filter((m): m is string => m !== undefined && (m === dir || m.startsWith(`${dir}/`)));
}

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'umltop-deb-'));
  run = fs.mkdtempSync(path.join(os.tmpdir(), 'umltop-debrun-'));
  fs.chmodSync(run, 0o700);
  // dist/ is built by the global setup; this packages it
  deb = execFileSync('bash', ['scripts/package-deb.sh'], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, UMLTOP_DEB_NO_BUILD: '1', UMLTOP_DEB_OUT: work },
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim();
  // an older package of the same files, for the upgrade
  const unpacked = path.join(work, 'older');
  execFileSync('dpkg-deb', ['-R', deb, unpacked]);
  const control = path.join(unpacked, 'DEBIAN/control');
  fs.writeFileSync(control, fs.readFileSync(control, 'utf8').replace(/^Version: .*$/m, 'Version: 0.0.1'));
  older = path.join(work, 'umltop_0.0.1_amd64.deb');
  execFileSync('dpkg-deb', ['--root-owner-group', '-Zgzip', '-z1', '-b', unpacked, older], { stdio: 'ignore' });
  fs.rmSync(unpacked, { recursive: true });

  const tarball = execFileSync('bash', ['scripts/debian-root.sh'], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim();
  root = path.join(work, 'root');
  fs.mkdirSync(root);
  execFileSync('tar', ['-C', root, '-xf', tarball]);
  for (const p of [deb, older]) fs.copyFileSync(p, path.join(root, 'tmp', path.basename(p)));

  fleet = await Fleet.boot([{ umid: UMID }]);
  // The guest's mconsole replies to the client socket's path as the host sees it, so umltop's
  // runtime dir and the uml dir are bound at the same paths inside the root.
  mount(['-t', 'proc', 'proc'], path.join(root, 'proc'));
  mount(['--bind', fleet.umlDir], path.join(root, fleet.umlDir));
  mount(['--bind', run], path.join(root, run));
}, 600_000);

afterAll(async () => {
  for (const m of mounts) spawnSync('umount', ['-l', m]);
  await fleet?.teardown();
  // never remove a tree that still has a host directory mounted in it
  const left = root ? mountsUnder(root) : [];
  if (left.length) throw new Error(`still mounted, ${work} kept: ${left.join(', ')}`);
  fs.rmSync(work, { recursive: true, force: true });
  fs.rmSync(run, { recursive: true, force: true });
});

describe('the .deb', () => {
  it('lintian: no error or warning left, each override with its reason', () => {
    const r = spawnSync('lintian', ['--show-overrides', deb], { encoding: 'utf8', timeout: 300_000 });
    const tags = `${r.stdout}${r.stderr}`.split('\n').filter((l) => /^[EWO]: /.test(l));
    expect(tags.filter((l) => /^[EW]: /.test(l))).toEqual([]);
    // every override is used (lintian names unused ones) and has a comment above it
    expect(`${r.stdout}`).not.toMatch(/unused-override/);
    const overrides = fs.readFileSync(path.join(ROOT, 'packaging/debian/lintian-overrides'), 'utf8').split('\n');
    overrides.forEach((l, i) => {
      if (l.startsWith('umltop:')) expect(overrides[i - 1], l).toMatch(/^(#|umltop:)/);
    });
    expect(tags.length).toBeGreaterThan(0); // the overridden tags are still reported as such
  }, 300_000);

  it('carries its runtime: no nodejs in Depends, only what Debian 12 has', () => {
    const control = execFileSync('dpkg-deb', ['-f', deb], { encoding: 'utf8' });
    expect(control).toMatch(/^Depends: libc6 \(>= 2\.28\), libgcc-s1 \(>= 3\.0\), libstdc\+\+6 \(>= 6\)$/m);
    expect(execFileSync('dpkg-deb', ['-c', deb], { encoding: 'utf8' })).toMatch(/ \.\/usr\/lib\/umltop\/node\n/);
  });
});

describe('the .deb on a clean Debian 12 root', () => {
  it('the root has no node, no npm and no compiler', () => {
    expect(inRoot('cat /etc/debian_version').out).toMatch(/^12\./);
    const found = inRoot('for t in node nodejs npm gcc cc g++ c++ make; do command -v $t; done; true').out;
    expect(found.trim()).toBe('');
  });

  it('installs with apt-get (an older one first), keeps a changed conffile across the upgrade', () => {
    inRoot(`apt-get install -y /tmp/${path.basename(older)}`);
    expect(inRoot(query('Version')).out).toBe('0.0.1');
    inRoot('echo \'UMLTOP_ARGS="--metrics 127.0.0.1:9999"\' >> /etc/default/umltop');
    inRoot(`apt-get install -y /tmp/${path.basename(deb)}`);
    expect(inRoot(query('Version')).out).toBe(VERSION);
    expect(inRoot('cat /etc/default/umltop').out).toContain('UMLTOP_ARGS="--metrics 127.0.0.1:9999"');
    // what it depends on is all in Debian 12's minbase: nothing else came with it
    expect(inRoot('dpkg-query -W | grep -c -E "^(nodejs|libnode)" || true').out.trim()).toBe('0');
  });

  it('runs from its own runtime: --version, and one JSON document that sees the host guest', () => {
    expect(inRoot('umltop --version').out.trim()).toBe(`umltop ${VERSION}`);
    expect(inRoot('readlink -f "$(command -v umltop)"').out.trim()).toBe('/usr/bin/umltop');
    // no --uml-dir: found from the process table, as on a host
    const doc = JSON.parse(inRoot('umltop --once --json --interval 1').out) as {
      instances: Array<{ umid: string; state: string; guest: { meminfo: { MemTotal: number } } | null }>;
    };
    const vm = doc.instances.find((i) => i.umid === UMID);
    expect(vm).toMatchObject({ state: 'running' });
    expect(vm!.guest!.meminfo.MemTotal).toBeGreaterThan(0);
  });

  it('the TUI draws the guest in a real terminal and quits on q', async () => {
    const t = new Tmux();
    try {
      t.start(
        `chroot ${root} /usr/bin/env -i PATH=/usr/bin:/bin TERM=xterm-256color LANG=C.UTF-8 XDG_RUNTIME_DIR=${run} umltop --uml-dir ${fleet.umlDir}`,
        120,
        30,
      );
      await t.waitScreen((l) => l.some((x) => new RegExp(`${UMID} +running`).test(x)), `${UMID} running on screen`);
      t.keys('q');
      await t.waitScreen(() => t.exitCode() !== undefined, 'umltop to exit');
      expect(t.exitCode()).toBe(0);
    } finally {
      t.kill();
    }
  });

  it('man page, bash completion of a real umid, the unit (verified, not enabled), the rules', () => {
    const page = inRoot('MANWIDTH=100 man -P cat umltop').out;
    expect(page).toMatch(/umltop - watch and steer live User Mode Linux instances/);
    expect(page).toContain('--uml-dir');
    const completion = inRoot(
      `source /usr/share/bash-completion/bash_completion; _completion_loader umltop; COMP_WORDS=(umltop --uml-dir ${fleet.umlDir} mem ''); COMP_CWORD=4; COMP_LINE="\${COMP_WORDS[*]}"; _umltop; printf '%s\\n' "\${COMPREPLY[@]}"`,
    ).out;
    expect(completion.trim().split('\n')).toEqual([UMID]);
    const verify = inRoot('systemd-analyze verify /lib/systemd/system/umltop.service 2>&1', { ok: false });
    expect(verify).toMatchObject({ code: 0 });
    expect(verify.out).not.toMatch(/umltop\.service/);
    expect(inRoot('systemctl is-enabled umltop.service', { ok: false }).out.trim()).toBe('disabled');
    expect(inRoot('ls /usr/share/umltop/prometheus').out.trim().split('\n')).toEqual([
      'umltop-rules.test.yml',
      'umltop-rules.yml',
    ]);
    expect(inRoot('stat -c %a /var/lib/umltop').out.trim()).toBe('700');
  });

  it('remove leaves only the conffile (and the state the service wrote); purge leaves nothing', () => {
    const exists = (p: string) => fs.existsSync(path.join(root, p));
    const isFile = (p: string) => exists(p) && !fs.statSync(path.join(root, p)).isDirectory();
    const files = inRoot('dpkg -L umltop').out.trim().split('\n').filter(isFile);
    expect(files).toEqual(expect.arrayContaining(['/usr/lib/umltop/node', '/etc/default/umltop', '/usr/bin/umltop']));
    const own = ['/usr/lib/umltop', '/usr/share/umltop', '/usr/share/doc/umltop', '/var/lib/umltop'];
    inRoot('echo "{}" > /var/lib/umltop/ledger.json'); // as the service would
    inRoot('apt-get remove -y umltop');
    expect(files.filter(exists)).toEqual(['/etc/default/umltop']);
    expect(own.filter(exists)).toEqual(['/var/lib/umltop']);
    expect(inRoot(query('db:Status-Abbrev')).out.trim()).toBe('rc');
    inRoot('dpkg --purge umltop');
    expect(files.filter(exists)).toEqual([]);
    expect(own.filter(exists)).toEqual([]);
    expect(inRoot('dpkg-query -W umltop', { ok: false }).code).not.toBe(0);
  });
});
