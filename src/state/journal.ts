// The audit journal: every write umltop makes to an instance, appended as one JSON line to
// $XDG_STATE_HOME/umltop/journal.jsonl (time, user, instance, command, reply, verification).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stateDir } from './ledger.js';

export interface JournalRecord {
  umid: string;
  umlDir: string;
  pid?: number;
  command: string;
  /** pending: written before the write is sent (write-ahead); the outcome follows in a line of its own. */
  outcome: 'pending' | 'ok' | 'err' | 'refused' | 'failed' | 'partial';
  reply?: string;
  verification?: Record<string, unknown>;
  note?: string;
}

/** The journal could not be written (a full or read-only state dir): says which file and why. */
export class JournalError extends Error {}

export class Journal {
  readonly file: string;
  constructor(env: NodeJS.ProcessEnv = process.env, file?: string) {
    this.file = file ?? path.join(stateDir(env), 'journal.jsonl');
  }

  /** Append one line, synced; a JournalError when it could not be written whole. */
  append(r: JournalRecord): void {
    const line = `${JSON.stringify({ time: new Date().toISOString(), user: userName(), hostUser: process.getuid?.(), ...r })}\n`;
    try {
      fs.mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
      // One write(2) with O_APPEND: lines from concurrent umltop processes do not interleave.
      const fd = fs.openSync(this.file, 'a', 0o600);
      try {
        if (fs.writeSync(fd, line) !== Buffer.byteLength(line))
          throw Object.assign(new Error('short write'), { code: 'ENOSPC' });
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
      throw new JournalError(`the journal ${this.file} could not be written (${code})`);
    }
  }

  /** The write-ahead line of a write about to be sent: when it cannot be written, the write is not made. */
  intent(r: Omit<JournalRecord, 'outcome'>): void {
    this.append({ ...r, outcome: 'pending' });
  }

  read(): Array<JournalRecord & { time: string; user: string }> {
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch {
      return [];
    }
    // a line cut short (a full disk) is skipped, not the whole journal
    return text.split('\n').flatMap((l) => {
      try {
        return l ? [JSON.parse(l)] : [];
      } catch {
        return [];
      }
    });
  }
}

function userName(): string {
  try {
    return os.userInfo().username;
  } catch {
    return String(process.getuid?.() ?? '?');
  }
}
