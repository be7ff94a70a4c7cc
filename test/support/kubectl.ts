/** Runs the real kubectl binaries (1.27 … 1.33) against a test server. */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readlinkSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { execFileSync } from 'node:child_process';

export const KUBECTL_VERSIONS = ['1.27', '1.28', '1.29', '1.30', '1.31', '1.32', '1.33'] as const;
export type KubectlVersion = (typeof KUBECTL_VERSIONS)[number];

function kubectlDir(): string {
  const onPath = execFileSync('sh', ['-c', 'command -v kubectl'], { encoding: 'utf8' }).trim();
  let real = onPath;
  try {
    real = realpathSync(onPath);
  } catch {
    real = readlinkSync(onPath);
  }
  return dirname(real);
}

/** The path of one kubectl version; throws (fails the test) when it is missing. */
export function kubectlBinary(version: KubectlVersion): string {
  const p = join(kubectlDir(), `kubectl.${version}`);
  if (!existsSync(p)) throw new Error(`kubectl ${version} is missing at ${p}`);
  return p;
}

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface Kubectl {
  (args: string[], options?: { input?: string; timeoutMs?: number }): Promise<KubectlResult>;
  version: KubectlVersion;
}

/** A kubectl bound to a kubeconfig and a private discovery cache. */
export function kubectl(version: KubectlVersion, kubeconfig: string, cacheDir: string): Kubectl {
  const bin = kubectlBinary(version);
  const run = (args: string[], options: { input?: string; timeoutMs?: number } = {}): Promise<KubectlResult> =>
    new Promise((resolve) => {
      const child = execFile(
        bin,
        ['--kubeconfig', kubeconfig, '--cache-dir', cacheDir, ...args],
        { timeout: options.timeoutMs ?? 60_000, maxBuffer: 32 * 1024 * 1024, env: { ...process.env, KUBECONFIG: kubeconfig } },
        (error, stdout, stderr) => {
          const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
          resolve({ code, stdout, stderr });
        },
      );
      if (options.input !== undefined) child.stdin?.end(options.input);
      else child.stdin?.end();
    });
  return Object.assign(run, { version });
}

/** The output of a kubectl run that must succeed; fails the test with everything it printed otherwise. */
export function ok(r: KubectlResult, what: string): string {
  assert.equal(r.code, 0, `${what} failed (${r.code}):\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  return r.stdout;
}
