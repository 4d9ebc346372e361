// Real UML instances for the demo, tests and benchmarks: each with its own umid, a private uml_dir,
// a workload chosen on the kernel command line, and a teardown that always runs
// (halt, then SIGKILL of the whole process group, then the directory removed).
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { packageRoot } from '../runtime/package-root.js';
import { MconsoleClient } from '../mconsole/client.js';
import { onExit } from '../runtime/exit-hooks.js';
import { waitFor } from '../runtime/wait.js';
import { type InstanceSpec, kernelArgs, launchCommand, userEnvironment } from './fleet-launch.js';

export type { InstanceSpec, Workload } from './fleet-launch.js';
import { createNetns, createTap, removeNetns, removeTaps, tapName } from './fleet-net.js';
import { FLEET_DIR_PREFIX, groupAlive, killGroup, pidAlive, processStart } from './fleet-processes.js';

export { FLEET_DIR_PREFIX, pidAlive, sweepLeftovers } from './fleet-processes.js';
export { waitFor } from '../runtime/wait.js';

export interface Instance {
  spec: InstanceSpec;
  umid: string;
  umlDir: string;
  dir: string;
  socket: string;
  pid: number;
  consoleLog: string;
  exited: boolean;
  /** The disk image files, in ubdb, ubdc, ... order. */
  disks: string[];
  /** The instance's tap, when it has one, and the guest's link-local address on it. */
  tap?: { name: string; ip: string };
  netns?: string;
}

const ROOT = packageRoot();

export interface UmlEnvironment {
  kernel: string;
  rootfs: string;
}

let cachedEnv: UmlEnvironment | undefined;

/** Kernel and rootfs from scripts/uml-kernel.sh (probed by booting, cached on disk). */
export function umlEnvironment(): UmlEnvironment {
  if (cachedEnv) return cachedEnv;
  if (process.env.UMLTOP_FLEET_KERNEL && process.env.UMLTOP_FLEET_ROOTFS) {
    cachedEnv = { kernel: process.env.UMLTOP_FLEET_KERNEL, rootfs: process.env.UMLTOP_FLEET_ROOTFS };
    return cachedEnv;
  }
  const out = execFileSync('bash', [path.join(ROOT, 'scripts/uml-kernel.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const kernel = /^UMLTOP_KERNEL=(.*)$/m.exec(out)?.[1];
  const rootfs = /^UMLTOP_ROOTFS=(.*)$/m.exec(out)?.[1];
  if (!kernel || !rootfs) throw new Error(`scripts/uml-kernel.sh gave no kernel:\n${out}`);
  cachedEnv = { kernel, rootfs };
  return cachedEnv;
}

export class Fleet {
  readonly instances: Instance[] = [];
  readonly root: string;
  readonly umlDir: string;
  private removeExitHook: () => void;
  private tornDown = false;

  constructor(opts: { umlDir?: string } = {}) {
    this.root = fs.mkdtempSync(path.join(os.tmpdir(), FLEET_DIR_PREFIX));
    this.umlDir = opts.umlDir ?? path.join(this.root, 'uml');
    fs.mkdirSync(this.umlDir, { recursive: true });
    fs.writeFileSync(
      path.join(this.root, 'owner.json'),
      JSON.stringify({ pid: process.pid, starttime: processStart(process.pid) }),
    );
    this.removeExitHook = onExit(() => this.killAllSync());
  }

  static async boot(specs: InstanceSpec[], opts: { umlDir?: string } = {}): Promise<Fleet> {
    const fleet = new Fleet(opts);
    try {
      await Promise.all(specs.map((s) => fleet.start(s)));
    } catch (e) {
      await fleet.teardown();
      throw e;
    }
    return fleet;
  }

  get(umid: string): Instance {
    const inst = this.instances.find((i) => i.umid === umid);
    if (!inst) throw new Error(`no instance ${umid} in this fleet`);
    return inst;
  }

  /** Boot one instance and wait until its mconsole answers. */
  async start(spec: InstanceSpec, opts: { waitReady?: boolean } = {}): Promise<Instance> {
    const env = umlEnvironment();
    if (spec.user) fs.chmodSync(this.root, 0o711); // that user must get through to its files
    const user = spec.user && {
      ...spec.user,
      ...userEnvironment(
        path.join(this.root, `as-${spec.user.uid}`),
        env.kernel,
        env.rootfs,
        spec.user.uid,
        spec.user.gid,
      ),
    };
    const { kernel, rootfs } = user ?? env;
    const consoleLog = path.join(this.root, `${spec.umid}.console.log`);
    const disks = (spec.disks ?? []).map((mib, i) => {
      const file = path.join(this.root, `${spec.umid}-ubd${String.fromCharCode(98 + i)}.img`);
      fs.writeFileSync(file, '');
      fs.truncateSync(file, mib * 1024 * 1024);
      return file;
    });
    let tap: Instance['tap'];
    if (spec.tap) {
      tap = { name: tapName(), ip: `169.254.${(this.instances.length % 250) + 1}.2` };
      createTap(this.root, tap.name);
    }
    const netns = spec.netns ? createNetns(this.root) : undefined;
    const fd = fs.openSync(consoleLog, 'a');
    const ask = spec.askUmid === undefined ? spec.umid : spec.askUmid;
    // a private uml dir: an empty mount point here, a tmpfs in the instance's own mount namespace
    const umlDir = spec.privateUmlDir ? path.join(this.root, `private-${spec.umid}`) : (user?.umlDir ?? this.umlDir);
    if (spec.privateUmlDir) fs.mkdirSync(umlDir);
    const args = kernelArgs(spec, { ask, umlDir, rootfs, disks, tap });
    const [cmd, argv] = launchCommand(kernel, args, {
      ...(netns ? { netns } : {}),
      ...(spec.privateUmlDir ? { privateDir: umlDir } : {}),
      ...(user ? { user } : {}),
    });
    const child = spawn(cmd, argv, {
      detached: true,
      stdio: ['ignore', fd, fd],
      env: { ...process.env, TMPDIR: '/dev/shm' },
    });
    fs.closeSync(fd);
    // a private uml dir is seen from here only through the kernel's own root
    const seenDir = spec.privateUmlDir ? `/proc/${child.pid}/root${umlDir}` : umlDir;
    const inst: Instance = {
      spec,
      umid: spec.umid,
      umlDir: seenDir,
      dir: path.join(seenDir, spec.umid),
      socket: path.join(seenDir, spec.umid, 'mconsole'),
      pid: child.pid!,
      consoleLog,
      exited: false,
      disks,
      ...(tap ? { tap } : {}),
      ...(netns ? { netns } : {}),
    };
    child.on('exit', () => {
      inst.exited = true;
    });
    child.unref();
    this.instances.push(inst);
    await waitFor(
      async () => {
        if (inst.exited) throw new Error(`${spec.umid} exited during boot; console:\n${tail(consoleLog)}`);
        if (ask !== spec.umid) this.findOwnDir(inst); // UML chose the umid: its dir is the one naming its pid
        return fs.existsSync(inst.socket) && (await answers(inst.socket));
      },
      30_000,
      `${spec.umid}'s mconsole to answer`,
    );
    if (opts.waitReady !== false && !(spec.workloads ?? []).includes('panic')) {
      await this.waitForConsole(inst, /UMLTOP-READY/, 30_000);
    }
    return inst;
  }

  private findOwnDir(inst: Instance): void {
    for (const name of fs.readdirSync(this.umlDir)) {
      if (readSafe(path.join(this.umlDir, name, 'pid')).trim() !== String(inst.pid)) continue;
      inst.umid = name;
      inst.dir = path.join(this.umlDir, name);
      inst.socket = path.join(inst.dir, 'mconsole');
    }
  }

  async waitForConsole(inst: Instance, pattern: RegExp, timeoutMs = 10_000): Promise<string> {
    let match = '';
    await waitFor(
      () => {
        const m = pattern.exec(readSafe(inst.consoleLog));
        if (m) match = m[0];
        return Boolean(m);
      },
      timeoutMs,
      `${pattern} on ${inst.umid}'s console`,
    );
    return match;
  }

  /** Halt (1 s), then SIGKILL the process group, then remove the instance's directory. */
  async stop(inst: Instance): Promise<void> {
    if (!inst.exited && pidAlive(inst.pid)) {
      const c = new MconsoleClient(inst.socket, { timeoutMs: 1000, label: 'fleet' });
      await c.request('halt').catch(() => undefined);
      c.close();
      await waitFor(() => !pidAlive(inst.pid), 3000, 'halt').catch(() => undefined);
    }
    killGroup(inst.pid);
    await waitFor(() => !groupAlive(inst.pid), 5000, `process group ${inst.pid} to die`).catch(() => undefined);
    fs.rmSync(inst.dir, { recursive: true, force: true });
  }

  async teardown(): Promise<void> {
    if (this.tornDown) return;
    this.tornDown = true;
    await Promise.all(this.instances.map((i) => this.stop(i)));
    this.killAllSync();
    this.removeExitHook();
  }

  /** Synchronous last resort for exit paths: SIGKILL every group, remove the fleet's directory. */
  killAllSync(): void {
    for (const inst of this.instances) killGroup(inst.pid);
    removeTaps(this.root);
    removeNetns(this.root);
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}

async function answers(socket: string): Promise<boolean> {
  const c = new MconsoleClient(socket, { timeoutMs: 500, label: 'probe' });
  try {
    await c.request('version');
    return true;
  } catch {
    return false;
  } finally {
    c.close();
  }
}

function readSafe(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function tail(file: string): string {
  return readSafe(file).split('\n').slice(-15).join('\n');
}
