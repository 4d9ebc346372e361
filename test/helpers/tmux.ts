// A real terminal for end-to-end tests: a private tmux server, keys in, screen out.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { waitFor } from './uml-fleet.js';

export class Tmux {
  readonly socket = `umltop-test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'umltop-tmux-'));
  readonly exitFile = path.join(this.dir, 'exit');
  readonly rawFile = path.join(this.dir, 'raw');
  readonly session = 'e2e';

  /** Start `command` (a shell string) in a width×height terminal; its exit code lands in exitFile. */
  start(command: string, width: number, height: number, env: Record<string, string> = {}): void {
    const exports = Object.entries(env)
      .map(([k, v]) => `export ${k}=${JSON.stringify(v)}; `)
      .join('');
    const script = `${exports}${command}; echo $? > ${this.exitFile}; sleep 600`;
    this.tmux('new-session', '-d', '-x', String(width), '-y', String(height), '-s', this.session, 'bash', '-c', script);
    this.tmux('set-option', '-t', this.session, 'status', 'off');
    this.tmux('pipe-pane', '-t', this.session, '-o', `cat >> ${this.rawFile}`);
  }

  tmux(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, '-f', '/dev/null', ...args], {
      encoding: 'utf8',
      env: { ...process.env, TMUX: '' },
    });
  }

  screen(): string[] {
    return this.tmux('capture-pane', '-p', '-t', this.session).replace(/\n$/, '').split('\n');
  }
  screenWithEscapes(): string {
    return this.tmux('capture-pane', '-p', '-e', '-t', this.session);
  }
  raw(): string {
    try {
      return fs.readFileSync(this.rawFile, 'latin1');
    } catch {
      return '';
    }
  }
  keys(...keys: string[]): void {
    this.tmux('send-keys', '-t', this.session, ...keys);
  }
  /** Keys one after another, as a person types them (a pause between, so each is read on its own). */
  async type(...keys: string[]): Promise<void> {
    for (const k of keys) {
      this.keys(k);
      await new Promise((r) => setTimeout(r, 150));
    }
  }
  /** Select an instance of the TUI by filtering to its umid. */
  async select(umid: string): Promise<void> {
    await this.waitScreen((l) => l.some((x) => new RegExp(`${umid} +running`).test(x)), `${umid} running`);
    await this.type('/', umid, 'Enter');
    await this.waitScreen((l) => l.some((x) => new RegExp(`^▶\\S? +${umid}`).test(x)), `${umid} selected`);
  }
  resize(width: number, height: number): void {
    this.tmux('resize-window', '-t', this.session, '-x', String(width), '-y', String(height));
  }

  async waitScreen(test: (lines: string[]) => boolean, what: string, timeoutMs = 10_000): Promise<string[]> {
    let last: string[] = [];
    try {
      await waitFor(
        () => {
          last = this.screen();
          return test(last);
        },
        timeoutMs,
        what,
        100,
      );
    } catch (e) {
      throw new Error(`${(e as Error).message}\n--- screen ---\n${last.join('\n')}`);
    }
    return last;
  }

  exitCode(): number | undefined {
    try {
      return Number(fs.readFileSync(this.exitFile, 'utf8').trim());
    } catch {
      return undefined;
    }
  }

  /** The pid of the process running in the pane (bash -c …), for signal tests. */
  panePid(): number {
    return Number(this.tmux('display-message', '-p', '-t', this.session, '#{pane_pid}').trim());
  }

  kill(): void {
    try {
      this.tmux('kill-server');
    } catch {
      /* expected: already gone */
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
