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
  outcome: 'ok' | 'err' | 'refused' | 'failed' | 'partial';
  reply?: string;
  verification?: Record<string, unknown>;
  note?: string;
}

export class Journal {
  readonly file: string;
  constructor(env: NodeJS.ProcessEnv = process.env, file?: string) {
    this.file = file ?? path.join(stateDir(env), 'journal.jsonl');
  }

  append(r: JournalRecord): void {
    fs.mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
    const line = `${JSON.stringify({ time: new Date().toISOString(), user: userName(), hostUser: process.getuid?.(), ...r })}\n`;
    // One write(2) with O_APPEND: lines from concurrent umltop processes do not interleave.
    const fd = fs.openSync(this.file, 'a', 0o600);
    try {
      fs.writeSync(fd, line);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  }

  read(): Array<JournalRecord & { time: string; user: string }> {
    try {
      return fs
        .readFileSync(this.file, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l));
    } catch {
      return [];
    }
  }
}

function userName(): string {
  try {
    return os.userInfo().username;
  } catch {
    return String(process.getuid?.() ?? '?');
  }
}
