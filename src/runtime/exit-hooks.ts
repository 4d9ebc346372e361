// One place that runs cleanup on every way out: normal exit, uncaught error, SIGINT, SIGTERM, SIGHUP.
// Hooks must be synchronous (they also run from process 'exit').

type Hook = () => void;
const hooks = new Set<Hook>();
let installed = false;
let ran = false;

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
const SIGNAL_EXIT = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;

export function runExitHooks(): void {
  if (ran) return;
  ran = true;
  for (const hook of [...hooks].reverse()) {
    try {
      hook();
    } catch {
      /* keep cleaning up */
    }
  }
  hooks.clear();
  ran = false;
}

/** Register a cleanup; returns a function that unregisters it. */
export function onExit(hook: Hook): () => void {
  install();
  hooks.add(hook);
  return () => {
    hooks.delete(hook);
  };
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', runExitHooks);
  for (const signal of SIGNALS) {
    process.on(signal, () => {
      runExitHooks();
      // Another listener (the TUI) may want to handle the signal itself; if none, exit like the default would.
      if (process.listenerCount(signal) <= 1) process.exit(SIGNAL_EXIT[signal]);
    });
  }
}
