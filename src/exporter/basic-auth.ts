// HTTP basic auth against bcrypt hashes (basic_auth_users of the web config). bcrypt is slow on
// purpose (tens of ms a check): a credential that passed is remembered by its SHA-256, so a
// scrape every few seconds costs one hash, not one bcrypt. An unknown user is checked against a
// dummy hash, so the time taken does not tell which users exist. Nothing here is ever logged.
import { createHash, timingSafeEqual } from 'node:crypto';
import bcrypt from 'bcryptjs';

let dummy: string | undefined; // made on first use: a bcrypt hash takes tens of ms

/** bcrypt checks at once, and waiting: a client that loops on wrong passwords gets at most this much CPU. */
export const BCRYPT_AT_ONCE = 1;
export const BCRYPT_QUEUE = 16;

export class BasicAuth {
  private passed = new Map<string, Buffer>();
  // credentials that failed, by digest: a client repeating one wrong password costs a SHA-256
  private failed = new Set<string>();
  private running = 0;
  private inflight = new Map<string, Promise<boolean>>();
  private waiting: Array<() => void> = [];
  /** bcrypt comparisons run, and checks refused because too many were waiting (self-metrics). */
  bcryptChecks = 0;
  busyRefusals = 0;

  constructor(private readonly users: Map<string, string>) {}

  /**
   * Whether the Authorization header carries a user and password of the web config; 'busy' when
   * more checks are waiting than BCRYPT_QUEUE (the server answers 503: try again).
   */
  async check(header: string | undefined): Promise<boolean | 'busy'> {
    const m = /^Basic ([A-Za-z0-9+/=]+)$/i.exec(header?.trim() ?? '');
    if (!m) return false;
    const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return false;
    const user = decoded.slice(0, colon);
    const password = decoded.slice(colon + 1);
    const hash = this.users.get(user);
    const digest = createHash('sha256')
      .update(`${hash ?? ''}\0${user}\0${password}`)
      .digest();
    const key = digest.toString('hex');
    const known = this.passed.get(user);
    if (hash && known && timingSafeEqual(known, digest)) return true;
    if (this.failed.has(key)) return false;
    // the same credential already being checked (a client repeating itself): share that answer
    const shared = this.inflight.get(key);
    if (shared) return shared;
    if (this.running >= BCRYPT_AT_ONCE && this.waiting.length >= BCRYPT_QUEUE) {
      this.busyRefusals++;
      return 'busy';
    }
    const answer = this.compare(password, hash, user, digest).finally(() => this.inflight.delete(key));
    this.inflight.set(key, answer);
    return answer;
  }

  private async compare(password: string, hash: string | undefined, user: string, digest: Buffer): Promise<boolean> {
    while (this.running >= BCRYPT_AT_ONCE) await new Promise<void>((r) => this.waiting.push(r));
    this.running++;
    try {
      if (!hash && !dummy) dummy = bcrypt.hashSync('umltop: no such user', 10);
      this.bcryptChecks++;
      const ok = await bcrypt.compare(password, hash ?? dummy!);
      if (ok && hash) {
        if (this.passed.size > 64) this.passed.clear();
        this.passed.set(user, digest);
      } else {
        if (this.failed.size >= 1024) this.failed.clear();
        this.failed.add(digest.toString('hex'));
      }
      return ok && hash !== undefined;
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }
}
