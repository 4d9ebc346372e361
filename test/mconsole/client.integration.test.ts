// The client library against a real guest: queueing, deadlines, bad packets, loss.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MconsoleClient } from '../../src/mconsole/client.js';
import { BadPacketError, encodeRequest } from '../../src/mconsole/codec.js';
import { McErrReplyError, McIncompleteReplyError, McTimeoutError } from '../../src/mconsole/errors.js';
import { Fleet } from '../helpers/uml-fleet.js';

let fleet: Fleet;
beforeAll(async () => {
  fleet = await Fleet.boot([{ umid: 'cl1' }]);
});
afterAll(async () => {
  await fleet?.teardown();
});

describe('MconsoleClient on a real instance', () => {
  it('keeps one request in flight and answers a burst in order (the guest would answer a pipelined burst LIFO)', async () => {
    const client = new MconsoleClient(fleet.get('cl1').socket);
    try {
      const commands = ['version', 'proc uptime', 'help', 'proc loadavg', 'log umltop-test', 'config mem'];
      const replies = await Promise.all(commands.map((c) => client.request(c)));
      expect(replies[0]!.text).toMatch(/^Linux /);
      expect(replies[1]!.text).toMatch(/^\n\d+\.\d+ \d+\.\d+\n$/);
      expect(replies[2]!.text).toMatch(/^Commands:/);
      expect(replies[3]!.text).toMatch(/^\n\d+\.\d+ \d+\.\d+ \d+\.\d+ \d+\/\d+ \d+\n$/);
      expect(replies[4]!.text).toBe('');
      expect(replies[5]!.text).toMatch(/^\d+$/);
    } finally {
      client.close();
    }
  });

  it('closeWhenIdle: what is in flight is still answered, what is queued or new is refused, then the sockets close', async () => {
    const client = new MconsoleClient(fleet.get('cl1').socket, { lanes: 2 });
    const inFlight = [client.request('proc meminfo'), client.request('version')];
    const queued = client.request('help');
    expect(client.inFlight).toBe(2);
    client.closeWhenIdle();
    await expect(queued).rejects.toThrow(/closed/);
    await expect(client.request('proc stat')).rejects.toThrow(/closed/);
    expect(client.isClosed).toBe(false);
    const [meminfo, version] = await Promise.all(inFlight);
    expect(meminfo.text).toMatch(/MemTotal:/);
    expect(version.text).toMatch(/^Linux /);
    expect(client.isClosed).toBe(true);
    expect(client.pending).toBe(0);
  });

  it('with lanes, a burst is in flight at once and each answer reaches the request that asked', async () => {
    const commands = ['proc meminfo', 'proc stat', 'proc interrupts', 'proc loadavg', 'version', 'help'];
    const serial = new MconsoleClient(fleet.get('cl1').socket);
    const laned = new MconsoleClient(fleet.get('cl1').socket, { lanes: commands.length });
    try {
      for (const client of [serial, laned]) {
        const asked = commands.map((c) => client.request(c));
        expect(client.pending).toBe(commands.length);
        expect(client.inFlight).toBe(client === laned ? commands.length : 1);
        const replies = (await Promise.all(asked)).map((r) => r.text);
        expect(replies[0]).toMatch(/^MemTotal:/m);
        expect(replies[0]).not.toMatch(/^cpu /m);
        expect(replies[1]).toMatch(/^cpu /m);
        expect(replies[1]).toMatch(/^btime \d+$/m);
        expect(replies[2]).toMatch(/^\s*\d+:.*mconsole/m);
        expect(replies[3]).toMatch(/^\n\d+\.\d+ \d+\.\d+ \d+\.\d+ \d+\/\d+ \d+\n$/);
        expect(replies[4]).toMatch(/^Linux /);
        expect(replies[5]).toMatch(/^Commands:/);
        expect(client.strayPackets).toBe(0);
      }
    } finally {
      serial.close();
      laned.close();
    }
  });

  it('rejects an ERR reply with its text, or resolves it when asked to', async () => {
    const client = new MconsoleClient(fleet.get('cl1').socket);
    try {
      await expect(client.request('go')).rejects.toThrow(McErrReplyError);
      await expect(client.request('go')).rejects.toThrow(/'go' failed: Not stopped/);
      expect(await client.request('config nosuchdev', { allowErr: true })).toMatchObject({ ok: false });
    } finally {
      client.close();
    }
  });

  it("the guest's answer to a wrong-magic request is not a reply packet: a clear bad-packet error", async () => {
    const client = new MconsoleClient(fleet.get('cl1').socket);
    try {
      const packet = encodeRequest('version');
      packet.writeUInt32LE(0x12345678, 0);
      const failure = await client.requestPacket(packet, 'version (wrong magic)').catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(BadPacketError);
      // and the client recovers with a fresh socket
      expect((await client.request('version')).ok).toBe(true);
    } finally {
      client.close();
    }
  });

  it('a reader that falls behind loses packets: the reply is reported incomplete, not passed off as whole', async () => {
    const client = new MconsoleClient(fleet.get('cl1').socket, { timeoutMs: 1500 });
    try {
      const pending = client.request('sysrq t').catch((e: unknown) => e);
      const until = performance.now() + 400;
      while (performance.now() < until) {
        /* block the event loop: the guest overruns our queue */
      }
      const failure = await pending;
      expect(failure).toBeInstanceOf(McIncompleteReplyError);
      const e = failure as McIncompleteReplyError;
      expect(e.packets).toBeGreaterThan(0);
      expect(e.packets).toBeLessThan(100);
      expect(e.message).toMatch(/incomplete/);
      // late packets of the abandoned reply never leak into the next answer
      expect((await client.request('version')).text).toMatch(/^Linux /);
    } finally {
      client.close();
    }
  });

  it('requests queued behind a hung one time out on their own deadline', async () => {
    const inst = fleet.get('cl1');
    const client = new MconsoleClient(inst.socket, { timeoutMs: 800 });
    process.kill(inst.pid, 'SIGSTOP');
    try {
      // Order, not wall clock: the queued request's own 300-ms deadline ends it before the 800-ms
      // one it waits behind. Only a stall limit (3× the longer deadline) is timed.
      const t0 = performance.now();
      const settled: string[] = [];
      const note = (name: string) => (e: unknown) => {
        settled.push(name);
        throw e;
      };
      const results = await Promise.allSettled([
        client.request('version').catch(note('version')),
        client.request('help', { timeoutMs: 300 }).catch(note('help')),
      ]);
      expect(results[0]).toMatchObject({ status: 'rejected', reason: expect.any(McTimeoutError) });
      expect((results[1] as PromiseRejectedResult).reason.message).toMatch(/still queued behind an earlier request/);
      expect(settled).toEqual(['help', 'version']);
      expect(performance.now() - t0).toBeLessThan(3 * 800);
    } finally {
      process.kill(inst.pid, 'SIGCONT');
      client.close();
    }
  });

  it('with lanes, each lane times out on its own and comes back with a fresh socket', async () => {
    const inst = fleet.get('cl1');
    const client = new MconsoleClient(inst.socket, { timeoutMs: 600, lanes: 2 });
    process.kill(inst.pid, 'SIGSTOP');
    try {
      const results = await Promise.allSettled([
        client.request('proc uptime'),
        client.request('proc loadavg'),
        client.request('version', { timeoutMs: 300 }),
      ]);
      expect(results.map((r) => (r as PromiseRejectedResult).reason.message)).toEqual([
        expect.stringMatching(/did not answer/),
        expect.stringMatching(/did not answer/),
        expect.stringMatching(/still queued behind an earlier request/),
      ]);
    } finally {
      process.kill(inst.pid, 'SIGCONT');
    }
    try {
      // the stopped guest answers the abandoned requests once it runs again: to sockets that are gone
      const replies = await Promise.all([client.request('proc meminfo'), client.request('version')]);
      expect(replies[0]!.text).toMatch(/^MemTotal:/m);
      expect(replies[1]!.text).toMatch(/^Linux /);
      expect(client.strayPackets).toBe(0);
    } finally {
      client.close();
    }
  });
});
