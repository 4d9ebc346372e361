// Crash bundle: when an instance hangs or panics (or on request), collect what can still be had
// into one timestamped directory, and say what each file is and whether it could be had.
import fs from 'node:fs';
import path from 'node:path';
import { readProc, type ProcReader } from '../collectors/proc-files.js';
import { stateDir } from '../state/ledger.js';
import type { InstanceRecord, StoreEvent } from '../state/records.js';
import { sanitize } from '../text/sanitize.js';
import { dumpInChildProcess } from './dump.js';
import { dumpWithLog } from './tasks.js';

export interface BundleFile {
  name: string;
  what: string;
  ok: boolean;
  note?: string;
}
export interface Bundle {
  dir: string;
  files: BundleFile[];
}

const GUEST_DUMPS = [
  ['sysrq-t.txt', 'sysrq t', 'every task and its stack (guest)'],
  ['sysrq-w.txt', 'sysrq w', 'blocked tasks (guest)'],
  ['sysrq-m.txt', 'sysrq m', 'memory information (guest)'],
  ['proc-meminfo.txt', 'proc meminfo', '/proc/meminfo (guest)'],
  ['proc-interrupts.txt', 'proc interrupts', '/proc/interrupts (guest)'],
] as const;

interface BundleOptions {
  rec: InstanceRecord;
  events: StoreEvent[];
  reason: string;
  dir?: string;
  env?: NodeJS.ProcessEnv;
  read?: ProcReader;
  historySamples?: number;
  now?: Date;
}

type Put = (name: string, what: string, text: string, ok?: boolean, note?: string) => void;

export async function collectBundle(o: BundleOptions): Promise<Bundle> {
  const read = o.read ?? readProc;
  const r = o.rec;
  const stamp = (o.now ?? new Date()).toISOString().replace(/[:.]/g, '-');
  const dir = path.join(
    o.dir ?? path.join(stateDir(o.env), 'bundles'),
    `${r.umid.replace(/[^A-Za-z0-9_.-]/g, '_')}-${stamp}`,
  );
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const files: BundleFile[] = [];
  // Text files are read with cat and less: guest text in them is made inert (control characters
  // as visible escapes, as on screen); JSON escapes its own.
  const put: Put = (name, what, text, ok = true, note) => {
    fs.writeFileSync(path.join(dir, name), name.endsWith('.json') ? text : sanitize(text, { multiline: true }));
    files.push({ name, what, ok, ...(note ? { note } : {}) });
  };
  const alive = r.pid !== undefined && pidAlive(r.pid);
  await guestDumps(r, alive, read, put);
  hostDumps(r, alive, read, put);
  pastDumps(o, put);
  put(
    'summary.json',
    'this list',
    JSON.stringify(
      {
        umid: r.umid,
        umlDir: r.umlDir,
        pid: r.pid ?? null,
        state: r.state,
        reason: r.reason,
        panic: r.panic ?? null,
        trigger: o.reason,
        time: (o.now ?? new Date()).toISOString(),
        files,
      },
      null,
      1,
    ),
  );
  return { dir, files };
}

/** From the guest, through mconsole: each with a deadline; a wedged guest simply says so. */
async function guestDumps(r: InstanceRecord, alive: boolean, read: ProcReader, put: Put): Promise<void> {
  const stopped = r.pid !== undefined && /^\S+ \(.*\) T/.test(read(`/proc/${r.pid}/stat`) ?? '');
  for (const [name, command, what] of GUEST_DUMPS) {
    if (!alive || stopped) {
      put(
        name,
        what,
        '',
        false,
        !alive ? 'the instance process is gone' : 'stopped on the host (SIGSTOP): it cannot answer',
      );
      continue;
    }
    if (command.startsWith('sysrq') && r.pid !== undefined) {
      // the console log, when there is one, has the dump whole (the reply loses lines)
      const res = await dumpWithLog({ socket: r.socket, pid: r.pid }, command);
      const whole = res.logText !== undefined && res.logText.length >= res.text.length;
      const note = whole ? 'from the console log' : res.complete ? undefined : res.note;
      put(name, `${what}${whole ? '' : ' (mconsole reply)'}`, `${whole ? res.logText : res.text}\n`, res.ok, note);
      continue;
    }
    const res = await dumpInChildProcess(r.socket, command, 3);
    put(name, what, `${res.text}\n`, res.ok, res.complete ? (res.ok ? undefined : res.text) : res.note);
  }
}

/** From the host: every thread of the kernel process, and its children. */
function hostDumps(r: InstanceRecord, alive: boolean, read: ProcReader, put: Put): void {
  if (r.pid === undefined || !alive) {
    put('host-threads.txt', 'host threads', '', false, 'the instance process is gone');
    return;
  }
  const pid = r.pid;
  const out: string[] = [];
  let tids: string[] = [];
  try {
    tids = fs.readdirSync(`/proc/${pid}/task`);
  } catch {
    /* gone */
  }
  for (const tid of tids) {
    out.push(`=== thread ${tid} (${(read(`/proc/${pid}/task/${tid}/comm`) ?? '?').trim()}) ===`);
    out.push('--- status ---', read(`/proc/${pid}/task/${tid}/status`) ?? '(unreadable)');
    out.push('--- kernel stack ---', read(`/proc/${pid}/task/${tid}/stack`) ?? '(unreadable: needs root)');
    out.push(`--- wchan: ${read(`/proc/${pid}/task/${tid}/wchan`) ?? '?'}`, '');
  }
  put('host-threads.txt', `host /proc/${pid}/task/*/{status,stack,wchan}`, out.join('\n'), tids.length > 0);
  const kids = tids.flatMap((t) => (read(`/proc/${pid}/task/${t}/children`) ?? '').trim().split(/\s+/).filter(Boolean));
  put(
    'host-children.txt',
    'host /proc/<child>/{stat,status} of the uml-userspace children',
    kids
      .map((k) => `=== child ${k} ===\n${read(`/proc/${k}/stat`) ?? ''}\n${read(`/proc/${k}/status`) ?? ''}`)
      .join('\n'),
    true,
  );
}

/** What umltop saw before: the last minutes of history and this instance's events. */
function pastDumps(o: BundleOptions, put: Put): void {
  const r = o.rec;
  const n = o.historySamples ?? 300;
  const h = r.history;
  put(
    'history.json',
    `the last ${n} samples umltop took (host and guest CPU %, MemAvailable KiB, IRQ/s, softirq/s)`,
    JSON.stringify(
      {
        intervalNote: 'one value per sample, oldest first; null = no sample',
        hostCpu: nulls(h.hostCpu.values(n)),
        guestCpu: nulls(h.guestCpu.values(n)),
        memAvailableKiB: nulls(h.memAvailableKiB.values(n)),
        irqPerSec: nulls(h.irqPerSec.values(n)),
        softirqPerSec: nulls(h.softirqPerSec.values(n)),
        lastHost: r.host ?? null,
        lastGuest: r.guest ?? null,
      },
      null,
      1,
    ),
  );
  put(
    'events.json',
    "umltop's events about this instance",
    JSON.stringify(
      o.events.filter((e) => e.key === r.key || e.umid === r.umid),
      null,
      1,
    ),
  );
}

function nulls(vs: number[]): Array<number | null> {
  return vs.map((v) => (Number.isFinite(v) ? v : null));
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
