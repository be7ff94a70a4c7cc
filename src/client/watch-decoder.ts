/**
 * Decodes a watch stream: one JSON WatchEvent per line, in text chunks that may split a line (or
 * a multi-byte character, which the caller's UTF-8 decoding keeps whole) anywhere.
 */
import { isPlainObject, type KubeObject } from '../machinery/object.js';
import type { WatchEvent, WatchEventType } from './interface.js';

const TYPES: ReadonlySet<string> = new Set<WatchEventType>(['ADDED', 'MODIFIED', 'DELETED', 'BOOKMARK', 'ERROR']);

export class WatchDecodeError extends Error {
  readonly code = 'WatchDecodeError';
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'WatchDecodeError';
  }
}

function decodeLine(line: string): WatchEvent {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (cause) {
    throw new WatchDecodeError(`watch stream: invalid JSON: ${line.slice(0, 200)}`, { cause });
  }
  if (!isPlainObject(value) || typeof value['type'] !== 'string' || !TYPES.has(value['type']) || !isPlainObject(value['object'])) {
    throw new WatchDecodeError(`watch stream: not a watch event: ${line.slice(0, 200)}`);
  }
  return { type: value['type'] as WatchEventType, object: value['object'] as KubeObject };
}

export class WatchDecoder {
  #buffer = '';

  /** Adds a chunk and returns every event it completed. */
  push(chunk: string): WatchEvent[] {
    this.#buffer += chunk;
    const events: WatchEvent[] = [];
    let start = 0;
    let nl = this.#buffer.indexOf('\n', start);
    while (nl >= 0) {
      const line = this.#buffer.slice(start, nl).trim();
      if (line) events.push(decodeLine(line));
      start = nl + 1;
      nl = this.#buffer.indexOf('\n', start);
    }
    this.#buffer = this.#buffer.slice(start);
    return events;
  }

  /** The stream ended: a last event without its newline is still delivered. */
  end(): WatchEvent[] {
    const rest = this.#buffer.trim();
    this.#buffer = '';
    return rest ? [decodeLine(rest)] : [];
  }
}
