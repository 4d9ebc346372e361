// Fixed-size history: the newest `capacity` values, oldest first when read. NaN marks a gap.
// Memory is most of what a guest costs the TUI (a history per IRQ and softirq line: 24 an idle
// guest, 600 values each), so values are kept as 32-bit floats (7 significant digits, plenty for
// a graph or a threshold), and a history that has only ever held one value (most of an idle
// guest's lines: 0) keeps that value and a count, not an array (README, Performance). A line's
// history (an IRQ's rate, a disk's bytes) feeds only a sparkline and a storm's median: it keeps
// 16-bit floats (bfloat16: 3 significant digits), half of what 500 idle guests' lines took.
export type Precision = 'float32' | 'bfloat16';

export class RingBuffer {
  private data: Float32Array | Uint16Array | undefined;
  private start = 0;
  private count = 0;
  /** While `data` is unset: the one value every entry holds. */
  private same = Number.NaN;

  constructor(
    readonly capacity: number,
    readonly precision: Precision = 'float32',
  ) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new Error(`ring buffer capacity must be a positive integer, not ${capacity}`);
  }

  /** `times`: the value stands for that many intervals (a quiet instance's figures, carried forward). */
  push(value: number | undefined, times = 1): void {
    const x = value === undefined ? Number.NaN : value;
    const v = this.precision === 'bfloat16' ? roundBf16(x) : Math.fround(x);
    if (!this.data) {
      if (this.count === 0 || Object.is(v, this.same)) {
        this.same = v;
        this.count = Math.min(this.capacity, this.count + Math.max(0, times));
        return;
      }
      this.data = this.precision === 'bfloat16' ? new Uint16Array(this.capacity) : new Float32Array(this.capacity);
      this.data.fill(this.stored(this.same), 0, this.count);
    }
    const data = this.data;
    const s = this.stored(v);
    for (let k = Math.min(times, this.capacity); k > 0; k--) {
      if (this.count < this.capacity) {
        data[(this.start + this.count) % this.capacity] = s;
        this.count++;
      } else {
        data[this.start] = s;
        this.start = (this.start + 1) % this.capacity;
      }
    }
  }

  /** What the array holds for a (rounded) value. */
  private stored(v: number): number {
    return this.precision === 'bfloat16' ? bf16Bits(v) : v;
  }

  private at(i: number): number {
    const x = this.data![i]!;
    return this.precision === 'bfloat16' ? fromBf16(x) : x;
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
    for (let i = 0; i < take; i++) out[i] = this.at((this.start + this.count - take + i) % this.capacity);
    return out;
  }

  /** An independent copy (for a frozen display). */
  clone(): RingBuffer {
    const c = new RingBuffer(this.capacity, this.precision);
    c.data = this.data?.slice();
    c.start = this.start;
    c.count = this.count;
    c.same = this.same;
    return c;
  }

  last(): number | undefined {
    if (this.count === 0) return undefined;
    return this.data ? this.at((this.start + this.count - 1) % this.capacity) : this.same;
  }
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** The upper half of a value's 32-bit float, rounded to nearest even (NaN stays NaN). */
function bf16Bits(v: number): number {
  f32[0] = v;
  const b = u32[0]!;
  if (Number.isNaN(v)) return 0x7fc0;
  return ((b + 0x7fff + ((b >>> 16) & 1)) >>> 16) & 0xffff;
}

function fromBf16(bits: number): number {
  u32[0] = bits << 16;
  return f32[0]!;
}

/** A value as a bfloat16 history keeps it. */
export function roundBf16(v: number): number {
  return fromBf16(bf16Bits(v));
}
