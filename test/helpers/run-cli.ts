// Run the real bin/umltop as a child process.
import { spawn } from 'node:child_process';
import path from 'node:path';

export const BIN = path.resolve(import.meta.dirname, '../../bin/umltop');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export function runCli(
  args: string[],
  opts: {
    env?: NodeJS.ProcessEnv;
    timeoutMs?: number;
    onSpawn?: (pid: number) => void;
    /** Everything it printed so far, each time it prints. */
    onStdout?: (all: string) => void;
  } = {},
): Promise<CliResult> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
      opts.onStdout?.(stdout);
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const guard = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 20_000);
    opts.onSpawn?.(child.pid!);
    child.on('close', (code, signal) => {
      clearTimeout(guard);
      resolve({ code, signal, stdout, stderr, ms: performance.now() - t0 });
    });
  });
}
