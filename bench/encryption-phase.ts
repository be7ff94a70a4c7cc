/**
 * The encryption phase: Secrets written and read through the storage the apiserver uses
 * (SQLite) with each EncryptionConfiguration provider — identity, aescbc, aesgcm, secretbox — in
 * this process, so the numbers are the providers' cost over storage's own. Bounded by a count
 * and a time per provider; prints writes and reads per second.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseEncryptionConfiguration } from '../src/apiserver/encryption/config.js';
import { TransformingStorage } from '../src/apiserver/encryption/transforming-storage.js';
import { openSqliteStorage } from '../src/storage/sqlite/sqlite-storage.js';
import type { PhaseOutcome } from './api-phase.js';
import { fixed, rate, renderTable } from './report.js';

export interface EncryptionPhaseOptions {
  secrets: number;
  maxMsPerProvider: number;
  log: (line: string) => void;
}

const KEY = Buffer.alloc(32, 7).toString('base64');
const PROVIDERS = ['identity', 'aescbc', 'aesgcm', 'secretbox'] as const;

interface ProviderResult {
  provider: string;
  writes: number;
  writesPerSec: number;
  readsPerSec: number;
}

function configFor(provider: (typeof PROVIDERS)[number]): string {
  const p = provider === 'identity' ? '{ identity: {} }' : `{ ${provider}: { keys: [{ name: k1, secret: ${KEY} }] } }`;
  return `apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources:\n  - resources: [secrets]\n    providers: [${p}]\n`;
}

/** A Secret of about 1 KiB, as stored. */
function secretJson(i: number): string {
  const data = { 'tls.key': Buffer.alloc(600, i % 251).toString('base64'), password: Buffer.from(`p-${i}`).toString('base64') };
  return JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: `s-${i}`, namespace: 'default' }, type: 'Opaque', data });
}

async function measure(provider: (typeof PROVIDERS)[number], options: EncryptionPhaseOptions): Promise<ProviderResult> {
  const dir = await mkdtemp(join(tmpdir(), 'k8ts-bench-encryption-'));
  const raw = await openSqliteStorage({ path: join(dir, 'state.db') });
  try {
    const transformer = parseEncryptionConfiguration(configFor(provider))('', 'secrets');
    if (!transformer) throw new Error('no transformer for secrets');
    const storage = new TransformingStorage({ storage: raw, transformer });
    const key = (i: number): string => `/registry/secrets/default/s-${i}`;
    let writes = 0;
    const start = performance.now();
    while (writes < options.secrets && performance.now() - start < options.maxMsPerProvider) {
      await storage.create(key(writes), secretJson(writes));
      writes++;
    }
    const writeMs = performance.now() - start;
    const readStart = performance.now();
    for (let i = 0; i < writes; i++) await storage.get(key(i));
    const readMs = performance.now() - readStart;
    return { provider, writes, writesPerSec: (writes / writeMs) * 1000, readsPerSec: (writes / readMs) * 1000 };
  } finally {
    await raw.close();
    await rm(dir, { recursive: true, force: true });
  }
}

export async function runEncryptionPhase(options: EncryptionPhaseOptions): Promise<PhaseOutcome> {
  const results: ProviderResult[] = [];
  let error: unknown;
  try {
    // warm-up: the first provider measured would otherwise pay for SQLite's and the JIT's start
    await measure('identity', { ...options, secrets: Math.min(300, options.secrets) });
    for (const provider of PROVIDERS) {
      options.log(`encryption: ${provider}, ≤ ${options.secrets} Secrets`);
      results.push(await measure(provider, options));
    }
  } catch (err) {
    error = err;
    options.log(`encryption failed: ${String(err)}`);
  }
  const base = results[0];
  return {
    failed: error !== undefined,
    print: () => {
      const columns = [
        { title: 'provider' },
        { title: 'secrets', right: true },
        { title: 'writes/s', right: true },
        { title: 'reads/s', right: true },
        { title: 'writes vs identity', right: true },
        { title: 'reads vs identity', right: true },
      ];
      const rows = results.map((r) => [
        r.provider,
        String(r.writes),
        rate(r.writesPerSec),
        rate(r.readsPerSec),
        base ? `${fixed((r.writesPerSec / base.writesPerSec) * 100, 0)}%` : 'n/a',
        base ? `${fixed((r.readsPerSec / base.readsPerSec) * 100, 0)}%` : 'n/a',
      ]);
      console.log(renderTable(columns, rows));
    },
  };
}
