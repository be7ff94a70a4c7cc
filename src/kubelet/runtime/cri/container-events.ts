/**
 * GetContainerEvents (the evented PLEG's stream) kept open until the signal aborts: a stream that
 * breaks (the runtime restarted) is opened again after a backoff that doubles from
 * `initialBackoffMs` to `maxBackoffMs` and starts over once an event arrives. A runtime that
 * answers UNIMPLEMENTED (containerd before 1.7) is not asked again: no event is ever delivered,
 * and the kubelet relists instead.
 */
import { type ContainerEventResponse, isRuntimeError } from '../interface.js';
import type { CriConnection } from './connection.js';
import { containerEventFromWire, type WireContainerEvent } from './convert.js';

export interface ContainerEventsOptions {
  initialBackoffMs?: number;
  maxBackoffMs?: number;
}

export function watchContainerEvents(
  conn: CriConnection,
  onEvent: (event: ContainerEventResponse) => void,
  signal: AbortSignal,
  options: ContainerEventsOptions = {},
): void {
  const initial = options.initialBackoffMs ?? 1000;
  const max = options.maxBackoffMs ?? 30_000;
  let backoff = initial;
  let cancel: (() => void) | undefined;
  let timer: NodeJS.Timeout | undefined;

  const open = () => {
    timer = undefined;
    if (signal.aborted) return;
    cancel = conn.stream(
      'RuntimeService',
      'GetContainerEvents',
      {},
      {
        onMessage(message) {
          backoff = initial;
          onEvent(containerEventFromWire(message as unknown as WireContainerEvent));
        },
        onEnd(err) {
          cancel = undefined;
          if (signal.aborted || isRuntimeError(err, 'Unimplemented')) return;
          timer = setTimeout(open, backoff);
          timer.unref();
          backoff = Math.min(backoff * 2, max);
        },
      },
    );
  };

  if (signal.aborted) return;
  signal.addEventListener(
    'abort',
    () => {
      cancel?.();
      if (timer) clearTimeout(timer);
    },
    { once: true },
  );
  open();
}
