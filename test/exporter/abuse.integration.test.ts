// `umltop serve` under abuse, on loopback against a real guest: slow clients, a burst of
// concurrent scrapes, oversized and malformed requests, wrong passwords in a loop. Sockets and
// memory stay bounded and a good scrape is still answered. Every loop is bounded in count and time.
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import bcrypt from 'bcryptjs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostileText } from '../fuzz/targets.js';
import { ExporterRig } from '../helpers/prometheus.js';
import { Fleet, waitFor } from '../helpers/uml-fleet.js';

const PASSWORD = 'right-one-9c2';
const basic = (user: string, pw: string) => `Basic ${Buffer.from(`${user}:${pw}`).toString('base64')}`;
let fleet: Fleet;
let rig: ExporterRig;
let dir: string;
let port: number;
let pid: number;

interface Got {
  code: number;
  body: string;
}
/** One request on its own connection; a connection closed by the server is code 0. */
function get(
  headers: Record<string, string> = { Authorization: basic('prom', PASSWORD) },
  method = 'GET',
): Promise<Got> {
  return new Promise((resolve) => {
    const req = http.request(
      { host: '127.0.0.1', port, path: '/metrics', method, headers, agent: false, timeout: 20_000 },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d) => {
          body += d;
        });
        res.on('end', () => resolve({ code: res.statusCode ?? 0, body }));
        res.on('error', () => resolve({ code: 0, body }));
      },
    );
    req.on('error', () => resolve({ code: 0, body: '' })); // expected: refused or reset under load
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

/** Sockets the exporter process holds open now. */
function sockets(): number {
  return fs.readdirSync(`/proc/${pid}/fd`).filter((f) => {
    try {
      return fs.readlinkSync(`/proc/${pid}/fd/${f}`).startsWith('socket:');
    } catch {
      return false; // closed while listed
    }
  }).length;
}
const rssMiB = () => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
const counter = (text: string, name: string) => Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(text)?.[1] ?? NaN);

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'umltop-abuse-'));
  fleet = await Fleet.boot([{ umid: 'abuse-vm' }]);
  fs.writeFileSync(
    path.join(dir, 'web.yml'),
    `basic_auth_users:\n  prom: ${JSON.stringify(bcrypt.hashSync(PASSWORD, 10))}\n`,
  );
  rig = new ExporterRig(dir);
  const s = await rig.serve(['--uml-dir', fleet.umlDir, '--web-config', path.join(dir, 'web.yml')]);
  port = s.port;
  pid = s.child.pid!;
  await waitFor(async () => (await get()).body.includes('umid="abuse-vm"'), 10_000, 'the guest in a scrape');
}, 90_000);
afterAll(async () => {
  rig?.stopAll();
  await fleet?.teardown();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the exporter under abuse', () => {
  it('slow clients: cut after the header deadline; a scrape meanwhile is answered', async () => {
    const base = sockets();
    const slow = Array.from({ length: 30 }, () => {
      const s = net.connect(port, '127.0.0.1');
      s.on('error', () => undefined); // expected: the server resets it
      s.write('GET /metrics HTTP/1.1\r\nHost: x\r\n');
      const drip = setInterval(() => s.writable && s.write('X-Slow: 1\r\n'), 1000);
      const closed = new Promise<void>((r) => s.on('close', () => r()));
      return { s, drip, closed };
    });
    try {
      await waitFor(() => sockets() >= base + 30, 5000, 'the 30 slow sockets to be accepted');
      const meanwhile = await get();
      expect(meanwhile.code).toBe(200);
      // headersTimeout is 5 s (checked on the server's own timer): all closed well within 15 s
      await Promise.race([
        Promise.all(slow.map((c) => c.closed)),
        new Promise((_, no) => setTimeout(() => no(new Error('slow sockets still open after 15 s')), 15_000)),
      ]);
      await waitFor(() => sockets() <= base, 5000, 'the exporter to hold no more sockets than before');
    } finally {
      for (const c of slow) {
        clearInterval(c.drip);
        c.s.destroy();
      }
    }
  }, 60_000);

  it('150 scrapes at once: at most 64 sockets, each answered 200 or closed, memory bounded', async () => {
    const base = sockets();
    const before = rssMiB();
    let most = 0;
    const watch = setInterval(() => {
      most = Math.max(most, sockets());
    }, 20);
    const results = await Promise.all(Array.from({ length: 150 }, () => get()));
    clearInterval(watch);
    const codes = new Set(results.map((r) => r.code));
    expect([...codes].every((c) => c === 200 || c === 0)).toBe(true);
    expect(results.filter((r) => r.code === 200).length).toBeGreaterThanOrEqual(64);
    expect(most - base).toBeLessThanOrEqual(64 + 1); // +1: a socket accepted and not yet closed
    expect(rssMiB() - before).toBeLessThan(64);
    expect((await get()).code).toBe(200);
    await waitFor(() => sockets() <= base, 5000, 'the sockets of the burst to close');
  }, 60_000);

  it('oversized headers get 431, a malformed request 400, a big POST 405; then a scrape works', async () => {
    const raw = (text: string) =>
      new Promise<string>((resolve) => {
        const s = net.connect(port, '127.0.0.1');
        let got = '';
        s.on('data', (d) => {
          got += d;
        });
        s.on('error', () => resolve(got)); // expected: reset after the answer
        s.on('close', () => resolve(got));
        s.setTimeout(10_000, () => s.destroy());
        s.write(text);
      });
    const big = `GET /metrics HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(64 * 1024)}\r\n\r\n`;
    expect(await raw(big)).toMatch(/^HTTP\/1\.1 431 /);
    expect(await raw('\u0001\u0002 nonsense \r\n\r\n')).toMatch(/^HTTP\/1\.1 400 /);
    const post = `POST /metrics HTTP/1.1\r\nHost: x\r\nAuthorization: ${basic('prom', PASSWORD)}\r\nContent-Length: 10485760\r\n\r\n${'z'.repeat(65536)}`;
    expect(await raw(post)).toMatch(/^HTTP\/1\.1 405 /);
    expect((await get()).code).toBe(200);
  }, 60_000);

  it('300 random and malformed requests: each answered with a status line or closed; the exporter stays up', async () => {
    const request = fc.oneof(
      fc.uint8Array({ minLength: 1, maxLength: 2000 }).map((a) => Buffer.from(a)),
      fc
        .record({
          method: fc.constantFrom(
            'GET',
            'HEAD',
            'POST',
            'PUT',
            'DELETE',
            'OPTIONS',
            'TRACE',
            'CONNECT',
            'G\u001bET',
            '',
          ),
          path: fc.oneof(
            fc.constantFrom('/metrics', '/', '*', '/metrics?x=1', '//metrics', '/../etc/passwd'),
            hostileText(200),
          ),
          version: fc.constantFrom('HTTP/1.1', 'HTTP/1.0', 'HTTP/2.0', 'HTTP/9', ''),
          headers: fc.array(fc.tuple(hostileText(30), hostileText(100)), { maxLength: 8 }),
          auth: fc.boolean(),
        })
        .map(({ method, path: p, version, headers, auth }) =>
          Buffer.from(
            `${method} ${p} ${version}\r\nHost: x\r\n${auth ? `Authorization: ${basic('prom', PASSWORD)}\r\n` : ''}${headers.map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`,
          ),
        ),
    );
    const inputs = fc.sample(request, { numRuns: 300, seed: 2026 });
    const send = (bytes: Buffer) =>
      new Promise<string>((resolve) => {
        const s = net.connect(port, '127.0.0.1');
        let got = '';
        s.on('data', (d) => {
          got += d.toString('latin1');
          if (got.includes('\r\n')) s.destroy(); // the status line is what is judged
        });
        s.on('error', () => resolve(got)); // expected: the server may reset a request it refuses
        s.on('close', () => resolve(got));
        s.setTimeout(8000, () => s.destroy()); // a request left incomplete: the server's deadline ends it
        s.end(bytes);
      });
    const answers: string[] = [];
    for (let i = 0; i < inputs.length; i += 10) answers.push(...(await Promise.all(inputs.slice(i, i + 10).map(send))));
    const bad = answers.filter((a) => a !== '' && !/^HTTP\/1\.1 \d{3} /.test(a));
    expect(bad).toEqual([]);
    expect(answers.filter((a) => /^HTTP\/1\.1 (400|401|404|405|431) /.test(a)).length).toBeGreaterThan(100);
    expect((await get()).code).toBe(200);
  }, 120_000);

  it('wrong passwords in a loop: never let in, each repeated one checked once, good scrapes still answered', async () => {
    const checks = () => get().then((r) => counter(r.body, 'umltop_exporter_password_checks_total'));
    const start = await checks();
    // 200 tries with one wrong password and 10 with different ones, 10 at a time
    const tries = [
      ...Array.from({ length: 200 }, () => 'wrong-again'),
      ...Array.from({ length: 10 }, (_, i) => `guess-${i}`),
    ];
    const codes: number[] = [];
    for (let i = 0; i < tries.length; i += 10) {
      const batch = tries.slice(i, i + 10).map((pw) => get({ Authorization: basic('prom', pw) }));
      codes.push(...(await Promise.all(batch)).map((r) => r.code));
    }
    expect(codes.filter((c) => c !== 401 && c !== 503)).toEqual([]);
    expect(codes.filter((c) => c === 401).length).toBeGreaterThan(150);
    const good = await get();
    expect(good.code).toBe(200);
    // bcrypt ran once for the repeated password and once for each different one
    const ran = counter(good.body, 'umltop_exporter_password_checks_total') - start;
    expect(ran).toBeGreaterThanOrEqual(1);
    expect(ran).toBeLessThanOrEqual(1 + 10);
    expect(counter(good.body, 'umltop_exporter_responses_total\\{code="401"\\}')).toBeGreaterThan(150);
  }, 120_000);
});
