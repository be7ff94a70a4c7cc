/**
 * Starts a real `k8ts server` process for end-to-end tests: a temp data dir, port 0, waits for
 * the ready line, and stops it by PID.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { once } from 'node:events';

/** The repository: the first directory up from this module with a package.json (tests also run compiled, from dist/). */
function findRepo(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

export const REPO = findRepo(import.meta.dirname);
const ENTRY = join(REPO, 'bin', 'k8ts.js');

export interface TestServer {
  url: string;
  kubeconfig: string;
  dataDir: string;
  process: ChildProcess;
  /** Everything the server wrote to stderr so far. */
  stderr(): string;
  /** SIGTERM and wait for exit. */
  stop(): Promise<void>;
  /** SIGKILL and wait for exit. */
  kill(): Promise<void>;
  /** Removes the data dir (after stop). */
  cleanup(): Promise<void>;
}

export async function makeDataDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'k8ts-e2e-'));
}

/**
 * A test's server runs a node only when the test asks for one (`--runtime …`): as root with
 * containerd installed the default would make this machine a node, with its bridge and iptables
 * rules, in every test. A node's kubelet server takes a free port (tests run side by side).
 */
export function controlPlaneOnly(args: readonly string[]): string[] {
  if (args.includes('--runtime')) return args.includes('--kubelet-port') ? [...args] : [...args, '--kubelet-port', '0'];
  return args.includes('--disable-agent') ? [...args] : [...args, '--disable-agent'];
}

export interface StartServerOptions {
  dataDir?: string;
  args?: string[];
  port?: number;
  /** Wraps the server's command line, e.g. NetnsHost.command to run it in a network namespace. */
  wrap?: (argv: string[]) => string[];
}

export async function startServer(options: StartServerOptions = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? (await makeDataDir());
  const argv = [
    process.execPath,
    ENTRY,
    'server',
    '--data-dir',
    dataDir,
    '--secure-port',
    String(options.port ?? 0),
    ...controlPlaneOnly(options.args ?? []),
  ];
  const [file, ...rest] = options.wrap ? options.wrap(argv) : argv;
  const child = spawn(file as string, rest, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const starting = new Promise<{ url: string; kubeconfig: string }>((resolveReady, reject) => {
    const timer = setTimeout(() => reject(new Error(`k8ts server did not get ready in 30s; stderr: ${err}`)), 30_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /k8ts ready: (\S+)\s+export KUBECONFIG=(\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolveReady({ url: m[1] as string, kubeconfig: m[2] as string });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`k8ts server exited with ${code}; stderr: ${err}`));
    });
  });
  let ready: { url: string; kubeconfig: string };
  try {
    ready = await starting;
  } catch (e) {
    // a server that never got ready leaves neither a process nor a data dir we made behind
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    if (!options.dataDir) await rm(dataDir, { recursive: true, force: true });
    throw e;
  }
  const waitExit = async (signal: NodeJS.Signals): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill(signal);
    await exited;
  };
  return {
    ...ready,
    dataDir,
    process: child,
    stderr: () => err,
    stop: () => waitExit('SIGTERM'),
    kill: () => waitExit('SIGKILL'),
    cleanup: () => rm(dataDir, { recursive: true, force: true }),
  };
}
