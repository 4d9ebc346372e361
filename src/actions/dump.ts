// Reading long mconsole replies in a separate process.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { packageRoot } from '../runtime/package-root.js';

export interface CommandResult {
  ok: boolean;
  text: string;
  complete: boolean;
  note?: string;
}

const BIN = path.join(packageRoot(), 'bin/umltop');

/**
 * Long dumps (sysrq, stack: hundreds of one-line packets sent without waiting) are read by a
 * separate `umltop mconsole` process: its event loop does nothing else, so it drains the 10-datagram
 * queue far better than a process that is also drawing a screen (README, the command line).
 */
export function dumpInChildProcess(socket: string, command: string, timeoutS = 5): Promise<CommandResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, 'mconsole', '--timeout', String(timeoutS), socket, ...command.split(/\s+/)],
      { maxBuffer: 16 << 20, timeout: 15_000 },
      (err, stdout, stderr) => {
        const code =
          err && typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : err ? 2 : 0;
        const text = stdout.replace(/^(OK|ERR) /, '').replace(/\n$/, '');
        if (code === 0) resolve({ ok: true, text, complete: true });
        else if (/incomplete/.test(stderr))
          resolve({ ok: true, text, complete: false, note: stderr.replace(/^umltop mconsole: /, '').trim() });
        else if (code === 1) resolve({ ok: false, text, complete: true });
        else
          resolve({
            ok: false,
            text: stderr.replace(/^umltop mconsole: /, '').trim() || `exit ${code}`,
            complete: true,
          });
      },
    );
  });
}
