/** A range allocator (upstream's allocator.Interface over a bitmap). */
export interface Allocator<T> {
  /** Reserves a specific value; throws AllocationError when taken or outside the range. */
  allocate(value: T): void;
  /** Reserves any free value; throws AllocationError Full when none is left. */
  allocateNext(): T;
  release(value: T): void;
  has(value: T): boolean;
  /** Free values left. */
  free(): number;
}

export type AllocationErrorCode = 'Allocated' | 'NotInRange' | 'Full';

export class AllocationError extends Error {
  readonly code: AllocationErrorCode;
  constructor(code: AllocationErrorCode, message: string) {
    super(message);
    this.name = 'AllocationError';
    this.code = code;
  }
}
