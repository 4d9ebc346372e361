// The exporter's password checks under a loop of wrong passwords: one bcrypt a repeated wrong
// password, one check at a time, a bounded queue (busy beyond), and no request left waiting.
import bcrypt from 'bcryptjs';
import { describe, expect, it } from 'vitest';
import { BasicAuth, BCRYPT_QUEUE } from '../../src/exporter/basic-auth.js';

const basic = (user: string, pw: string) => `Basic ${Buffer.from(`${user}:${pw}`).toString('base64')}`;
const users = () => new Map([['prom', bcrypt.hashSync('right', 4)]]);

describe('BasicAuth under a loop of wrong passwords', () => {
  it('20 at once with one wrong password: one bcrypt, all refused, none left waiting', async () => {
    const auth = new BasicAuth(users());
    const answers = await Promise.all(Array.from({ length: 20 }, () => auth.check(basic('prom', 'wrong'))));
    expect(answers).toEqual(Array(20).fill(false));
    expect(auth.bcryptChecks).toBe(1);
    expect(await auth.check(basic('prom', 'right'))).toBe(true);
    expect(await auth.check(basic('prom', 'right'))).toBe(true);
    expect(auth.bcryptChecks).toBe(2);
  });

  it('30 different ones at once: one runs, the queue holds 16, the rest are busy; every one answered', async () => {
    const auth = new BasicAuth(users());
    const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => auth.check(basic('prom', `guess-${i}`))));
    expect(answers.filter((a) => a === false)).toHaveLength(1 + BCRYPT_QUEUE);
    expect(answers.filter((a) => a === 'busy')).toHaveLength(30 - 1 - BCRYPT_QUEUE);
    expect(auth.bcryptChecks).toBe(1 + BCRYPT_QUEUE);
    expect(auth.busyRefusals).toBe(30 - 1 - BCRYPT_QUEUE);
  });

  it('a repeated credential shares the check in flight: no queue place taken, no one left waiting', async () => {
    const auth = new BasicAuth(users());
    // a different password first, then many of one wrong password waiting behind it, then another
    const all = [
      auth.check(basic('prom', 'first')),
      ...Array.from({ length: 10 }, () => auth.check(basic('prom', 'same'))),
      auth.check(basic('prom', 'last')),
    ];
    expect(await Promise.all(all)).toEqual(Array(12).fill(false));
    expect(auth.bcryptChecks).toBe(3);
  });
});
