// How many guests are asked at once. Asking 500 guests together (umltop's start, each guest 7
// files) woke them all on a 2-core host: 215 missed the 1 s deadline and were called stuck. The
// gate lets a few dozen in at a time; one that has not finished within `patienceMs` gives its
// place up and goes on outside, so a hung guest still delays only itself.

export interface AskGateOptions {
  /** Guests asked at once. */
  slots: number;
  /** A guest keeps its place this long at most (ms). */
  patienceMs: number;
}

export class AskGate {
  private free: number;
  private readonly waiting: Array<() => void> = [];

  constructor(readonly o: AskGateOptions) {
    if (!Number.isInteger(o.slots) || o.slots < 1)
      throw new Error(`ask gate slots must be a positive integer, not ${o.slots}`);
    this.free = o.slots;
  }

  /** Guests waiting for a place. */
  get queued(): number {
    return this.waiting.length;
  }

  /** Guests holding a place. */
  get inside(): number {
    return this.o.slots - this.free;
  }

  /** Runs `ask` once a place is free (first come, first served). */
  async run<T>(ask: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((admit) => this.waiting.push(admit));
    let held = true;
    const release = () => {
      if (!held) return;
      held = false;
      clearTimeout(timer);
      const next = this.waiting.shift();
      if (next)
        next(); // the place passes on
      else this.free++;
    };
    const timer = setTimeout(release, this.o.patienceMs);
    try {
      return await ask();
    } finally {
      release();
    }
  }
}
