/**
 * A fixed-capacity ring of numbers: the page's memory stays bounded however long a run lasts (an
 * hour of 1-second samples is 3,600 slots, 28 KB per series). Missing values are NaN, which the
 * charts draw as gaps.
 */
export class RingBuffer {
  private readonly slots: Float64Array;
  private start = 0;
  private size = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new TypeError(`Expected a positive integer capacity, got ${String(capacity)}`);
    }
    this.slots = new Float64Array(capacity);
  }

  get length(): number {
    return this.size;
  }

  /** Appends a value, overwriting the oldest once full. */
  push(value: number): void {
    const end = (this.start + this.size) % this.capacity;
    this.slots[end] = value;
    if (this.size < this.capacity) this.size++;
    else this.start = (this.start + 1) % this.capacity;
  }

  /** The i-th value from the oldest (0) to the newest (length - 1); undefined outside. */
  at(index: number): number | undefined {
    const i = index < 0 ? this.size + index : index;
    if (!Number.isInteger(i) || i < 0 || i >= this.size) return undefined;
    return this.slots[(this.start + i) % this.capacity];
  }

  /** Oldest first. NaN (a gap) becomes null, the form the charts take. */
  toArray(): (number | null)[] {
    const out = new Array<number | null>(this.size);
    for (let i = 0; i < this.size; i++) {
      const v = this.slots[(this.start + i) % this.capacity]!;
      out[i] = Number.isNaN(v) ? null : v;
    }
    return out;
  }

  clear(): void {
    this.start = 0;
    this.size = 0;
  }
}
