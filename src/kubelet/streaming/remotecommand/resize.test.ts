import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encodeTerminalSize, TerminalSizeQueue } from './resize.js';

describe('TerminalSizeQueue', () => {
  it('decodes sizes however the bytes are cut, newline-separated or not, and skips garbage', async () => {
    const q = new TerminalSizeQueue();
    const wire = `${encodeTerminalSize({ Width: 80, Height: 24 })}{"Width":100,"Height":30}\n\nnot json}${encodeTerminalSize({ Width: 1, Height: 2 })}`;
    for (const ch of wire) q.push(ch);
    q.end();
    const got = [];
    for await (const s of q.sizes) got.push(s);
    assert.deepEqual(got, [
      { Width: 80, Height: 24 },
      { Width: 100, Height: 30 },
      { Width: 1, Height: 2 },
    ]);
  });
});
