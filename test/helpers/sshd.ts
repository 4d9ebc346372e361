// A private sshd on loopback for the multi-host tests: its own host key, client key, config and
// port; the session gets XDG_CONFIG_HOME pointing at a config that names this "host's" uml dir.
// Never touches the system's ssh setup. sshd comes from the system or scripts/test-tools.sh.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export function sshdBinary(): { bin: string; env: NodeJS.ProcessEnv } {
  const root = process.env.UMLTOP_TOOLS_ROOT;
  for (const bin of ['/usr/sbin/sshd', ...(root ? [path.join(root, 'usr/sbin/sshd')] : [])]) {
    if (fs.existsSync(bin)) {
      const libs = root
        ? [path.join(root, 'lib/x86_64-linux-gnu'), path.join(root, 'usr/lib/x86_64-linux-gnu')].join(':')
        : '';
      return { bin, env: { ...process.env, ...(libs ? { LD_LIBRARY_PATH: libs } : {}) } };
    }
  }
  throw new Error('no sshd: run scripts/test-tools.sh (npm test does)');
}

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
}

export class LoopbackHosts {
  readonly sshConfig: string;
  private servers = new Map<string, ChildProcess>();

  constructor(readonly dir: string) {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(dir, 'hostkey')]);
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(dir, 'id')]);
    fs.copyFileSync(path.join(dir, 'id.pub'), path.join(dir, 'authorized_keys'));
    this.sshConfig = path.join(dir, 'ssh_config');
    fs.writeFileSync(this.sshConfig, '');
  }

  /** Start "host" `name`: an sshd on a free loopback port whose sessions watch `umlDir`. */
  async add(name: string, umlDir: string): Promise<void> {
    const port = await freePort();
    const xdg = path.join(this.dir, `${name}-xdg`);
    fs.mkdirSync(path.join(xdg, 'umltop'), { recursive: true });
    fs.writeFileSync(path.join(xdg, 'umltop/config.toml'), `uml_dirs = [${JSON.stringify(umlDir)}]\n`);
    const cfg = path.join(this.dir, `${name}-sshd_config`);
    fs.writeFileSync(
      cfg,
      [
        `Port ${port}`,
        'ListenAddress 127.0.0.1',
        `HostKey ${path.join(this.dir, 'hostkey')}`,
        `PidFile ${path.join(this.dir, `${name}.pid`)}`,
        `AuthorizedKeysFile ${path.join(this.dir, 'authorized_keys')}`,
        'StrictModes no',
        'UsePAM no',
        'PasswordAuthentication no',
        'KbdInteractiveAuthentication no',
        'PermitRootLogin prohibit-password',
        `SetEnv XDG_CONFIG_HOME=${xdg} PATH=${path.dirname(process.execPath)}:/usr/bin:/bin`,
        '',
      ].join('\n'),
    );
    const { bin, env } = sshdBinary();
    fs.mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
    const child = spawn(bin, ['-D', '-e', '-f', cfg], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    child.stderr!.on('data', (d) => {
      log += d;
    });
    this.servers.set(name, child);
    const deadline = Date.now() + 10_000;
    while (!/Server listening/.test(log)) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`sshd for ${name} did not start: ${log}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    fs.appendFileSync(
      this.sshConfig,
      [
        `Host ${name}`,
        '  HostName 127.0.0.1',
        `  Port ${port}`,
        '  User root',
        `  IdentityFile ${path.join(this.dir, 'id')}`,
        '  IdentitiesOnly yes',
        `  UserKnownHostsFile ${path.join(this.dir, 'known_hosts')}`,
        '  StrictHostKeyChecking accept-new',
        '  LogLevel ERROR',
        '',
      ].join('\n'),
    );
  }

  /** The host "goes away": its sshd and every session under it are killed. */
  kill(name: string): void {
    const child = this.servers.get(name);
    if (!child?.pid) return;
    for (const pid of [...descendants(child.pid), child.pid]) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* expected: gone */
      }
    }
    this.servers.delete(name);
  }

  close(): void {
    for (const name of [...this.servers.keys()]) this.kill(name);
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const p of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = fs.readFileSync(`/proc/${p}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(p)]);
    } catch {
      /* expected: exited */
    }
  }
  const out: number[] = [];
  const walk = (p: number) => {
    for (const c of children.get(p) ?? []) {
      out.push(c);
      walk(c);
    }
  };
  walk(pid);
  return out;
}
