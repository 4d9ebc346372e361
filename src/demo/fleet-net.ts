// Taps for fleets whose guests do network I/O: a tap with no host address, no IPv6 (so the host
// sends nothing on it) and no bridge; the guest gets a link-local address and pings a neighbour
// nobody is, so its frames end at the tap. Every tap made is written down in the fleet's own
// directory, so it is removed with the fleet on every exit path, or by the sweep after a crash.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

let made = 0;

/** A tap name no other fleet of this machine uses (15 characters at most). */
export function tapName(): string {
  made += 1;
  return `umlt${process.pid.toString(36)}${made.toString(36)}`.slice(0, 15);
}

export function createTap(root: string, name: string): void {
  fs.appendFileSync(path.join(root, 'taps'), `${name}\n`);
  execFileSync('ip', ['tuntap', 'add', 'dev', name, 'mode', 'tap'], { stdio: 'pipe' });
  fs.writeFileSync(`/proc/sys/net/ipv6/conf/${name}/disable_ipv6`, '1');
  execFileSync('ip', ['link', 'set', name, 'up'], { stdio: 'pipe' });
}

/** Remove the taps a fleet directory lists (those already gone are skipped). */
export function removeTaps(root: string): number {
  let names: string[] = [];
  try {
    names = fs.readFileSync(path.join(root, 'taps'), 'utf8').split('\n').filter(Boolean);
  } catch {
    return 0;
  }
  let removed = 0;
  for (const name of names) {
    if (!/^umlt[0-9a-z]+$/.test(name)) continue; // only what a fleet made
    try {
      execFileSync('ip', ['link', 'del', name], { stdio: 'pipe' });
      removed++;
    } catch {
      /* gone already */
    }
  }
  return removed;
}

/** A network namespace for one instance (as network labs start them: `ip netns exec NS linux ...`). */
export function createNetns(root: string): string {
  made += 1;
  const name = `umltns${process.pid.toString(36)}${made.toString(36)}`;
  fs.appendFileSync(path.join(root, 'netns'), `${name}\n`);
  execFileSync('ip', ['netns', 'add', name], { stdio: 'pipe' });
  return name;
}

/** Remove the namespaces a fleet directory lists (only names a fleet makes). */
export function removeNetns(root: string): void {
  let names: string[] = [];
  try {
    names = fs.readFileSync(path.join(root, 'netns'), 'utf8').split('\n').filter(Boolean);
  } catch {
    return;
  }
  for (const name of names) {
    if (!/^umltns[0-9a-z]+$/.test(name)) continue;
    try {
      execFileSync('ip', ['netns', 'del', name], { stdio: 'pipe' });
    } catch {
      /* gone already */
    }
  }
}
