// What a guest, a peer or a file can hand umltop, as fast-check targets: every parser of input
// umltop does not control, with the properties it must keep whatever it is given. Used by the unit
// tier (a short budget, test/fuzz/properties.test.ts) and by `npm run fuzz -- --seconds N`
// (test/fuzz/campaign.fuzz.ts), which writes every failing input to test/fixtures/fuzz/.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { formatTasks } from '../../src/actions/tasks.js';
import { parseDiskstats } from '../../src/collectors/proc/diskstats.js';
import { parseInterrupts } from '../../src/collectors/proc/interrupts.js';
import { parseLoadavg } from '../../src/collectors/proc/loadavg.js';
import { parseMeminfo } from '../../src/collectors/proc/meminfo.js';
import { parseNetDev } from '../../src/collectors/proc/net-dev.js';
import { parsePidStat } from '../../src/collectors/proc/pid-stat.js';
import { parsePidStatus } from '../../src/collectors/proc/pid-status.js';
import { parseSoftirqs } from '../../src/collectors/proc/softirqs.js';
import { parseStat } from '../../src/collectors/proc/stat.js';
import { parseTaskDump } from '../../src/collectors/proc/task-dump.js';
import { parseUptime } from '../../src/collectors/proc/uptime.js';
import { parseVersion } from '../../src/collectors/proc/version.js';
import { parseVmstat } from '../../src/collectors/proc/vmstat.js';
import { ConfigError, parseConfig } from '../../src/config/load.js';
import { skipPartialUtf8, wholeUtf8 } from '../../src/console/log-file.js';
import {
  BadPacketError,
  decodeNotify,
  decodeReply,
  encodeReply,
  MCONSOLE_MAGIC,
  MCONSOLE_VERSION,
  ReplyAssembler,
} from '../../src/mconsole/codec.js';
import { readWebConfig, WebConfigError } from '../../src/exporter/web-config.js';
import { decodeLine, LineError, type RecordLine } from '../../src/recording/format.js';
import { checkReplayable, RecordingError } from '../../src/recording/recorder.js';
import { remoteInput } from '../../src/remote/apply.js';
import { sanitize, sanitizeLine } from '../../src/text/sanitize.js';
import type { GuestCounters } from '../../src/collectors/guest-sample.js';
import type { HostTotals } from '../../src/collectors/host-totals.js';
import { DEFAULT_POLICY, decide, newMoveHistory } from '../../src/state/advice.js';
import { guestView } from '../../src/state/guest-view.js';
import { PRESSURE_STATES } from '../../src/state/pressure.js';
import type { InstanceRecord } from '../../src/state/records.js';

const FIX = path.resolve(import.meta.dirname, '../fixtures');
const fixture = (...p: string[]) => fs.readFileSync(path.join(FIX, ...p), 'utf8');

const RECORDING = fixture('recordings/v1-tui.jsonl')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as unknown);

/** A thrown value that breaks a property (a typed error a parser is allowed to throw is not one). */
export class PropertyBroken extends Error {}
const fail = (what: string): never => {
  throw new PropertyBroken(what);
};

// characters that break parsers and terminals, mixed with any one UTF-16 unit
const NASTY = [
  '\u001b',
  '\u0007',
  '\u0000',
  '\n',
  '\r',
  '\t',
  ' ',
  ':',
  '-',
  '0',
  '9',
  '\u009b',
  '\u202e',
  '\u2028',
  '\ufffd',
  '\ud800',
  'task:',
  ' state:S ',
  'pid:',
  '[<',
  '>]',
  '\\',
  '"',
  '{',
  '}',
  '=',
];
const unit = fc.oneof(fc.constantFrom(...NASTY), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }));
export const hostileText = (maxLength = 200) => fc.string({ unit, maxLength });

/** A real file with random cuts and insertions of hostile text, or hostile text alone. */
export function mutated(base: string): fc.Arbitrary<string> {
  const edit = fc.record({ at: fc.nat(), cut: fc.nat({ max: 40 }), put: hostileText(40) });
  const edited = fc.array(edit, { maxLength: 8 }).map((edits) =>
    edits.reduce((s, e) => {
      const at = s.length ? e.at % (s.length + 1) : 0;
      return s.slice(0, at) + e.put + s.slice(at + e.cut);
    }, base),
  );
  return fc.oneof({ weight: 4, arbitrary: edited }, { weight: 1, arbitrary: hostileText(2000) });
}

/** Every number in a parsed value is finite and not negative (counters, sizes, rates from /proc). */
function countersInRange(v: unknown, where = 'value'): void {
  if (typeof v === 'number') {
    if (!Number.isFinite(v) || v < 0) fail(`${where} = ${v}`);
  } else if (v instanceof Map) {
    for (const [k, x] of v) countersInRange(x, `${where}.${String(k)}`);
  } else if (Array.isArray(v)) {
    for (const [i, x] of v.entries()) countersInRange(x, `${where}[${i}]`);
  } else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) countersInRange(x, `${where}.${k}`);
  }
}
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const inert = (text: string, where: string) => {
  if (CONTROL.test(text.replace(/\n/g, ''))) fail(`${where} holds a control character: ${JSON.stringify(text)}`);
};

/** Runs `parse`; a thrown error of `typed` is an allowed answer (a clear error), anything else is not. */
async function allowing(typed: new (...a: never[]) => Error, parse: () => unknown): Promise<void> {
  try {
    await parse();
  } catch (e) {
    if (!(e instanceof typed)) throw e;
  }
}

export interface Target {
  name: string;
  input: fc.Arbitrary<unknown>;
  /** Throws PropertyBroken (or anything unexpected) when a property does not hold. */
  check(input: unknown): void | Promise<void>;
}

function procTarget(name: string, base: string, parse: (t: string) => unknown): Target {
  return {
    name,
    input: mutated(base),
    check: (t) => {
      const out = parse(t as string) as { ignored?: number } | undefined;
      countersInRange(out, name);
    },
  };
}

// a task line as sched_show_task prints it, with a name of the guest's choosing
const taskName = fc
  .string({ unit, minLength: 1, maxLength: 15 })
  // (a trailing space cannot be told from the kernel's padding)
  .filter((n) => !/ $/.test(n) && (n.match(/\n/g) ?? []).length <= 1 && !/state:|pid:|task:/.test(n))
  // comm is a C string of at most 15 bytes: no NUL
  .filter((n) => !/\u0000/.test(n) && Buffer.byteLength(n) <= 15);

function replyPackets(text: string, cut: number[]): Buffer[] {
  const bytes = Buffer.from(text, 'utf8');
  const parts: Buffer[] = [];
  let from = 0;
  for (const c of cut) {
    const to = Math.min(bytes.length, from + 1 + (c % 512));
    parts.push(bytes.subarray(from, to));
    from = to;
    if (from >= bytes.length) break;
  }
  if (from < bytes.length || parts.length === 0) parts.push(bytes.subarray(from));
  return parts.map((p, i) => {
    const packet = encodeReply({ text: '', more: i < parts.length - 1 });
    packet.writeUInt32LE(p.length, 8);
    return Buffer.concat([packet.subarray(0, 12), p]);
  });
}

const header = (magic: number, version: number, a: number, b: number) => {
  const h = Buffer.alloc(16);
  h.writeUInt32LE(magic >>> 0, 0);
  h.writeUInt32LE(version >>> 0, 4);
  h.writeUInt32LE(a >>> 0, 8);
  h.writeUInt32LE(b >>> 0, 12);
  return h;
};
const packet = fc.oneof(
  fc.uint8Array({ maxLength: 700 }).map((a) => Buffer.from(a)),
  fc
    .tuple(
      fc.constantFrom(MCONSOLE_MAGIC, 0, 0xdeadbeef),
      fc.constantFrom(MCONSOLE_VERSION, 0, 3),
      fc.nat(),
      fc.oneof(fc.nat({ max: 600 }), fc.nat()),
      fc.uint8Array({ maxLength: 600 }),
    )
    .map(([m, v, a, b, data]) => Buffer.concat([header(m, v, a, b), Buffer.from(data)])),
);

export const TARGETS: Target[] = [
  procTarget('proc stat', fixture('proc/uml-7.2/idle/stat'), parseStat),
  procTarget('proc meminfo', fixture('proc/uml-7.2/idle/meminfo'), parseMeminfo),
  procTarget('proc vmstat', fixture('proc/uml-7.2/idle/vmstat'), parseVmstat),
  procTarget('proc softirqs', fixture('proc/uml-7.2/idle/softirqs'), parseSoftirqs),
  procTarget('proc loadavg', fixture('proc/uml-7.2/idle/loadavg'), parseLoadavg),
  procTarget('proc uptime', fixture('proc/uml-7.2/idle/uptime'), parseUptime),
  procTarget('proc diskstats', fixture('proc/uml-7.2/disk/diskstats'), parseDiskstats),
  procTarget('host net/dev', fixture('host/tap/net-dev'), (t) => parseNetDev(t, ['lo', 'eth0', 'tap0', 'x'])),
  procTarget('host pid stat', fixture('host/uml-7.2-busy/19123/stat'), parsePidStat),
  procTarget('host pid status', fixture('host/uml-7.2-busy/19123/status'), parsePidStatus),
  {
    name: 'proc interrupts',
    input: mutated(fixture('proc/uml-7.2/idle/interrupts')),
    check: (t) => {
      const out = parseInterrupts(t as string);
      countersInRange(out, 'interrupts');
      for (const i of out.value) inert(`${i.irq} ${i.chip ?? ''} ${i.name}`, 'an interrupt line');
    },
  },
  {
    name: 'proc version',
    input: mutated(fixture('proc/uml-7.2/idle/version')),
    check: (t) => inert(parseVersion(t as string).text, 'the version'),
  },
  {
    name: 'task dump',
    input: mutated(fixture('proc/uml-7.2/sysrq-t.txt')),
    check: (t) => {
      const list = parseTaskDump(t as string);
      countersInRange(list.tasks, 'tasks');
      inert(formatTasks({ tasks: list.tasks, complete: true, source: 'console log' }), 'the task table');
    },
  },
  {
    // nothing a guest names a task makes it disappear: the task is there, under that name
    name: 'task dump: a named task is never lost',
    input: fc.tuple(taskName, fc.integer({ min: 100_000, max: 4_000_000 }), fc.nat(), mutated('')), // pids the fixture has not
    check: (x) => {
      const [name, pid, at, noise] = x as [string, number, number, string];
      const line = `task:${name.padEnd(15)} state:S stack:0     pid:${pid}   tgid:${pid}   ppid:1      task_flags:0x400040 flags:0x00000000`;
      const others = fixture('proc/uml-7.2/sysrq-t.txt').split('\n');
      const i = at % (others.length + 1);
      const dump = [...others.slice(0, i), line, ...others.slice(i), noise.replace(/task:|pid:/g, '')].join('\n');
      const found = parseTaskDump(dump).tasks.filter((t) => t.pid === pid);
      if (found.length !== 1 || found[0]!.name !== name)
        fail(`task ${pid} named ${JSON.stringify(name)} came out as ${JSON.stringify(found.map((t) => t.name))}`);
    },
  },
  {
    name: 'sanitize',
    input: fc.tuple(hostileText(400), fc.boolean()),
    check: (x) => {
      const [text, multiline] = x as [string, boolean];
      const out = sanitize(text, { multiline });
      inert(multiline ? out.replace(/\t/g, '') : out.replace(/\n/g, '\\n'), 'sanitized text');
      if (!multiline && out.includes('\n')) fail('a newline in a single line');
      // visible: nothing is dropped, every character that is not a control passes in order
      const plain = [...text.replace(/\r\n/g, '\n')].filter(
        (c) => !CONTROL.test(c) && !/[\u061c\u200e\u200f\u2028\u2029]/.test(c),
      );
      let k = 0;
      for (const c of out) if (c === plain[k]) k++;
      if (k < plain.length) fail(`dropped ${JSON.stringify(plain.slice(k).join(''))}`);
      if (sanitizeLine(out) !== out.replace(/\n/g, '\\n').replace(/\t/g, '\\t')) fail('not idempotent');
    },
  },
  {
    name: 'mconsole reply packet',
    input: packet,
    check: (b) =>
      allowing(BadPacketError, () => {
        const r = decodeReply(b as Buffer);
        if (!Number.isInteger(r.err) || typeof r.text !== 'string') fail('a reply without err or text');
      }),
  },
  {
    // a reply split over many packets comes out whole, byte for byte
    name: 'mconsole split reply',
    // (kernel replies are C strings: no NUL inside)
    input: fc.tuple(
      hostileText(3000).map((t) => t.replace(/\u0000/g, '')),
      fc.array(fc.nat(), { maxLength: 40 }),
    ),
    check: (x) => {
      const [text, cuts] = x as [string, number[]];
      const asm = new ReplyAssembler();
      let reply: ReturnType<ReplyAssembler['push']>;
      const pk = replyPackets(text, cuts);
      for (const p of pk) reply = asm.push(decodeReply(p));
      const want = Buffer.from(text, 'utf8');
      if (!reply!) fail('no final packet');
      if (reply!.packets !== pk.length) fail(`${reply!.packets} packets of ${pk.length}`);
      // a UTF-8 character cut between packets must still come out whole
      if (Buffer.compare(Buffer.from(reply!.text, 'utf8'), want) !== 0)
        fail(`reassembled ${JSON.stringify(reply!.text.slice(0, 80))}`);
    },
  },
  {
    // the console log view follows a file the kernel is still writing: reads end anywhere, even
    // inside a character; taken in whole characters, the text is the file's, byte for byte
    name: 'console log follower',
    input: fc.tuple(
      fc.oneof(
        hostileText(2000).map((t) => Buffer.from(t, 'utf8')),
        fc.uint8Array({ maxLength: 600 }).map((a) => Buffer.from(a)),
      ),
      fc.array(fc.nat(), { maxLength: 30 }),
    ),
    check: (x) => {
      const [file, cuts] = x as [Buffer, number[]];
      let taken = 0;
      let text = '';
      for (const cut of [...cuts.map((c) => c % (file.length + 1)).sort((a, b) => a - b), file.length]) {
        if (cut <= taken) continue;
        const read = file.subarray(taken, cut);
        const n = cut === file.length ? read.length : wholeUtf8(read); // the last read: the file is whole
        text += read.subarray(0, n).toString('utf8');
        taken += n;
      }
      if (text !== file.toString('utf8')) fail(`followed ${JSON.stringify(text.slice(0, 60))}`);
      const tail = file.subarray(Math.min(file.length, 7));
      if (skipPartialUtf8(tail) > 3) fail('skipped more than a character');
    },
  },
  {
    name: 'notify packet',
    input: packet,
    check: (b) =>
      allowing(BadPacketError, () => {
        const n = decodeNotify(b as Buffer);
        if (typeof n.text !== 'string' || !Number.isInteger(n.typeCode)) fail('a notification without type or text');
      }),
  },
  {
    // recordings given to replay, and the lines a remote host's feed sends
    name: 'recording / remote feed line',
    input: fc.oneof(
      mutated(fixture('recordings/v1-tui.jsonl').split('\n').slice(0, 6).join('\n')).map((t) => t.split('\n')[2] ?? t),
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc
        .record({
          v: fc.constantFrom(1, 2),
          mono: fc.double(),
          wall: fc.double(),
          kind: fc.constantFrom('input', 'tick', 'meta', 'x'),
          input: fc.jsonValue(),
          meta: fc.jsonValue(),
          op: fc.string(),
          args: fc.jsonValue(),
        })
        .map((o) => JSON.stringify(o)),
    ),
    check: (t) => allowing(LineError, () => remoteInput('peer', decodeLine(t as string))),
  },
  {
    name: 'web config file',
    input: fc.oneof(
      mutated(
        'tls_server_config:\n  cert_file: server.pem\n  key_file: server.key\n  min_version: TLS12\nbasic_auth_users:\n  prom: $2b$10$abcdefghijklmnopqrstuuJ0e5pWZQ9Vb3oQeLq0p7yZ5cW1Lx0a2\nhttp_server_config:\n  headers:\n    X-Frame-Options: deny\n',
      ),
      hostileText(400),
    ),
    check: (t) => {
      const file = path.join(os.tmpdir(), `umltop-fuzz-web-${process.pid}.yml`);
      fs.writeFileSync(file, t as string);
      return allowing(WebConfigError, () => readWebConfig(file)).finally(() => fs.rmSync(file, { force: true }));
    },
  },
  {
    // a recording given to replay whose lines are JSON of the right kind but hand-edited: a value
    // anywhere in a real line replaced; replay refuses it with an error naming the line, or plays it
    name: 'recording replayed',
    input: fc.tuple(fc.nat(), fc.array(fc.nat(), { maxLength: 4 }), fc.jsonValue()),
    check: (x) => {
      const [at, pathTo, value] = x as [number, number[], unknown];
      const lines = RECORDING.map((l) => structuredClone(l));
      const target = lines[1 + (at % (lines.length - 1))];
      let o: unknown = target;
      for (const k of pathTo.slice(0, -1)) {
        if (!o || typeof o !== 'object') break;
        const keys = Object.keys(o);
        if (keys.length) o = (o as Record<string, unknown>)[keys[k % keys.length]!];
      }
      if (o && typeof o === 'object') {
        const keys = Object.keys(o);
        if (keys.length) (o as Record<string, unknown>)[keys[(pathTo.at(-1) ?? 0) % keys.length]!] = value;
      }
      let decoded: RecordLine[];
      try {
        decoded = lines.map((l) => decodeLine(JSON.stringify(l)));
      } catch (e) {
        if (e instanceof LineError) return;
        throw e;
      }
      return allowing(RecordingError, () => checkReplayable('fuzz.jsonl', decoded));
    },
  },
  {
    // a guest's vmstat and meminfo (its kernel's, or whatever its root made them) through the
    // rates, the pressure state and the balancer's policy
    name: 'memory pressure and advice',
    input: fc.tuple(
      mutated(fixture('proc/uml-7.2/pressure/vmstat-pressed-1')),
      mutated(fixture('proc/uml-7.2/pressure/vmstat-pressed-2')),
      mutated(fixture('proc/uml-7.2/pressure/meminfo-pressed')),
      fc.nat({ max: 1 << 22 }),
      fc.nat({ max: 1 << 26 }),
    ),
    check: (x) => {
      const [v1, v2, mem, unplugged, hostAvail] = x as [string, string, string, number, number];
      const counters = (text: string, at: number): GuestCounters => ({
        errors: {},
        ignoredLines: {},
        meminfo: { at, value: parseMeminfo(mem).value },
        vmstat: { at, value: parseVmstat(text).value },
      });
      const g = guestView(counters(v2, 5500), counters(v1, 0));
      const p = g.pressure;
      if (p && !PRESSURE_STATES.includes(p.state)) fail(`state ${p.state}`);
      if (p) inert(p.reason, 'the pressure reason');
      const rec = {
        key: 'k',
        umid: 'g',
        state: 'running',
        reason: '',
        guest: g,
        unpluggedKiB: unplugged,
      } as unknown as InstanceRecord;
      const host = { at: 0, cpus: 2, load: [0, 0, 0], memTotalKiB: 1 << 26, memAvailableKiB: hostAvail } as HostTotals;
      for (const d of decide([rec], host, DEFAULT_POLICY, newMoveHistory(), 0)) {
        inert(d.reason, 'the advice reason');
        if (!Number.isInteger(d.kib) || d.kib % 1024) fail(`not whole MiB: ${d.kib}`);
        if (d.action === 'grow' && (d.kib <= 0 || d.kib > unplugged)) fail(`grow ${d.kib} of ${unplugged} unplugged`);
        const total = g.meminfo.MemTotal ?? 0;
        if (d.action === 'shrink' && total - unplugged + d.kib < (total * DEFAULT_POLICY.floorPercent) / 100)
          fail(`shrink ${d.kib} below the floor`);
        if (d.action === 'hold' && d.kib !== 0) fail('a hold that moves');
      }
    },
  },
  {
    name: 'config file',
    input: fc.oneof(mutated(fixture('config/full.toml')), hostileText(400)),
    check: (t) => allowing(ConfigError, () => parseConfig(t as string, 'fuzz.toml')),
  },
];

/** Inputs that once broke a target, kept as fixtures: test/fixtures/fuzz/<target>/*.json. */
export function savedFailures(target: Target): unknown[] {
  const dir = path.join(FIX, 'fuzz', target.name.replace(/[^a-z0-9]+/gi, '-'));
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => revive(JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'))));
}

export function saveFailure(target: Target, input: unknown): string {
  const dir = path.join(FIX, 'fuzz', target.name.replace(/[^a-z0-9]+/gi, '-'));
  fs.mkdirSync(dir, { recursive: true });
  const text = JSON.stringify(
    input,
    (_k, v) =>
      Buffer.isBuffer(v) || v?.type === 'Buffer' ? { base64: Buffer.from(v.data ?? v).toString('base64') } : v,
    1,
  );
  const file = path.join(dir, `${Date.now().toString(36)}.json`);
  fs.writeFileSync(file, `${text}\n`);
  return file;
}

function revive(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(revive);
  if (v && typeof v === 'object' && 'base64' in v) return Buffer.from((v as { base64: string }).base64, 'base64');
  return v;
}
