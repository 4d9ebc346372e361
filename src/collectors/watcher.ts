// Watches the uml dirs with chokidar and calls back (debounced) when umid dirs come or go, so a
// new instance is seen at once instead of at the next tick. Dirs that do not exist yet are
// picked up by the periodic rescan.
import { watch, type FSWatcher } from 'chokidar';

export class UmlDirWatcher {
  private watcher: FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  private pending = new Set<string>();

  constructor(
    private readonly onChange: (umlDirs: string[]) => void,
    private readonly debounceMs = 40,
  ) {}

  watch(umlDirs: string[]): void {
    this.close();
    this.watcher = watch(umlDirs, {
      depth: 1,
      ignoreInitial: true,
      persistent: true,
      followSymlinks: false,
      ignorePermissionErrors: true,
    });
    const notify = (p: string) => {
      const dir = umlDirs.find((d) => p === d || p.startsWith(`${d}/`));
      if (!dir) return;
      this.pending.add(dir);
      clearTimeout(this.timer);
      this.timer = setTimeout(() => {
        const dirs = [...this.pending];
        this.pending.clear();
        this.onChange(dirs);
      }, this.debounceMs);
    };
    this.watcher.on('all', (_event, p) => notify(p));
    this.watcher.on('error', () => {
      /* permission problems: the periodic rescan still works */
    });
  }

  close(): void {
    clearTimeout(this.timer);
    void this.watcher?.close();
    this.watcher = undefined;
  }
}
