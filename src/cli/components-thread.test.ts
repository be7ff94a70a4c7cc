import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type ComponentsThread, superviseComponentsThread } from './components-thread.js';

/** A thread that ends when told to crash or stop. */
function fakeThread(log: string[], id: number): ComponentsThread & { crash(): void } {
  let end!: () => void;
  const done = new Promise<void>((resolve) => (end = resolve));
  return {
    done,
    crash: () => {
      log.push(`crash ${id}`);
      end();
    },
    async stop() {
      log.push(`stop ${id}`);
      end();
      await done;
    },
  };
}

test('a components thread that ends on its own is started again, with backoff; abort stops the running one', async () => {
  const log: string[] = [];
  const threads: ReturnType<typeof fakeThread>[] = [];
  const ac = new AbortController();
  const supervising = superviseComponentsThread(
    () => {
      const t = fakeThread(log, threads.length + 1);
      threads.push(t);
      log.push(`start ${threads.length}`);
      return t;
    },
    ac.signal,
    { initialMs: 5, maxMs: 20, log: (m) => log.push(m) },
  );
  const until = async (n: number): Promise<void> => {
    for (let i = 0; i < 200 && threads.length < n; i++) await new Promise((r) => setTimeout(r, 5));
  };
  threads[0]?.crash();
  await until(2);
  threads[1]?.crash();
  await until(3);
  ac.abort();
  await supervising;
  assert.deepEqual(log, [
    'start 1',
    'crash 1',
    'components thread ended unexpectedly; starting it again in 5 ms',
    'start 2',
    'crash 2',
    'components thread ended unexpectedly; starting it again in 10 ms',
    'start 3',
    'stop 3',
  ]);
});
