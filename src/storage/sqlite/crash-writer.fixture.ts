/**
 * Child process for the kill -9 test in sqlite.test.ts: creates keys in the SQLite file
 * given as argv[2] forever, printing "<revision> <key>" after each acknowledged write.
 */

import { openSqliteStorage } from './sqlite-storage.js';

const path = process.argv[2];
if (path === undefined) throw new Error('usage: crash-writer.fixture.ts <db file>');
const storage = await openSqliteStorage({ path });
for (let i = 0; ; i++) {
  const key = `/registry/configmaps/crash/cm-${i}`;
  const revision = await storage.create(key, JSON.stringify({ i }));
  process.stdout.write(`${revision} ${key}\n`);
}
