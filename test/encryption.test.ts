/**
 * Encryption at rest with real kubectl against `k8ts server --disable-agent
 * --encryption-provider-config`: a Secret's value is not in the SQLite file, is read back by
 * kubectl, survives a restart; rotation to a new key by rewriting every Secret; an identity-first
 * configuration still reads encrypted values; a value whose key is gone fails with upstream's
 * error. Nothing secret — values, keys, tokens — reaches the server's log or its error bodies.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { makeDataDir, startServer, type TestServer } from './support/server.js';
import { kubectl, type Kubectl, ok } from './support/kubectl.js';
import { ApiClient } from './support/http.js';

const VALUE = 'k8ts-plaintext-password-7f3a';
const VALUE_B64 = Buffer.from(VALUE).toString('base64');
const KEY1 = Buffer.alloc(32, 1).toString('base64');
const KEY2 = Buffer.alloc(32, 2).toString('base64');

let dataDir: string;
let work: string;
let server: TestServer | undefined;
let k: Kubectl;
/** What the servers stopped so far wrote to stderr: no Secret, key or token may be in it. */
let logs = '';

function config(providers: string): string {
  return `apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
  - resources: [secrets]
    providers:
${providers}
`;
}
const provider = (type: string, name: string, secret: string): string =>
  `      - ${type}:\n          keys:\n            - name: ${name}\n              secret: ${secret}\n`;
const IDENTITY = '      - identity: {}\n';

/** (Re)starts the server on the data dir with this EncryptionConfiguration. */
async function start(configText: string): Promise<void> {
  await server?.stop();
  logs += server?.stderr() ?? '';
  const file = join(work, 'encryption.yaml');
  await writeFile(file, configText);
  server = await startServer({ dataDir, args: ['--disable-agent', '--encryption-provider-config', file] });
  k = kubectl('1.33', server.kubeconfig, join(work, 'cache'));
}

/** The newest stored value of a key, read from the SQLite file itself. */
function storedValue(key: string): string {
  const db = new Database(join(dataDir, 'db', 'state.db'), { readonly: true, fileMustExist: true });
  try {
    const row = db.prepare('SELECT value FROM log WHERE name = ? ORDER BY id DESC LIMIT 1').get(key) as { value: string } | undefined;
    assert.ok(row, `no row for ${key}`);
    return row.value;
  } finally {
    db.close();
  }
}

/** The database's files (the main file and its write-ahead log) as bytes. */
async function databaseBytes(): Promise<Buffer> {
  const base = join(dataDir, 'db', 'state.db');
  const files = [base, `${base}-wal`].filter((f) => existsSync(f));
  return Buffer.concat(await Promise.all(files.map((f) => readFile(f))));
}

before(async () => {
  dataDir = await makeDataDir();
  work = await mkdtemp(join(tmpdir(), 'k8ts-encryption-'));
  await start(config(provider('aescbc', 'key1', KEY1) + IDENTITY));
});

after(async () => {
  await server?.stop();
  await rm(dataDir, { recursive: true, force: true });
  if (work) await rm(work, { recursive: true, force: true });
});

describe('encryption at rest', { timeout: 60_000 }, () => {
  it('stores a Secret encrypted with aescbc and kubectl reads it back', async () => {
    const secret = (name: string, value: string) => ({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name },
      data: { password: Buffer.from(value).toString('base64') },
    });
    const objects = [
      secret('db-pass', VALUE),
      secret('left-behind', 'y'),
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'plain' }, data: { note: VALUE } },
    ];
    ok(await k(['create', '-f', '-'], { input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }) }), 'create');
    assert.match(storedValue('/registry/secrets/default/db-pass'), /^k8s:enc:aescbc:v1:key1:/);
    assert.match(storedValue('/registry/configmaps/default/plain'), /^\{/, 'a resource the configuration does not name stays plain');
    const bytes = await databaseBytes();
    assert.equal(bytes.includes(VALUE_B64), false, "the Secret's data is in the database file");
    assert.equal(bytes.includes(Buffer.from('"db-pass"')), false, "the Secret's metadata is in the database file");
    assert.equal(ok(await k(['get', 'secret', 'db-pass', '-o', 'jsonpath={.data.password}']), 'get secret'), VALUE_B64);
  });

  it('reads the Secret after a restart and rotates to a new key by rewriting the Secrets', async () => {
    await start(config(provider('aesgcm', 'key2', KEY2) + provider('aescbc', 'key1', KEY1) + IDENTITY));
    const all = JSON.parse(ok(await k(['get', 'secrets', '-A', '-o', 'json']), 'get secrets -A')) as {
      items: { metadata: { name: string }; data?: Record<string, string> }[];
    };
    // written with key1 before the restart, still listed: readable
    assert.equal(all.items.find((s) => s.metadata.name === 'db-pass')?.data?.password, VALUE_B64);
    // one Secret is left with the old key, for the last check
    all.items = all.items.filter((s) => s.metadata.name !== 'left-behind');
    ok(await k(['replace', '-f', '-'], { input: JSON.stringify(all) }), 'replace');
    assert.match(storedValue('/registry/secrets/default/db-pass'), /^k8s:enc:aesgcm:v1:key2:/);
    assert.match(storedValue('/registry/secrets/default/left-behind'), /^k8s:enc:aescbc:v1:key1:/);
  });

  it('reads encrypted values with identity first and writes new ones plain; a value whose key is gone fails', async () => {
    await start(config(IDENTITY + provider('aesgcm', 'key2', KEY2)));
    assert.equal(ok(await k(['get', 'secret', 'db-pass', '-o', 'jsonpath={.data.password}']), 'get secret'), VALUE_B64);
    ok(await k(['create', 'secret', 'generic', 'plain-pass', '--from-literal=password=x']), 'create secret');
    assert.match(storedValue('/registry/secrets/default/plain-pass'), /^\{/);
    const r = await k(['get', 'secret', 'left-behind']);
    assert.notEqual(r.code, 0);
    assert.match(
      r.stderr,
      /Internal error occurred: unable to transform key "\/registry\/secrets\/default\/left-behind": no matching prefix found/,
    );
  });

  it("never writes a Secret's value, an encryption key or a token to its log or into an error", async () => {
    ok(await k(['create', 'serviceaccount', 'leak-check']), 'create serviceaccount');
    const token = ok(await k(['create', 'token', 'leak-check']), 'create token').trim();
    // a refused token and a refused Secret must not be echoed back
    const anonymous = new ApiClient((server as TestServer).kubeconfig, { anonymous: true });
    const refused = await anonymous.request('GET', '/api/v1/namespaces', undefined, { authorization: `Bearer ${token}x` });
    assert.equal(refused.status, 401);
    assert.equal(refused.body.includes(token), false, 'the 401 quotes the token');
    anonymous.close();
    const bad = await k(['create', 'secret', 'generic', 'bad key', `--from-literal=password=${VALUE}`]);
    assert.notEqual(bad.code, 0);
    assert.equal(bad.stderr.includes(VALUE), false, `the refusal quotes the value: ${bad.stderr}`);
    const invalid = await k(['create', '-f', '-'], {
      input: JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'bad' }, data: { 'a/b': VALUE_B64 } }),
    });
    assert.notEqual(invalid.code, 0);
    assert.equal(invalid.stderr.includes(VALUE_B64), false, `the refusal quotes the value: ${invalid.stderr}`);
    await server?.stop();
    const all = logs + (server?.stderr() ?? '');
    server = undefined;
    for (const [what, text] of Object.entries({ VALUE, VALUE_B64, KEY1, KEY2, token })) {
      assert.equal(all.includes(text), false, `the server's log holds ${what}`);
    }
  });
});
