// The TUI's way into a guest: its console (the terminal handed over), its disks (checked, then
// changed), its task list and its console log. The same checks as the console, disk and tasks
// commands, through the poller's clients; every write journaled.
import { attach } from '../console/attach.js';
import { consoleLogFile, fileSize, readBytesFrom, skipPartialUtf8, wholeUtf8 } from '../console/log-file.js';
import { consoleLines, describeLines, pickLine, switchCandidate } from '../console/lines.js';
import type { Poller } from '../collectors/poller.js';
import type { Journal } from '../state/journal.js';
import type { Store } from '../state/store.js';
import { sanitize } from '../text/sanitize.js';
import type { GuestController, LogFollow, PlanResult } from './controller.js';
import { type AddPlan, DiskRefused, listDisks, planAdd, planRemove, type RemovePlan, runDiskPlan } from './disks.js';
import { formatTasks, guestTasks } from './tasks.js';

/** Runs `attach` with the terminal handed over (the TUI suspended) and gives it back after. */
export type Handover = <T>(
  run: (io: { input: NodeJS.ReadStream; output: NodeJS.WriteStream }) => Promise<T>,
) => Promise<T>;

/** How much of a console log the view holds (the newest part). */
const LOG_TAIL = 512 << 10;

export class GuestAccess implements GuestController {
  private diskPlans = new Map<string, AddPlan | RemovePlan>();
  private follower: NodeJS.Timeout | undefined;

  constructor(
    private readonly o: { store: Store; poller: Poller | undefined; journal: Journal; handover?: Handover },
  ) {}

  close(): void {
    this.stopFollow();
  }

  async console(key: string): Promise<{ ok: boolean; message: string; offer?: { line: string; channel: string } }> {
    const { r, client } = this.target(key);
    if (!this.o.handover) return { ok: false, message: 'no terminal to hand over' };
    const lines = await consoleLines(client);
    const line = pickLine(lines);
    if (!line?.pts) {
      const c = switchCandidate(lines);
      const what = `no line of ${r.umid} is on a pts the guest opened:\n${describeLines(lines)}`;
      if (c && c.channel !== 'pts') return { ok: false, message: what, offer: { line: c.line, channel: c.channel } };
      return {
        ok: false,
        message: `${what}${c ? `\n${c.line} is on pts already: the guest has not opened it yet` : ''}`,
      };
    }
    this.o.journal.append({
      umid: r.umid,
      umlDir: r.umlDir,
      pid: r.pid,
      command: `console attach ${line.line} (${line.pts})`,
      outcome: 'ok',
    });
    const result = await this.o.handover(async (io) => {
      io.output.write(`\u001b[2J\u001b[Humltop: attached to ${r.umid} ${line.line} (${line.pts}); ctrl-] detaches\r\n`);
      return attach({ pts: line.pts!, input: io.input, output: io.output });
    });
    return {
      ok: result.how === 'detached',
      message:
        result.how === 'detached' ? `detached from ${r.umid} ${line.line}` : `${r.umid} ${line.line}: ${result.why}`,
    };
  }

  async tasks(key: string): Promise<{ ok: boolean; title: string; text: string; complete: boolean; note?: string }> {
    const { r, client } = this.target(key);
    const list = await guestTasks({ socket: r.socket, pid: r.pid! }, client);
    return {
      ok: true,
      title: `${r.umid}: tasks (sysrq t, from the ${list.source})`,
      text: formatTasks(list),
      complete: list.complete,
      ...(list.note ? { note: list.note } : {}),
    };
  }

  followLog(key: string, onText: (f: LogFollow) => void): string | undefined {
    this.stopFollow();
    const r = this.o.store.records.get(key);
    const log = r?.pid ? consoleLogFile(r.pid) : undefined;
    if (!r?.pid || !log)
      return `${r?.umid ?? 'that instance'}: its console does not go to a file (fd 1 and 2 of its kernel process are not regular files)`;
    const pid = r.pid;
    // `size`: the bytes taken so far. A read can end inside a character (the kernel still writing
    // it): only whole characters are taken, the rest comes with the next read.
    const first = readBytesFrom(pid, log, Math.max(0, (fileSize(pid, log) ?? 0) - LOG_TAIL));
    const skip = first.start > 0 ? skipPartialUtf8(first.bytes) : 0;
    const whole = wholeUtf8(first.bytes);
    let size = first.start + whole;
    let text = sanitize(first.bytes.subarray(skip, whole).toString('utf8'), { multiline: true });
    // The view holds the newest LOG_TAIL, so a read takes at most that; more written between two
    // reads is skipped, and counted in the title (the file has it all).
    let skipped = 0;
    const title = () =>
      `${r.umid}: console log ${log.path}${skipped ? ` (${skipped < 2 ** 20 ? `${Math.ceil(skipped / 1024)} KiB` : `${(skipped / 2 ** 20).toFixed(1)} MiB`} skipped: written faster than shown, all in the file)` : ''}`;
    onText({ title: title(), text, grew: false });
    this.follower = setInterval(() => {
      const now = fileSize(pid, log);
      if (now === undefined || now === size) return;
      const truncated = now < size;
      const added = readBytesFrom(pid, log, truncated ? 0 : size, LOG_TAIL);
      const n = wholeUtf8(added.bytes);
      if (n === 0 && !truncated) return;
      text = (truncated ? '' : text) + sanitize(added.bytes.subarray(0, n).toString('utf8'), { multiline: true });
      if (text.length > LOG_TAIL) text = text.slice(text.indexOf('\n', text.length - LOG_TAIL) + 1);
      if (!truncated) skipped += added.start - size;
      size = added.start + n;
      onText({ title: title(), text, grew: true });
    }, 1000);
    this.follower.unref();
    return undefined;
  }

  stopFollow(): void {
    clearInterval(this.follower);
    this.follower = undefined;
  }

  async disks(key: string): Promise<string[]> {
    const { client } = this.target(key);
    return (await listDisks(client)).map(
      (d) =>
        `${d.device}  ${d.file ? sanitize(d.file) : '(no file)'}${d.backing ? ` over ${sanitize(d.backing)}` : ''}${d.inGuest ? '' : '  [not attached: not in the guest diskstats]'}`,
    );
  }

  async diskPlan(key: string, text: string): Promise<PlanResult> {
    try {
      const { r, client } = this.target(key);
      const [verb, slot, file, ro] = text.trim().split(/\s+/);
      const target = { umid: r.umid, umlDir: r.umlDir, pid: r.pid! };
      let plan: AddPlan | RemovePlan;
      if (verb === 'add' && slot && file && (ro === undefined || ro === 'ro'))
        plan = await planAdd(target, slot, file, { readOnly: ro === 'ro', client });
      else if (verb === 'remove' && slot && file === undefined) plan = await planRemove(target, slot, client);
      else return { ok: false, error: "type 'add ubdN FILE', 'add ubdN FILE ro' or 'remove ubdN'" };
      this.diskPlans.set(key, plan);
      const message =
        plan.kind === 'add'
          ? `Add ${plan.file} to ${r.umid} as ${plan.device}${plan.readOnly ? ' (read-only)' : ''}`
          : `Remove ${plan.device} (${plan.file}) from ${r.umid}`;
      return { ok: true, message };
    } catch (e) {
      return {
        ok: false,
        error: e instanceof DiskRefused ? `refused: ${e.message}` : `could not check: ${(e as Error).message}`,
      };
    }
  }

  async diskRun(key: string): Promise<{ ok: boolean; message: string }> {
    const plan = this.diskPlans.get(key);
    this.diskPlans.delete(key);
    if (!plan) return { ok: false, message: 'nothing checked to run' };
    try {
      const r = await runDiskPlan(plan, { client: this.target(key).client, journal: this.o.journal });
      this.o.store.apply({
        op: 'event',
        event: {
          type: 'action',
          key,
          umid: plan.target.umid,
          severity: r.ok ? 'info' : 'warn',
          message: `${plan.target.umid}: ${r.message}`,
        },
      });
      return r;
    } catch (e) {
      return { ok: false, message: `failed: ${(e as Error).message}` };
    }
  }

  private target(key: string) {
    const r = this.o.store.records.get(key);
    if (!r?.pid) throw new DiskRefused('that instance is gone');
    const client = this.o.poller?.clientFor(key);
    if (!client) throw new DiskRefused('that instance is not being watched (dead or invalid)');
    return { r, client };
  }
}
