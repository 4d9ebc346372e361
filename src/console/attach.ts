// Attach a terminal to a guest's console pty, raw in both directions, until ctrl-] (as telnet and
// virsh console do) or the guest closes the line. What the guest writes reaches the terminal as a
// console's output does, escape sequences and all, but for the string controls (OSC, DCS, APC,
// PM: titles, clipboard writes, terminal queries), which guest text has no business sending.
import fs from 'node:fs';
import tty from 'node:tty';

export const DETACH = 0x1d; // ctrl-]

export interface AttachOptions {
  pts: string;
  input: NodeJS.ReadStream;
  output: NodeJS.WritableStream;
  /** Told once the line is open (e.g. to say how to detach). */
  onOpen?: () => void;
}

/** Resolves when the user detached, or the line went away (with why). */
export function attach(o: AttachOptions): Promise<{ how: 'detached' | 'closed'; why?: string }> {
  return new Promise((resolve, reject) => {
    let fd: number;
    try {
      fd = fs.openSync(o.pts, fs.constants.O_RDWR | fs.constants.O_NOCTTY);
    } catch (e) {
      reject(new Error(`cannot open ${o.pts}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`));
      return;
    }
    // our end of the guest's line must pass bytes as they are: no echo, no line editing
    const guest = new tty.ReadStream(fd);
    guest.setRawMode(true);
    const filter = new StringControlFilter();
    const wasRaw = o.input.isTTY ? o.input.isRaw : false;
    if (o.input.isTTY) o.input.setRawMode(true);
    let done = false;
    const finish = (how: 'detached' | 'closed', why?: string) => {
      if (done) return;
      done = true;
      o.input.removeListener('data', onInput);
      if (o.input.isTTY) o.input.setRawMode(wasRaw);
      o.input.pause();
      guest.removeAllListeners('data');
      guest.destroy();
      resolve({ how, ...(why ? { why } : {}) });
    };
    const onInput = (chunk: Buffer | string) => {
      const b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      const at = b.indexOf(DETACH);
      const send = at === -1 ? b : b.subarray(0, at);
      try {
        if (send.length) fs.writeSync(fd, send);
      } catch (e) {
        finish('closed', `writing to the line: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
        return;
      }
      if (at !== -1) finish('detached');
    };
    guest.on('data', (d: Buffer) => o.output.write(filter.push(d)));
    guest.on('error', (e: NodeJS.ErrnoException) =>
      finish('closed', e.code === 'EIO' ? 'the guest closed the line' : e.message),
    );
    guest.on('end', () => finish('closed', 'the guest closed the line'));
    o.input.on('data', onInput);
    o.input.resume();
    o.onOpen?.();
  });
}

/**
 * Drops OSC (ESC ]), DCS (ESC P), APC (ESC _), PM (ESC ^) and SOS (ESC X) strings up to their
 * terminator (BEL or ESC \), across chunks; passes everything else through.
 */
export class StringControlFilter {
  private inString = false;
  private pendingEsc = false;

  push(chunk: Buffer): Buffer {
    const out: number[] = [];
    for (const c of chunk) {
      if (this.inString) {
        if (c === 0x07) this.inString = false;
        else if (this.pendingEsc && c === 0x5c) this.inString = false;
        this.pendingEsc = c === 0x1b;
        continue;
      }
      if (this.pendingEsc) {
        this.pendingEsc = false;
        if (c === 0x5d || c === 0x50 || c === 0x5f || c === 0x5e || c === 0x58) {
          this.inString = true;
          continue;
        }
        out.push(0x1b, c);
        continue;
      }
      if (c === 0x1b) {
        this.pendingEsc = true;
        continue;
      }
      out.push(c);
    }
    return Buffer.from(out);
  }
}
