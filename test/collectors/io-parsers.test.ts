// Disk and network parsers on files captured from a real 7.2.7 guest and its host process (a
// guest reading ubdb and pinging over a vector tap), plus hostile input.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseUbdConfig } from '../../src/collectors/guest-disks.js';
import { parseDiskstats, shownDisks, ubdIndex } from '../../src/collectors/proc/diskstats.js';
import { guestInterfaces, parseNetDev, tunInterface } from '../../src/collectors/proc/net-dev.js';
import { diskViews, netViews } from '../../src/state/io-view.js';

const FIX = path.join(import.meta.dirname, '../fixtures');
const read = (f: string) => fs.readFileSync(path.join(FIX, f), 'utf8');

describe('diskstats', () => {
  it("reads a real guest's ubd devices with every classic counter and the newer fields", () => {
    const { value, ignored } = parseDiskstats(read('proc/uml-7.2/disk/diskstats'));
    expect(ignored).toBe(0);
    expect(value.map((d) => d.name)).toEqual(['ubdb', 'ubdc']);
    const b = value[0]!;
    expect(b).toMatchObject({
      major: 98,
      minor: 16,
      reads: 4369,
      sectorsRead: 558616,
      msReading: 1568,
      writes: 0,
      inFlight: 0,
      ioTicksMs: 600,
    });
    expect(b.discards).toBe(0);
    expect(b.flushes).toBe(0);
  });

  it('ignores short, non-numeric and escape-laden lines and keeps the good ones', () => {
    const { value, ignored } = parseDiskstats(
      '  98 16 ubdb 1 2 3 4 5 6 7 8 9 10 11\n 98 32 ubdc 1 2\n98 48 \x1b[31mubdd 1 2 3 4 5 6 7 8 9 10 11\n98 64 ubde 1 x 3 4 5 6 7 8 9 10 11\n\u0000\xff\n',
    );
    expect(value.map((d) => d.name)).toEqual(['ubdb']);
    expect(value[0]!.discards).toBeUndefined();
    expect(ignored).toBe(4);
  });

  it('shows whole ubd disks, never their partitions, and other devices only once they did I/O', () => {
    const { value } = parseDiskstats(
      [
        '98 16 ubdb 0 0 0 0 0 0 0 0 0 0 0',
        '98 17 ubdb1 5 0 8 0 0 0 0 0 0 0 0',
        '1 0 ram0 0 0 0 0 0 0 0 0 0 0 0',
        '7 0 loop0 3 0 6 0 0 0 0 0 0 0 0',
      ].join('\n'),
    );
    expect(shownDisks(value).map((d) => d.name)).toEqual(['ubdb', 'loop0']);
    expect([ubdIndex('ubda'), ubdIndex('ubdb'), ubdIndex('ubdz'), ubdIndex('ubdaa'), ubdIndex('sda')]).toEqual([
      0,
      1,
      25,
      26,
      undefined,
    ]);
  });

  it("config ubdN's answer: the image, or a COW file over its backing file", () => {
    expect(parseUbdConfig(read('proc/uml-7.2/disk/config-ubdb'))).toEqual({
      file: expect.stringMatching(/cap-io-ubdb\.img$/),
    });
    const cow = parseUbdConfig(read('proc/uml-7.2/disk/config-ubdd-cow'));
    expect(cow).toEqual({
      file: expect.stringMatching(/cow\.img$/),
      backing: expect.stringMatching(/cap-io-ubdc\.img$/),
    });
    expect(parseUbdConfig('')).toEqual({ error: expect.stringMatching(/not configured/) });
  });

  it('rates over the two readings one second apart agree with the counters; I/Os in flight that do not complete are a stall', () => {
    const a = parseDiskstats(read('proc/uml-7.2/disk/diskstats')).value;
    const b = parseDiskstats(read('proc/uml-7.2/disk/diskstats.1s')).value;
    const stalls = new Map<string, number>();
    const [busy] = diskViews(
      { errors: {}, ignoredLines: {}, diskstats: { at: 2000, value: b } },
      { errors: {}, ignoredLines: {}, diskstats: { at: 1000, value: a } },
      undefined,
      stalls,
      undefined,
    );
    expect(busy!.device).toBe('ubdb');
    expect(busy!.readBytesPerSec).toBeCloseTo((b[0]!.sectorsRead - a[0]!.sectorsRead) * 512, -1);
    expect(busy!.stalledMs).toBeUndefined();
    const stuck = (at: number) => ({
      errors: {},
      ignoredLines: {},
      diskstats: { at, value: [{ ...b[0]!, inFlight: 4 }] },
    });
    diskViews(stuck(3000), stuck(2000), undefined, stalls, undefined);
    const [later] = diskViews(stuck(4000), stuck(3000), undefined, stalls, undefined);
    expect(later!.stalledMs).toBe(2000);
    expect(later!.readsPerSec).toBe(0);
  });
});

describe('the host side of a tap', () => {
  it("a tun descriptor's fdinfo names its tap; a process's net/dev gives that tap's counters", () => {
    const tap = tunInterface(read('host/tap/fdinfo-tun'))!;
    expect(tap).toMatch(/^umlt/);
    const counters = parseNetDev(read('host/tap/net-dev'), [tap, 'eth0', 'nosuch']);
    expect(counters.get(tap)).toMatchObject({ rxBytes: 126, rxPackets: 3, txBytes: 0 });
    expect(counters.get('eth0')!.rxBytes).toBe(677504362);
    expect(counters.has('nosuch')).toBe(false);
    expect(tunInterface('pos:\t0\niff:\t\x1b[2Jevil\n')).toBeUndefined();
  });

  it('a name that ends another name is not taken for it, and a short line is skipped', () => {
    const text =
      ' xtap0:  1 2 0 0 0 0 0 0  3 4 0 0 0 0 0 0\n  tap0: 10 20 1 2 0 0 0 0 30 40 3 4 0 0 0 0\n  tap1: 5 6\n';
    const c = parseNetDev(text, ['tap0', 'tap1']);
    expect(c.get('tap0')).toEqual({
      rxBytes: 10,
      rxPackets: 20,
      rxErrors: 1,
      rxDropped: 2,
      txBytes: 30,
      txPackets: 40,
      txErrors: 3,
      txDropped: 4,
    });
    expect(c.has('tap1')).toBe(false);
  });

  it("the guest's interface comes from the kernel's command line (vector and old tuntap forms)", () => {
    const names = guestInterfaces(read('host/tap/cmdline').split('\0'));
    expect([...names.values()]).toEqual(['vec0']);
    expect(guestInterfaces(['eth1=tuntap,tap7', 'vec2:transport=raw,ifname=eth0'])).toEqual(
      new Map([['tap7', 'eth1']]),
    );
  });

  it("is shown in the guest's view: what the host received on the tap is what the guest sent", () => {
    const c = (rx: number, tx: number) => ({
      rxBytes: rx,
      rxPackets: 1,
      rxErrors: 0,
      rxDropped: 0,
      txBytes: tx,
      txPackets: 1,
      txErrors: 0,
      txDropped: 0,
    });
    const [n] = netViews(
      [{ tap: 't', guestInterface: 'vec0', counters: c(3000, 500) }],
      [{ tap: 't', counters: c(1000, 0) }],
      2000,
    )!;
    expect(n).toMatchObject({
      device: 'vec0',
      tap: 't',
      txBytesPerSec: 1000,
      rxBytesPerSec: 250,
      txBytes: 3000,
      rxBytes: 500,
    });
  });
});
