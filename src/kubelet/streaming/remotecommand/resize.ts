/**
 * The resize stream: terminal sizes as JSON objects, one after another (Go's json.Encoder writes
 * each followed by a newline). Decoded into an object-mode Readable of TerminalSize.
 */
import { Readable } from 'node:stream';
import type { TerminalSize } from '../../runtime/interface.js';

/** A Readable of TerminalSize fed with `push(bytes)`; `end()` closes it. */
export class TerminalSizeQueue {
  readonly sizes = new Readable({ objectMode: true, read: () => undefined });
  #pending = '';

  push(bytes: Buffer | string): void {
    this.#pending += bytes.toString();
    let nl = this.#pending.search(/[\n}]/);
    while (nl >= 0) {
      const cut = nl + 1;
      const text = this.#pending.slice(0, cut).trim();
      this.#pending = this.#pending.slice(cut);
      if (text) this.#decode(text);
      nl = this.#pending.search(/[\n}]/);
    }
  }

  end(): void {
    this.sizes.push(null);
  }

  #decode(text: string): void {
    try {
      const v = JSON.parse(text) as Partial<TerminalSize>;
      if (typeof v.Width === 'number' && typeof v.Height === 'number') this.sizes.push({ Width: v.Width, Height: v.Height });
    } catch {
      // upstream logs and skips a malformed size
    }
  }
}

/** The sizes a client sends on its resize stream `resize`, decoded as they arrive. */
export function terminalSizes(resize: Readable): Readable {
  const queue = new TerminalSizeQueue();
  resize.on('data', (chunk: Buffer) => queue.push(chunk));
  resize.on('end', () => queue.end());
  return queue.sizes;
}

/** The bytes of one size on a resize stream. */
export function encodeTerminalSize(size: TerminalSize): string {
  return `${JSON.stringify({ Width: size.Width, Height: size.Height })}\n`;
}
