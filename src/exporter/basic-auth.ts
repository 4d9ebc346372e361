// HTTP basic auth against bcrypt hashes (basic_auth_users of the web config). bcrypt is slow on
// purpose (tens of ms a check): a credential that passed is remembered by its SHA-256, so a
// scrape every few seconds costs one hash, not one bcrypt. An unknown user is checked against a
// dummy hash, so the time taken does not tell which users exist. Nothing here is ever logged.
import { createHash, timingSafeEqual } from 'node:crypto';
import bcrypt from 'bcryptjs';

let dummy: string | undefined; // made on first use: a bcrypt hash takes tens of ms

export class BasicAuth {
  private passed = new Map<string, Buffer>();

  constructor(private readonly users: Map<string, string>) {}

  /** Whether the Authorization header carries a user and password of the web config. */
  async check(header: string | undefined): Promise<boolean> {
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
    const known = this.passed.get(user);
    if (hash && known && timingSafeEqual(known, digest)) return true;
    if (!hash && !dummy) dummy = bcrypt.hashSync('umltop: no such user', 10);
    const ok = await bcrypt.compare(password, hash ?? dummy!);
    if (ok && hash) {
      if (this.passed.size > 64) this.passed.clear();
      this.passed.set(user, digest);
    }
    return ok && hash !== undefined;
  }
}
