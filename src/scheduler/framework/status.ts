/**
 * The outcome of a plugin at an extension point, as a value (upstream framework.Status):
 * Success, Error, Unschedulable (another node or later state may help), UnschedulableAndUnresolvable
 * (preemption cannot help on this node), Wait (Permit), Skip (this plugin has nothing to do).
 */
export type StatusCode = 'Success' | 'Error' | 'Unschedulable' | 'UnschedulableAndUnresolvable' | 'Wait' | 'Skip' | 'Pending';

export class Status {
  readonly code: StatusCode;
  readonly reasons: readonly string[];
  /** The plugin that produced a failure; set by the framework runtime. */
  plugin: string;
  readonly error: Error | undefined;

  constructor(code: StatusCode, reasons: readonly string[] = [], error?: Error) {
    this.code = code;
    this.reasons = reasons;
    this.plugin = '';
    this.error = error;
  }

  isSuccess(): boolean {
    return this.code === 'Success';
  }

  isSkip(): boolean {
    return this.code === 'Skip';
  }

  /** Unschedulable or UnschedulableAndUnresolvable. */
  isRejected(): boolean {
    return this.code === 'Unschedulable' || this.code === 'UnschedulableAndUnresolvable' || this.code === 'Pending';
  }

  /** The reasons joined as upstream's Status.Message(). */
  message(): string {
    return this.reasons.join(', ');
  }

  withPlugin(plugin: string): Status {
    this.plugin = plugin;
    return this;
  }
}

const SUCCESS = new Status('Success');
const SKIP = new Status('Skip');

/** The shared Success status (never mutate it). */
export function success(): Status {
  return SUCCESS;
}

export function skip(): Status {
  return SKIP;
}

export function unschedulable(...reasons: string[]): Status {
  return new Status('Unschedulable', reasons);
}

export function unresolvable(...reasons: string[]): Status {
  return new Status('UnschedulableAndUnresolvable', reasons);
}

export function asStatus(err: unknown): Status {
  const e = err instanceof Error ? err : new Error(String(err));
  return new Status('Error', [e.message], e);
}

/** A nullable status is Success, as upstream treats a nil *Status. */
export function isSuccess(s: Status | undefined): boolean {
  return s === undefined || s.code === 'Success';
}
