// Fixed-size history: the newest `capacity` values, oldest first when read. NaN marks a gap.
// Memory is most of what a guest costs the TUI (a history per IRQ and softirq line: 24 an idle
// guest, 600 values each), so values are kept as 32-bit floats (7 significant digits, plenty for
// a graph or a threshold), and a history that has only ever held one value (most of an idle
// guest's lines: 0) keeps that value and a count, not an array (README, Performance).
export class RingBuffer {
  private data: Float32Array | undefined;
  private start = 0;
  private count = 0;
  /** While `data` is unset: the one value every entry holds. */
  private same = Number.NaN;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new Error(`ring buffer capacity must be a positive integer, not ${capacity}`);
  }

  /** `times`: the value stands for that many intervals (a quiet instance's figures, carried forward). */
  push(value: number | undefined, times = 1): void {
    const v = Math.fround(value === undefined ? Number.NaN : value);
    if (!this.data) {
      if (this.count === 0 || Object.is(v, this.same)) {
        this.same = v;
        this.count = Math.min(this.capacity, this.count + Math.max(0, times));
        return;
      }
      this.data = new Float32Array(this.capacity);
      this.data.fill(this.same, 0, this.count);
    }
    const data = this.data;
    for (let k = Math.min(times, this.capacity); k > 0; k--) {
      if (this.count < this.capacity) {
        data[(this.start + this.count) % this.capacity] = v;
        this.count++;
      } else {
        data[this.start] = v;
        this.start = (this.start + 1) % this.capacity;
      }
    }
  }

  get length(): number {
    return this.count;
  }

  /** The newest `n` values (all by default), oldest first. */
  values(n = this.count): number[] {
    const take = Math.min(n, this.count);
    const data = this.data;
    if (!data) return new Array<number>(take).fill(this.same);
    const out = new Array<number>(take);
    for (let i = 0; i < take; i++) out[i] = data[(this.start + this.count - take + i) % this.capacity]!;
    return out;
  }

  /** An independent copy (for a frozen display). */
  clone(): RingBuffer {
    const c = new RingBuffer(this.capacity);
    c.data = this.data?.slice();
    c.start = this.start;
    c.count = this.count;
    c.same = this.same;
    return c;
  }

  last(): number | undefined {
    if (this.count === 0) return undefined;
    return this.data ? this.data[(this.start + this.count - 1) % this.capacity] : this.same;
  }
}
