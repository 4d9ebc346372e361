// umltop tasks on a real guest: its task list from sysrq t holds pid 1 and the shell it runs; with
// its disk hung (the host I/O thread frozen), the reader stuck in D comes first and is marked.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GuestTask } from '../../src/collectors/proc/task-dump.js';
import { runCli } from '../helpers/run-cli.js';
import { Fleet, waitFor } from '../helpers/uml-fleet.js';

let fleet: Fleet;
let freezer: ChildProcess | undefined;

beforeAll(async () => {
  fleet = await Fleet.boot([
    { umid: 'tk-a', workloads: ['shell', 'diskread'], args: ['con1=pts'], disks: [64], arg: 300 },
  ]);
}, 60_000);
afterAll(async () => {
  freezer?.kill('SIGTERM');
  await fleet?.teardown();
});

interface TasksJson {
  umid: string;
  tasks: GuestTask[];
  complete: boolean;
  source: string;
  guestCounts?: number;
  note?: string;
}
const tasks = async (): Promise<{ code: number | null; json: TasksJson; stderr: string }> => {
  const r = await runCli(['tasks', '--uml-dir', fleet.umlDir, '--json', 'tk-a'], { timeoutMs: 30_000 });
  return { code: r.code, json: JSON.parse(r.stdout) as TasksJson, stderr: r.stderr };
};

describe('umltop tasks on a real guest', () => {
  it('lists pid 1 and the shell on con1, with state, parent and where each waits; the text form too', async () => {
    const { code, json } = await tasks();
    expect(json.umid).toBe('tk-a');
    const init = json.tasks.find((t) => t.pid === 1);
    expect(init).toMatchObject({ pid: 1, ppid: 0, name: 'init' });
    const sh = json.tasks.find((t) => t.name === 'sh' && t.pid !== 1);
    expect(sh).toBeDefined();
    expect(sh!.state).toMatch(/^[SR]$/);
    expect(json.tasks.filter((t) => t.waitsIn).length).toBeGreaterThan(json.tasks.length / 2);
    // the console goes to a file, so the dump is read there, whole: the guest's own count agrees
    expect(json.source).toBe('console log');
    expect(json.guestCounts).toBeGreaterThan(0);
    expect(json.tasks.length).toBeGreaterThanOrEqual(json.guestCounts!);
    expect(json.complete).toBe(true);
    expect(code).toBe(0);
    const text = await runCli(['tasks', '--uml-dir', fleet.umlDir, 'tk-a'], { timeoutMs: 30_000 });
    expect(text.stdout).toMatch(/^tk-a: \d+ task\(s\) \(the guest counts \d+\), \d+ uninterruptible \(D\)/);
    expect(text.stdout).toMatch(/^ +1 +0 [SR] +init\b/m);
  });

  it('a task stuck on a hung disk (D) comes first, marked', async () => {
    const inst = fleet.get('tk-a');
    const tids = fs.readdirSync(`/proc/${inst.pid}/task`).filter((t) => t !== String(inst.pid));
    const io = tids.filter((t) => fs.readFileSync(`/proc/${inst.pid}/task/${t}/wchan`, 'utf8') !== 'do_epoll_wait');
    expect(io.length).toBeGreaterThan(0);
    freezer = spawn('python3', [path.join(import.meta.dirname, '../helpers/freeze-thread.py'), '25', ...io], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let last: TasksJson | undefined;
    await waitFor(
      async () => {
        last = (await tasks()).json;
        return last.tasks[0]?.state === 'D';
      },
      20_000,
      'a D task first',
    );
    expect(last!.tasks[0]!.name).toBe('dd');
    const text = await runCli(['tasks', '--uml-dir', fleet.umlDir, 'tk-a'], { timeoutMs: 30_000 });
    expect(text.stdout).toMatch(/^! +\d+ +\d+ D +dd\b/m);
    expect(text.stdout).toMatch(/[1-9]\d* uninterruptible \(D\)/);
    freezer.kill('SIGTERM');
  });
});
