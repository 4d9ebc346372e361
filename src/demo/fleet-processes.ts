// The processes of test and demo fleets: whether one is alive, killing a fleet's process group,
// and sweeping what a crashed test worker left behind (only fleets whose owner is gone).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { removeNetns, removeTaps } from './fleet-net.js';

/** Prefix of every directory a fleet makes; the sweep looks for it. */
export const FLEET_DIR_PREFIX = 'umltop-fleet-';

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A zombie is not alive.
  try {
    return !/^\S+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

export function killGroup(pgid: number): void {
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    /* gone */
  }
  try {
    process.kill(pgid, 'SIGKILL');
  } catch {
    /* gone */
  }
}

/** Kill every process and remove every directory a fleet left behind (crashed test workers). */
export function sweepLeftovers(): { killed: number; removed: number } {
  let killed = 0;
  let removed = 0;
  const tmp = os.tmpdir();
  // Only fleets whose owner is gone: a demo (or another test run) still running keeps its fleet.
  const orphaned = fs
    .readdirSync(tmp)
    .filter((name) => name.startsWith(FLEET_DIR_PREFIX) && !ownerAlive(path.join(tmp, name)));
  for (const pid of fs.readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    let cmdline = '';
    try {
      cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    if (orphaned.some((name) => cmdline.includes(`uml_dir=${path.join(tmp, name)}/`))) {
      try {
        process.kill(Number(pid), 'SIGKILL');
        killed++;
      } catch {
        /* raced */
      }
    }
  }
  for (const name of orphaned) {
    removeTaps(path.join(tmp, name));
    removeNetns(path.join(tmp, name));
    unmountUnder(path.join(tmp, name));
    fs.rmSync(path.join(tmp, name), { recursive: true, force: true });
    removed++;
  }
  return { killed, removed };
}

/** The fleet dir's owner (pid and start time, written when it was made) is still running. */
function ownerAlive(root: string): boolean {
  let owner: { pid: number; starttime: number };
  try {
    owner = JSON.parse(fs.readFileSync(path.join(root, 'owner.json'), 'utf8')) as typeof owner;
  } catch {
    return false;
  }
  return processStart(owner.pid) === owner.starttime;
}

export function processStart(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
  } catch {
    return undefined;
  }
}

/** Filesystems a test mounted inside a fleet's directory (lazily: a dead guest may hold them). */
function unmountUnder(dir: string): void {
  let mounts = '';
  try {
    mounts = fs.readFileSync('/proc/self/mounts', 'utf8');
  } catch {
    return;
  }
  for (const line of mounts.split('\n')) {
    const at = line.split(' ')[1];
    if (!at?.startsWith(`${dir}/`)) continue;
    try {
      execFileSync('umount', ['-l', at], { stdio: 'ignore' });
    } catch {
      /* gone already */
    }
  }
}
