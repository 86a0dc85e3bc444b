/**
 * Bounded max-heap keeping the k smallest (key, slot) pairs, on typed arrays. Equal keys are
 * ordered by a caller-supplied tie-break (the point ids) so results are deterministic.
 */
export class TopK {
  readonly keys: Float64Array;
  readonly slots: Int32Array;
  size = 0;

  constructor(
    readonly capacity: number,
    private readonly tieAfter: (slotA: number, slotB: number) => boolean,
  ) {
    this.keys = new Float64Array(capacity);
    this.slots = new Int32Array(capacity);
  }

  /** Largest key held, or Infinity while the heap is not full. */
  bound(): number {
    return this.size < this.capacity ? Infinity : this.keys[0];
  }

  /** Empties the heap. */
  clear(): void {
    this.size = 0;
  }

  /** Offers a candidate; keeps it if it is among the k smallest so far. */
  offer(key: number, slot: number): void {
    if (this.size < this.capacity) {
      this.siftUp(this.size++, key, slot);
    } else if (this.after(this.keys[0], this.slots[0], key, slot)) {
      this.siftDown(0, key, slot);
    }
  }

  /** Slots from smallest to largest key; empties the heap. */
  drainAscending(): Int32Array {
    const out = new Int32Array(this.size);
    for (let i = this.size - 1; i >= 0; i--) {
      out[i] = this.slots[0];
      const lastKey = this.keys[i];
      const lastSlot = this.slots[i];
      this.size = i;
      if (i > 0) this.siftDown(0, lastKey, lastSlot);
    }
    return out;
  }

  /** Whether (keyA, slotA) ranks after (keyB, slotB). */
  private after(keyA: number, slotA: number, keyB: number, slotB: number): boolean {
    return keyA > keyB || (keyA === keyB && this.tieAfter(slotA, slotB));
  }

  private siftUp(index: number, key: number, slot: number): void {
    let i = index;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.after(key, slot, this.keys[parent], this.slots[parent])) break;
      this.keys[i] = this.keys[parent];
      this.slots[i] = this.slots[parent];
      i = parent;
    }
    this.keys[i] = key;
    this.slots[i] = slot;
  }

  private siftDown(index: number, key: number, slot: number): void {
    let i = index;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= this.size) break;
      const right = left + 1;
      let child = left;
      if (right < this.size && this.after(this.keys[right], this.slots[right], this.keys[left], this.slots[left])) {
        child = right;
      }
      if (!this.after(this.keys[child], this.slots[child], key, slot)) break;
      this.keys[i] = this.keys[child];
      this.slots[i] = this.slots[child];
      i = child;
    }
    this.keys[i] = key;
    this.slots[i] = slot;
  }
}
