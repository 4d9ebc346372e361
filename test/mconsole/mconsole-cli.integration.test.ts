// `umltop mconsole` against real UML instances, compared with uml_mconsole itself.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Fleet, pidAlive, waitFor } from '../helpers/uml-fleet.js';
import { runCli } from '../helpers/run-cli.js';

let fleet: Fleet;
let runtime: string;
const env = () => ({ XDG_RUNTIME_DIR: runtime });
const leftovers = () => fs.readdirSync(path.join(runtime, 'umltop')).filter((n) => n.startsWith('c-'));

beforeAll(async () => {
  runtime = fs.mkdtempSync(path.join(os.tmpdir(), 'umltop-rt-'));
  fleet = await Fleet.boot([{ umid: 'mc1' }, { umid: 'mc2' }, { umid: 'doomed' }]);
});
afterAll(async () => {
  await fleet?.teardown();
  fs.rmSync(runtime, { recursive: true, force: true });
});

function umlMconsole(socket: string, ...command: string[]): string {
  return execFileSync('uml_mconsole', [socket, ...command], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
    timeout: 10_000,
  });
}

describe('umltop mconsole is a drop-in for uml_mconsole', () => {
  for (const command of [['version'], ['proc', 'meminfo'], ['help']]) {
    it(`prints exactly what uml_mconsole prints for '${command.join(' ')}'`, async () => {
      const socket = fleet.get('mc1').socket;
      // meminfo moves between two reads; compare the shape and the fields that do not move
      const ours = await runCli(['mconsole', '--uml-dir', fleet.umlDir, 'mc1', ...command], { env: env() });
      const theirs = umlMconsole(socket, ...command);
      expect(ours.code).toBe(0);
      if (command[0] === 'proc') {
        const stable = (s: string) =>
          s.replace(
            /^(MemFree|MemAvailable|Cached|Active.*|Inactive.*|AnonPages|Mapped|Shmem|Slab|SReclaimable|SUnreclaim|KernelStack|PageTables|Committed_AS|Dirty|Writeback|Buffers|Percpu|KReclaimable|VmallocUsed):.*$/gm,
            '$1:',
          );
        expect(stable(ours.stdout)).toBe(stable(theirs));
        expect(ours.stdout.startsWith('OK \nMemTotal:')).toBe(true);
      } else {
        expect(ours.stdout).toBe(theirs);
      }
      expect(leftovers()).toEqual([]);
    });
  }

  it('accepts a socket path as well as a umid, and exits 1 with ERR text on an ERR reply', async () => {
    const r = await runCli(['mconsole', fleet.get('mc2').socket, 'go'], { env: env() });
    expect(r.stdout).toBe('ERR Not stopped\n');
    expect(r.code).toBe(1);
  });
});

describe('never hangs', () => {
  it('a host-SIGSTOPped instance: gives up within its deadline with exit 2 (uml_mconsole blocks)', async () => {
    const inst = fleet.get('mc2');
    process.kill(inst.pid, 'SIGSTOP');
    try {
      const r = await runCli(['mconsole', '--uml-dir', fleet.umlDir, '--timeout', '2', 'mc2', 'version'], {
        env: env(),
      });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/no reply to 'version' within 2 s/);
      // the limit is the behaviour: done at the deadline plus start-up (bench section 2: overrun)
      expect(r.ms).toBeLessThan(2000 + 1500);
      // the reference client, by contrast, is still waiting when we stop it
      const ref = spawnSync('uml_mconsole', [inst.socket, 'version'], { timeout: 3000, stdio: 'ignore' });
      expect(ref.signal).toBe('SIGTERM');
      expect(leftovers()).toEqual([]);
    } finally {
      process.kill(inst.pid, 'SIGCONT');
    }
  });

  it('a reply of hundreds of packets (sysrq t) is reassembled, or reported incomplete within the deadline', async () => {
    const r = await runCli(['mconsole', '--uml-dir', fleet.umlDir, '--timeout', '3', 'mc1', 'sysrq', 't'], {
      env: env(),
    });
    expect(r.ms).toBeLessThan(3000 + 1500); // as above: the deadline plus start-up, never a hang
    expect(r.stdout.split('\n').length).toBeGreaterThan(10);
    if (r.code === 0) {
      expect(r.stdout).toMatch(/^OK /);
      expect(r.stdout).toMatch(/task:init +state:/);
    } else {
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(
        /reply to 'sysrq t' is incomplete: \d+ packet\(s\), \d+ bytes received, no final packet within 3 s/,
      );
    }
  });

  it('SIGTERM / SIGINT / SIGHUP while waiting remove the client socket', async () => {
    const inst = fleet.get('mc2');
    process.kill(inst.pid, 'SIGSTOP');
    try {
      for (const [signal, code] of [
        ['SIGTERM', 143],
        ['SIGINT', 130],
        ['SIGHUP', 129],
      ] as const) {
        let pid = 0;
        const pending = runCli(['mconsole', '--uml-dir', fleet.umlDir, '--timeout', '10', 'mc2', 'version'], {
          env: env(),
          onSpawn: (p) => {
            pid = p;
          },
        });
        await waitFor(() => leftovers().length > 0, 5000, 'the client socket to exist');
        process.kill(pid, signal);
        const r = await pending;
        expect(r.code ?? r.signal).toBe(code);
        expect(leftovers()).toEqual([]);
      }
    } finally {
      process.kill(inst.pid, 'SIGCONT');
    }
  });
});

describe('clear errors', () => {
  it('an unknown umid', async () => {
    const r = await runCli(['mconsole', '--uml-dir', fleet.umlDir, 'nosuch', 'version'], { env: env() });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `umltop mconsole: no instance 'nosuch': no socket at ${fleet.umlDir}/nosuch/mconsole, /tmp/uml/nosuch/mconsole\n`,
    );
  });

  it("a dead pid's stale socket", async () => {
    const inst = fleet.get('doomed');
    process.kill(inst.pid, 'SIGKILL');
    await waitFor(() => !pidAlive(inst.pid), 5000, 'doomed to die');
    expect(fs.existsSync(inst.socket)).toBe(true); // SIGKILL leaves the umid dir behind
    const r = await runCli(['mconsole', '--uml-dir', fleet.umlDir, 'doomed', 'version'], { env: env() });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /instance gone: .*doomed\/mconsole refuses connections \(stale socket of a dead instance\)/,
    );
    expect(leftovers()).toEqual([]);
  });

  it('a request over 512 bytes is refused before sending', async () => {
    const r = await runCli(['mconsole', '--uml-dir', fleet.umlDir, 'mc1', 'log', 'x'.repeat(600)], { env: env() });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/request is 604 bytes; mconsole accepts at most 511/);
  });

  it('usage errors exit 2 with the usage line', async () => {
    const r = await runCli(['mconsole', 'mc1'], { env: env() });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/usage: umltop mconsole/);
  });
});
