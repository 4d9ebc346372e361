import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  BadPacketError,
  decodeNotify,
  decodeReply,
  decodeRequest,
  encodeNotify,
  encodeReply,
  encodeRequest,
  MCONSOLE_MAGIC,
  ReplyAssembler,
  RequestTooLargeError,
} from '../../src/mconsole/codec.js';

const FIXTURES = path.join(import.meta.dirname, '../fixtures/mconsole');
function capture(name: string): { command: string; packets: Buffer[] } {
  const raw = JSON.parse(fs.readFileSync(path.join(FIXTURES, name), 'utf8')) as { command: string; packets: string[] };
  return { command: raw.command, packets: raw.packets.map((p) => Buffer.from(p, 'base64')) };
}
function assemble(packets: Buffer[]) {
  const a = new ReplyAssembler();
  let reply;
  for (const p of packets) reply = a.push(decodeReply(p));
  return reply;
}

describe('request encoding', () => {
  it('matches the bytes uml_mconsole sends (header + text, no padding needed)', () => {
    const packet = encodeRequest('version');
    expect(packet.subarray(0, 12).toString('hex')).toBe('bebafeca' + '02000000' + '07000000');
    expect(packet.subarray(12).toString()).toBe('version');
    expect(decodeRequest(packet)).toEqual({ magic: MCONSOLE_MAGIC, version: 2, command: 'version' });
  });

  it('accepts 511 bytes and refuses 512 before sending, with a clear error', () => {
    expect(encodeRequest('x'.repeat(511)).length).toBe(523);
    expect(() => encodeRequest('x'.repeat(512))).toThrow(RequestTooLargeError);
    expect(() => encodeRequest('x'.repeat(512))).toThrow(/512 bytes; mconsole accepts at most 511/);
    // multi-byte characters count as bytes, not characters
    expect(() => encodeRequest('é'.repeat(256))).toThrow(RequestTooLargeError);
  });

  it('refuses a NUL inside a request (the kernel would cut it there)', () => {
    expect(() => encodeRequest('log a\0b')).toThrow(BadPacketError);
  });
});

describe('replies captured from a real 7.2.7 guest', () => {
  it('version: one packet, OK', () => {
    const { packets } = capture('version.json');
    expect(packets).toHaveLength(1);
    const reply = assemble(packets)!;
    expect(reply.ok).toBe(true);
    expect(reply.text).toMatch(/^Linux \(none\) 7\.2\.7 #1 .* x86_64$/);
  });

  it('proc meminfo: several packets reassembled into the whole file', () => {
    const { packets } = capture('proc-meminfo.json');
    expect(packets.length).toBeGreaterThan(2);
    const reply = assemble(packets)!;
    expect(reply.packets).toBe(packets.length);
    expect(reply.text.startsWith('\nMemTotal:')).toBe(true);
    expect(reply.text).toMatch(/\nVmallocTotal: +\d+ kB\n/);
    // only the last packet ends the reply
    expect(packets.slice(0, -1).every((p) => decodeReply(p).more)).toBe(true);
    expect(decodeReply(packets.at(-1)!).more).toBe(false);
  });

  it('help: two packets', () => {
    const reply = assemble(capture('help.json').packets)!;
    expect(reply.packets).toBe(2);
    expect(reply.text).toContain('sysrq <letter>');
  });

  it('ERR replies: generic error 1 and a negative errno from config', () => {
    const notStopped = assemble(capture('go-not-stopped.json').packets)!;
    expect(notStopped).toMatchObject({ ok: false, err: 1, text: 'Not stopped' });
    const enoent = assemble(capture('config-ubd-enoent.json').packets)!;
    expect(enoent.ok).toBe(false);
    expect(enoent.err).toBe(-2);
    expect(enoent.text).toMatch(/Couldn't determine size/);
  });
});

describe('hostile and broken packets', () => {
  it('a packet shorter than the header is a truncated packet', () => {
    expect(() => decodeReply(Buffer.from([0, 0, 0]))).toThrow(/truncated/);
  });

  it('a length longer than the datagram is a truncated packet', () => {
    const p = encodeReply({ text: 'hello world' });
    expect(() => decodeReply(p.subarray(0, p.length - 4))).toThrow(/holds 8 \(truncated packet\)/);
  });

  it('wrong magic / a request echoed back is not a reply', () => {
    expect(() => decodeReply(encodeRequest('version'))).toThrow(/not a reply/);
    const junk = Buffer.from('ERR Version 0 mconsole clients are not supported by this driver');
    expect(() => decodeReply(junk)).toThrow(BadPacketError);
  });

  it('a length over 512 is refused', () => {
    const p = Buffer.alloc(12 + 600);
    p.writeUInt32LE(600, 8);
    expect(() => decodeReply(p)).toThrow(/exceeds 512/);
  });

  it('data after a NUL is ignored; escape sequences are kept for the sanitizer to handle', () => {
    const p = encodeReply({ text: 'ok\u001b[2Jx' });
    const withTrailer = Buffer.concat([p.subarray(0, p.length - 1), Buffer.from([0, 0x41, 0x42])]);
    withTrailer.writeUInt32LE(withTrailer.length - 12, 8);
    expect(decodeReply(withTrailer).text).toBe('ok\u001b[2Jx');
  });

  it('a reply split over hundreds of packets is reassembled in order; err comes from the first', () => {
    const lines = Array.from({ length: 800 }, (_, i) => `line ${i}\n`);
    const packets = [...lines.map((l) => encodeReply({ text: l, more: true })), encodeReply({ text: '', more: false })];
    packets[0]!.writeInt32LE(1, 0);
    const reply = assemble(packets)!;
    expect(reply.packets).toBe(801);
    expect(reply.text).toBe(lines.join(''));
    expect(reply.err).toBe(1);
  });

  it('without a final packet the assembler has only a partial text', () => {
    const a = new ReplyAssembler();
    expect(a.push(decodeReply(encodeReply({ text: 'a', more: true })))).toBeUndefined();
    expect(a.partialText()).toBe('a');
    expect(a.packets).toBe(1);
  });
});

describe('a reply split over many packets, as a 7.2.7 kernel sent it', () => {
  it('proc vmstat: every packet but the last says more, and the text is whole', () => {
    const { packets } = capture('proc-vmstat.json');
    expect(packets.length).toBeGreaterThan(2);
    expect(packets.map((p) => decodeReply(p).more)).toEqual([...packets.map(() => true).slice(1), false]);
    const reply = assemble(packets)!;
    expect(reply.packets).toBe(packets.length);
    expect(reply.text).toMatch(/^\nnr_free_pages \d+\n/); // the kernel starts a proc reply with a newline
    expect(reply.text).toMatch(/\nallocstall_normal \d+\n/);
    expect(reply.err).toBe(0);
  });
});

describe('notifications', () => {
  it('decodes what a 7.2.7 kernel sent: its socket at boot, a note from /proc/mconsole, its panic', () => {
    const one = (name: string) => decodeNotify(capture(name).packets[0]!);
    const socket = one('notify-socket.json');
    expect(socket.type).toBe('socket');
    expect(socket.text).toMatch(/^\/tmp\/umltop-fleet-\w+\/uml\/capture\/mconsole$/);
    const user = one('notify-user.json');
    expect(user.type).toBe('user');
    expect(user.text).toMatch(/^umltop-notify uptime \d+\.\d+\n$/);
    expect(one('notify-panic.json')).toMatchObject({ type: 'panic', text: 'sysrq triggered crash' });
  });

  it('the round trip of the four kernel types', () => {
    expect(decodeNotify(encodeNotify(0, '/root/.uml/x/mconsole\0'))).toMatchObject({
      type: 'socket',
      text: '/root/.uml/x/mconsole',
    });
    expect(decodeNotify(encodeNotify(1, 'sysrq triggered crash\0'))).toMatchObject({
      type: 'panic',
      text: 'sysrq triggered crash',
    });
    expect(decodeNotify(encodeNotify(3, 'hello-from-guest\n'))).toMatchObject({
      type: 'user',
      text: 'hello-from-guest\n',
    });
    expect(decodeNotify(encodeNotify(9, ''))).toMatchObject({ type: 'unknown', typeCode: 9 });
  });

  it("decodes uml_watchdog's 24-byte hang packet (64-bit magic layout)", () => {
    const p = Buffer.alloc(24);
    p.writeBigUInt64LE(0xcafebaben, 0);
    p.writeUInt32LE(2, 8);
    p.writeUInt32LE(2, 12);
    expect(decodeNotify(p)).toMatchObject({ type: 'hang', watchdogLayout: true });
  });

  it('refuses short, wrong-magic and overlong notifications', () => {
    expect(() => decodeNotify(Buffer.alloc(8))).toThrow(/shorter than its 16-byte header/);
    expect(() => decodeNotify(Buffer.alloc(40))).toThrow(/wrong magic/);
    const p = encodeNotify(3, 'abc');
    p.writeUInt32LE(100, 12);
    expect(() => decodeNotify(p)).toThrow(/says 100 data bytes/);
  });
});
