/**
 * A bitmap over an integer range with a random-start next-free scan, like upstream's
 * allocationBitmap. Both the ClusterIP and the NodePort allocators are this over their range.
 */
import { randomInt } from 'node:crypto';
import { AllocationError, type Allocator } from './interface.js';

export class RangeAllocator implements Allocator<number> {
  readonly #first: number;
  readonly #size: number;
  readonly #used: Uint8Array;
  #count = 0;
  readonly #describe: string;

  /** Values first .. first+size-1. */
  constructor(first: number, size: number, describe: string) {
    this.#first = first;
    this.#size = size;
    this.#used = new Uint8Array(size);
    this.#describe = describe;
  }

  #index(value: number): number {
    const i = value - this.#first;
    if (!Number.isInteger(i) || i < 0 || i >= this.#size)
      throw new AllocationError('NotInRange', `provided ${value} is not in the valid range. The range of valid ${this.#describe}`);
    return i;
  }

  allocate(value: number): void {
    const i = this.#index(value);
    if (this.#used[i]) throw new AllocationError('Allocated', 'provided value is already allocated');
    this.#used[i] = 1;
    this.#count++;
  }

  allocateNext(): number {
    if (this.#count >= this.#size) throw new AllocationError('Full', 'range is full');
    const start = randomInt(this.#size);
    for (let k = 0; k < this.#size; k++) {
      const i = (start + k) % this.#size;
      if (!this.#used[i]) {
        this.#used[i] = 1;
        this.#count++;
        return this.#first + i;
      }
    }
    throw new AllocationError('Full', 'range is full');
  }

  release(value: number): void {
    const i = value - this.#first;
    if (i < 0 || i >= this.#size || !this.#used[i]) return;
    this.#used[i] = 0;
    this.#count--;
  }

  has(value: number): boolean {
    const i = value - this.#first;
    return i >= 0 && i < this.#size && this.#used[i] === 1;
  }

  free(): number {
    return this.#size - this.#count;
  }
}
