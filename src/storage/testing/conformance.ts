/**
 * The storage conformance suite (DESIGN.md rule 3): every Storage engine runs it, so the
 * engines are interchangeable. Call it at the top level of a test file:
 *
 *   runStorageConformance('sqlite', () => openSqliteStorage({ path: freshFile() }));
 *
 * `open` must return a fresh store with no keys each time; its revision may start above 0.
 * Engines may deliver watch events asynchronously; the suite waits for them.
 */

import { describe } from 'node:test';
import { registerCompactCases } from './compact-cases.js';
import { registerReadWriteCases } from './read-write-cases.js';
import { registerListCases } from './list-cases.js';
import { registerWatchCases } from './watch-cases.js';
import type { OpenStorage } from './helpers.js';

export type { OpenStorage } from './helpers.js';

/** Registers node:test tests that check `open`'s stores against the Storage contract. */
export function runStorageConformance(name: string, open: OpenStorage): void {
  describe(`storage conformance: ${name}`, () => {
    describe('reads and writes', () => registerReadWriteCases(open));
    describe('list and count', () => registerListCases(open));
    describe('watch', () => registerWatchCases(open));
    describe('compaction', () => registerCompactCases(open));
  });
}
