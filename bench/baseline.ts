/** Starts and stops the baseline echo server (baseline-server.ts) as a child process. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ensurePki } from '../src/pki/layout.js';
import { currentCredentials, ensureAdminKubeconfig, parseKubeconfig } from '../src/pki/kubeconfig.js';
import type { TlsCredentials } from './https-client.js';
import { stopChild } from './processes.js';

export interface BaselineServer {
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

export interface BaselineTls {
  keyFile: string;
  certFile: string;
  caFile: string;
}

export async function startBaseline(repo: string, tls: BaselineTls): Promise<BaselineServer> {
  const script = join(repo, 'bench', 'baseline-server.ts');
  const child = spawn(process.execPath, ['--import', 'tsx', script, tls.keyFile, tls.certFile, tls.caFile], {
    cwd: repo,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`baseline server not ready in 20s: ${err}`)), 20_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /baseline ready: (\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`baseline server exited with ${code}: ${err}`));
    });
  });
  return { url: `https://127.0.0.1:${port}`, process: child, stop: () => stopChild(child) };
}

export interface BaselinePki {
  tls: BaselineTls;
  /** The admin client credentials that the benchmark client presents. */
  client: TlsCredentials;
}

/**
 * The TLS files for the baseline: those of a k8ts data dir (its apiserver key and certificate,
 * so the key type is the server's own), created there with the k8ts PKI code when missing.
 */
export async function baselinePki(dataDir: string): Promise<BaselinePki> {
  const pki = await ensurePki({ dir: dataDir, bindAddress: '127.0.0.1', serviceIP: '10.96.0.1', clusterDomain: 'cluster.local' });
  const kubeconfig = join(dataDir, 'admin.conf');
  if (!existsSync(kubeconfig)) await ensureAdminKubeconfig(dataDir, 'https://127.0.0.1:6443', pki);
  const creds = currentCredentials(parseKubeconfig(await readFile(kubeconfig, 'utf8')));
  return {
    tls: { keyFile: pki.apiServerKey, certFile: pki.apiServerCert, caFile: pki.caCert },
    client: { caPem: creds.caPem, certPem: creds.certPem, keyPem: creds.keyPem },
  };
}
