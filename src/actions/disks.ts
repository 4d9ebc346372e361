// A guest's disks, listed, added and removed while it runs. Everything is checked before the guest
// is asked: the slot is free (or, to remove, taken), the file exists with the access asked, and no
// live instance uses it (found by device and inode among every UML kernel's open files and command
// line); after, the guest's own diskstats must show the device, or no longer show it.
import fs from 'node:fs';
import path from 'node:path';
import { umlKernelProcesses } from '../collectors/kernel-processes.js';
import { parseUbdConfig } from '../collectors/guest-disks.js';
import { parseDiskstats } from '../collectors/proc/diskstats.js';
import type { MconsoleClient } from '../mconsole/client.js';
import type { Journal } from '../state/journal.js';

export const UBD_SLOTS = 16;

export interface DiskSlot {
  /** `ubdb`, and the index `config ubd1` takes. */
  device: string;
  index: number;
  file?: string;
  backing?: string;
  /** Listed in the guest's /proc/diskstats. */
  inGuest: boolean;
}

export class DiskRefused extends Error {}

export interface DiskTarget {
  umid: string;
  umlDir: string;
  pid: number;
}

/** `ubdc`, `ubd2` → { device: 'ubdc', index: 2 }. */
export function parseSlot(text: string): { device: string; index: number } {
  const m = /^ubd(?:(\d{1,2})|([a-p]))$/.exec(text.trim());
  const index = m ? (m[1] !== undefined ? Number(m[1]) : m[2]!.charCodeAt(0) - 97) : -1;
  if (index < 0 || index >= UBD_SLOTS)
    throw new DiskRefused(`'${text}' is not a disk slot: ubda to ubdp, or ubd0 to ubd15`);
  return { device: `ubd${String.fromCharCode(97 + index)}`, index };
}

export async function listDisks(client: MconsoleClient): Promise<DiskSlot[]> {
  const inGuest = new Set(parseDiskstats((await client.request('proc diskstats')).text).value.map((d) => d.name));
  const out: DiskSlot[] = [];
  for (let index = 0; index < UBD_SLOTS; index++) {
    const device = `ubd${String.fromCharCode(97 + index)}`;
    const r = await client.request(`config ubd${index}`, { allowErr: true });
    const f = r.ok ? parseUbdConfig(r.text) : { error: r.text };
    if ('file' in f)
      out.push({
        device,
        index,
        file: f.file,
        ...(f.backing ? { backing: f.backing } : {}),
        inGuest: inGuest.has(device),
      });
    else if (inGuest.has(device)) out.push({ device, index, inGuest: true });
  }
  return out;
}

export interface AddPlan {
  kind: 'add';
  target: DiskTarget;
  device: string;
  index: number;
  file: string;
  readOnly: boolean;
}
export interface RemovePlan {
  kind: 'remove';
  target: DiskTarget;
  device: string;
  index: number;
  file?: string;
}

/** Checks for an add, none of which touches the guest but `config ubdN` (a read). */
export async function planAdd(
  target: DiskTarget,
  slotText: string,
  fileText: string,
  o: { readOnly?: boolean; client: MconsoleClient; cwd?: string },
): Promise<AddPlan> {
  const { device, index } = parseSlot(slotText);
  const file = path.resolve(o.cwd ?? process.cwd(), fileText);
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch {
    throw new DiskRefused(`${file} does not exist`);
  }
  if (!st.isFile() && !st.isBlockDevice()) throw new DiskRefused(`${file} is not a file or a block device`);
  try {
    fs.accessSync(file, o.readOnly ? fs.constants.R_OK : fs.constants.R_OK | fs.constants.W_OK);
  } catch {
    throw new DiskRefused(`${file} is not ${o.readOnly ? 'readable' : 'readable and writable'} by this user`);
  }
  const user = fileUsers(st, target.pid);
  if (user) throw new DiskRefused(`${file} is in use: ${user}`);
  const r = await o.client.request(`config ubd${index}`, { allowErr: true });
  const now = r.ok ? parseUbdConfig(r.text) : { error: r.text };
  if ('file' in now)
    throw new DiskRefused(`${device} is taken: it is ${now.file}${now.backing ? ` over ${now.backing}` : ''}`);
  return { kind: 'add', target, device, index, file, readOnly: Boolean(o.readOnly) };
}

export async function planRemove(target: DiskTarget, slotText: string, client: MconsoleClient): Promise<RemovePlan> {
  const { device, index } = parseSlot(slotText);
  if (index === 0) throw new DiskRefused("ubda is the guest's first disk; umltop does not remove it");
  const r = await client.request(`config ubd${index}`, { allowErr: true });
  const now = r.ok ? parseUbdConfig(r.text) : { error: r.text };
  if (!('file' in now)) throw new DiskRefused(`${target.umid} has no disk ${device}`);
  return { kind: 'remove', target, device, index, file: now.file };
}

/** Run a checked plan, journaled, and verify it in the guest's diskstats (up to `verifyMs`). */
export async function runDiskPlan(
  plan: AddPlan | RemovePlan,
  deps: { client: MconsoleClient; journal: Journal },
  verifyMs = 5000,
): Promise<{ ok: boolean; message: string }> {
  const command =
    plan.kind === 'add' ? `config ubd${plan.index}${plan.readOnly ? 'r' : ''}=${plan.file}` : `remove ubd${plan.index}`;
  const base = { umid: plan.target.umid, umlDir: plan.target.umlDir, pid: plan.target.pid, command };
  try {
    deps.journal.intent(base);
  } catch (e) {
    throw new DiskRefused((e as Error).message);
  }
  let reply = await deps.client.request(command, { allowErr: true });
  // the guest opens a disk it has just been given for a moment (its partition scan): a removal
  // then is refused for that moment only, so it is asked again for up to 2 s
  for (let tries = 0; plan.kind === 'remove' && !reply.ok && /currently open/i.test(reply.text) && tries < 8; tries++) {
    await new Promise((r) => setTimeout(r, 250));
    reply = await deps.client.request(command, { allowErr: true });
  }
  if (!reply.ok) {
    const why = explainRefusal(plan.device, reply.text);
    const unjournaled = tryAppend(deps.journal, { ...base, outcome: 'err', reply: reply.text, note: why });
    return { ok: false, message: unjournaled ? `${why}; ${unjournaled}` : why };
  }
  const want = plan.kind === 'add';
  const deadline = Date.now() + verifyMs;
  let seen = !want;
  for (;;) {
    const names = parseDiskstats((await deps.client.request('proc diskstats')).text).value.map((d) => d.name);
    seen = names.includes(plan.device);
    if (seen === want || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  const verified = seen === want;
  const unjournaled = tryAppend(deps.journal, {
    ...base,
    outcome: verified ? 'ok' : 'failed',
    reply: reply.text,
    verification: { inDiskstats: seen },
  });
  const result = !verified
    ? {
        ok: false,
        message: `the guest answered OK, but its diskstats ${want ? 'does not show' : 'still shows'} ${plan.device} after ${verifyMs / 1000} s`,
      }
    : {
        ok: true,
        message: want
          ? `${plan.device} is ${plan.file}${plan.readOnly ? ' (read-only)' : ''}: the guest's diskstats shows it`
          : `${plan.device} removed: the guest's diskstats no longer shows it`,
      };
  // done in the guest, but its outcome is not in the journal: a failure to report, not to hide
  return unjournaled ? { ok: false, message: `${result.message}; but ${unjournaled}` } : result;
}

/** Append the outcome line; the error's text when it could not be written. */
function tryAppend(journal: Journal, r: Parameters<Journal['append']>[0]): string | undefined {
  try {
    journal.append(r);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

/** The guest's refusals in plain words. */
export function explainRefusal(device: string, text: string): string {
  if (/currently open|already open/i.test(text))
    return `${device} is in use in the guest (mounted, or open by a process): unmount or close it first`;
  if (/doesn't exist|no such device/i.test(text) || /^-?19\b/.test(text)) return `the guest has no device ${device}`;
  if (/determine size/i.test(text))
    return `the guest cannot read the file's size (is it there for the kernel process?): ${text}`;
  return `the guest refused: ${text}`;
}

/**
 * Which live UML instance (other than `except`, which is checked through its own open files too)
 * uses the file: by device and inode among the files each kernel process holds open and the
 * ubdN= arguments of its command line. Undefined when none does.
 */
export function fileUsers(st: fs.Stats, pid: number): string | undefined {
  const same = (p: string) => {
    try {
      const o = fs.statSync(p);
      return o.dev === st.dev && o.ino === st.ino;
    } catch {
      return false;
    }
  };
  const kernels = new Set([pid, ...umlKernelProcesses().map((k) => k.pid)]);
  for (const k of kernels) {
    const who = k === pid ? 'this instance' : `the UML instance of pid ${k}`;
    let fds: string[] = [];
    try {
      fds = fs.readdirSync(`/proc/${k}/fd`);
    } catch {
      /* gone or not ours to read */
    }
    for (const fd of fds) if (same(`/proc/${k}/fd/${fd}`)) return `${who} has it open`;
    let cmdline: string[] = [];
    try {
      cmdline = fs.readFileSync(`/proc/${k}/cmdline`, 'utf8').split('\0');
    } catch {
      continue;
    }
    let cwd = '/';
    try {
      cwd = fs.readlinkSync(`/proc/${k}/cwd`);
    } catch {
      /* relative paths then resolve from / */
    }
    for (const arg of cmdline) {
      const m = /^ubd\d+[rsdc]*=(.*)$/.exec(arg);
      if (!m) continue;
      for (const f of m[1]!.split(','))
        if (f && same(path.resolve(cwd, f))) return `${who} names it on its command line (${arg})`;
    }
  }
  return undefined;
}
