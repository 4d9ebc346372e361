// Fixed-size history: the newest `capacity` values, oldest first when read. NaN marks a gap.
export class RingBuffer {
  private data: Float64Array;
  private start = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new Error(`ring buffer capacity must be a positive integer, not ${capacity}`);
    this.data = new Float64Array(capacity);
  }

  /** `times`: the value stands for that many intervals (a quiet instance's figures, carried forward). */
  push(value: number | undefined, times = 1): void {
    const v = value === undefined ? NaN : value;
    for (let k = Math.min(times, this.capacity); k > 0; k--) {
      if (this.count < this.capacity) {
        this.data[(this.start + this.count) % this.capacity] = v;
        this.count++;
      } else {
        this.data[this.start] = v;
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
    const out = new Array<number>(take);
    for (let i = 0; i < take; i++) out[i] = this.data[(this.start + this.count - take + i) % this.capacity]!;
    return out;
  }

  /** An independent copy (for a frozen display). */
  clone(): RingBuffer {
    const c = new RingBuffer(this.capacity);
    c.data.set(this.data);
    c.start = this.start;
    c.count = this.count;
    return c;
  }

  last(): number | undefined {
    return this.count === 0 ? undefined : this.data[(this.start + this.count - 1) % this.capacity];
  }
}
