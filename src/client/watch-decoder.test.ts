import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { WatchDecodeError, WatchDecoder } from './watch-decoder.js';

const ev = (type: string, name: string, extra = ''): string =>
  JSON.stringify({ type, object: { kind: 'ConfigMap', metadata: { name, resourceVersion: '1' }, data: { v: extra } } });

const STREAM = `${ev('ADDED', 'a')}\n${ev('MODIFIED', 'b', 'héllo ✓')}\n\n${ev('BOOKMARK', 'c')}\n`;

describe('WatchDecoder', () => {
  const splits: [string, number[]][] = [
    ['one chunk', []],
    ['every byte', Array.from({ length: STREAM.length - 1 }, (_, i) => i + 1)],
    ['inside the first object', [10]],
    ['right before a newline', [ev('ADDED', 'a').length]],
    ['right after a newline', [ev('ADDED', 'a').length + 1]],
    ['inside a multi-byte text', [STREAM.indexOf('é') + 1, STREAM.indexOf('✓') + 1]],
  ];
  for (const [name, cuts] of splits) {
    it(`decodes events split ${name}`, () => {
      const d = new WatchDecoder();
      const got: string[] = [];
      let from = 0;
      for (const cut of [...cuts, STREAM.length]) {
        for (const e of d.push(STREAM.slice(from, cut)))
          got.push(`${e.type}:${e.object.metadata.name}:${String((e.object['data'] as { v: string }).v)}`);
        from = cut;
      }
      for (const e of d.end()) got.push(`${e.type}:${e.object.metadata.name}`);
      assert.deepEqual(got, ['ADDED:a:', 'MODIFIED:b:héllo ✓', 'BOOKMARK:c:']);
    });
  }

  it('delivers a last event without its newline at the end', () => {
    const d = new WatchDecoder();
    assert.deepEqual(d.push(ev('DELETED', 'x')), []);
    assert.equal(d.end()[0]?.type, 'DELETED');
  });

  const bad: [string, string][] = [
    ['invalid JSON', '{"type":"ADDED",\n'],
    ['an unknown type', '{"type":"CHANGED","object":{"metadata":{}}}\n'],
    ['no object', '{"type":"ADDED"}\n'],
  ];
  for (const [name, text] of bad) {
    it(`rejects ${name}`, () => {
      assert.throws(() => new WatchDecoder().push(text), WatchDecodeError);
    });
  }
});
