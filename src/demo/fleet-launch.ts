// How a fleet instance is started where tests need it elsewhere: in a network namespace of its
// own, with a uml dir only its mount namespace sees, or as another user. For another user the
// kernel (with its own loader and libraries when they live where that user cannot enter, as in
// root's ~/.cache) and the rootfs are copied where that user may read them; its uml dir is its
// own and 0700, and it runs with umask 077, as a careful user's would.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export type Workload =
  | 'idle'
  | 'hostile'
  | 'noteflood'
  | 'conflood'
  | 'manytasks'
  | 'cpu'
  | 'spinafter'
  | 'cpuburst'
  | 'diskslow'
  | 'memhog'
  | 'workset'
  | 'shiftset'
  | 'notify'
  | 'panic'
  | 'chatty'
  | 'net'
  | 'netup'
  | 'diskread'
  | 'diskwrite'
  | 'diskhold'
  | 'shell';

export interface InstanceSpec {
  umid: string;
  workloads?: Workload[];
  /** Workload argument: MiB for memhog, seconds for panic / notify period. */
  arg?: number;
  memMiB?: number;
  /** Send notifications to this socket path (mconsole=notify:PATH). */
  notifySocket?: string;
  /** Disk images to attach at boot as ubdb, ubdc, ... (MiB each, sparse files in the fleet's dir). */
  disks?: number[];
  /** A tap for vec0 (made for the instance, removed with the fleet); the `net` workload uses it. */
  tap?: boolean;
  /** More kernel command-line words. */
  args?: string[];
  /** Boot in a network namespace of its own (made for it, removed with the fleet). */
  netns?: boolean;
  /** The umid= to ask for, when not `umid` (a taken one makes UML pick a random umid; null: none). */
  askUmid?: string | null;
  /** Boot in a mount namespace of its own with its uml dir on a tmpfs only it sees (a private /tmp). */
  privateUmlDir?: boolean;
  /** Run as this user (root only): its own copy of the kernel and rootfs, its own 0700 uml dir. */
  user?: { uid: number; gid: number };
}

export interface UserEnvironment {
  kernel: string;
  rootfs: string;
  umlDir: string;
  home: string;
}

/** Make (once per dir) what user `uid`'s instance needs under `dir`, which others may enter. */
export function userEnvironment(
  dir: string,
  kernel: string,
  rootfs: string,
  uid: number,
  gid: number,
): UserEnvironment {
  const env = {
    kernel: path.join(dir, 'linux'),
    rootfs: path.join(dir, 'rootfs'),
    umlDir: path.join(dir, 'uml'),
    home: path.join(dir, 'home'),
  };
  if (fs.existsSync(env.kernel)) return env;
  fs.mkdirSync(path.join(dir, 'lib'), { recursive: true, mode: 0o755 });
  fs.copyFileSync(kernel, env.kernel);
  const patch = (...args: string[]) => execFileSync('patchelf', args, { encoding: 'utf8' }).trim();
  const loader = patch('--print-interpreter', kernel);
  if (!/^\/(usr\/)?lib/.test(loader)) {
    // a loader of its own (Debian unstable's kernel on an older system: scripts/uml-kernel.sh)
    const libs = patch('--print-rpath', kernel);
    fs.copyFileSync(loader, path.join(dir, 'lib', path.basename(loader)));
    for (const lib of patch('--print-needed', kernel).split('\n').filter(Boolean))
      fs.copyFileSync(path.join(libs, lib), path.join(dir, 'lib', lib));
    patch(
      '--set-interpreter',
      path.join(dir, 'lib', path.basename(loader)),
      '--set-rpath',
      path.join(dir, 'lib'),
      env.kernel,
    );
  }
  fs.chmodSync(env.kernel, 0o755);
  fs.cpSync(rootfs, env.rootfs, { recursive: true, verbatimSymlinks: true });
  for (const d of [env.umlDir, env.home]) {
    fs.mkdirSync(d, { mode: 0o700 });
    fs.chownSync(d, uid, gid);
  }
  return env;
}

const PRIVATE_MOUNT = 'mount -t tmpfs -o mode=0700 umltop-private "$0" && exec "$@"';

/**
 * The command that starts `kernel args`: inside `ip netns exec NS`, `unshare --mount` with a tmpfs
 * on `privateDir`, and as `user` (setpriv, umask 077, a clean environment), as asked. Each of them
 * execs the next, so the pid is the kernel's.
 */
export function launchCommand(
  kernel: string,
  args: string[],
  o: { netns?: string; privateDir?: string; user?: { uid: number; gid: number; home: string } },
): [string, string[]] {
  let cmd: [string, string[]] = [kernel, args];
  if (o.user)
    cmd = [
      'setpriv',
      [
        `--reuid=${o.user.uid}`,
        `--regid=${o.user.gid}`,
        '--clear-groups',
        '--inh-caps=-all',
        'env',
        '-i',
        `HOME=${o.user.home}`,
        'TMPDIR=/dev/shm',
        'PATH=/usr/bin:/bin',
        'sh',
        '-c',
        'umask 077; exec "$@"',
        'sh',
        cmd[0],
        ...cmd[1],
      ],
    ];
  if (o.netns) cmd = ['ip', ['netns', 'exec', o.netns, cmd[0], ...cmd[1]]];
  if (o.privateDir)
    cmd = [
      'unshare',
      ['--mount', '--propagation', 'private', 'sh', '-c', PRIVATE_MOUNT, o.privateDir, cmd[0], ...cmd[1]],
    ];
  return cmd;
}

/** The kernel's command line for a fleet instance (hostfs root, its workloads, disks and tap). */
export function kernelArgs(
  spec: InstanceSpec,
  o: { ask: string | null; umlDir: string; rootfs: string; disks: string[]; tap?: { name: string; ip: string } },
): string[] {
  return [
    `mem=${spec.memMiB ?? 64}M`,
    ...(o.ask === null ? [] : [`umid=${o.ask}`]),
    `uml_dir=${o.umlDir}/`,
    'rootfstype=hostfs',
    `hostfs=${o.rootfs}`,
    'ro',
    'init=/init',
    `umltop.workload=${(spec.workloads ?? ['idle']).join(',')}`,
    ...(spec.arg !== undefined ? [`umltop.arg=${spec.arg}`] : []),
    ...(spec.notifySocket ? [`mconsole=notify:${spec.notifySocket}`] : []),
    ...o.disks.map((file, i) => `ubd${String.fromCharCode(98 + i)}=${file}`),
    ...(o.tap
      ? [
          `vec0:transport=tap,ifname=${o.tap.name}`,
          `umltop.ip=${o.tap.ip}`,
          `umltop.peer=${o.tap.ip.replace(/\.2$/, '.1')}`,
        ]
      : []),
    ...(spec.args ?? []),
    'con0=null,fd:1',
    'con=null',
  ];
}
