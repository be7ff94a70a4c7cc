/**
 * A private registry for end-to-end tests of image pulls with credentials: Debian's
 * `docker-registry` (the CNCF distribution registry) on 127.0.0.1 with htpasswd basic auth (bcrypt
 * hashes from Python's crypt module, which libxcrypt backs), images pushed into it with `skopeo
 * copy oci-archive:… docker://…`. containerd speaks plain HTTP to a loopback registry without
 * any hosts.toml. Everything lives in one temp dir; stop() ends the process and removes it.
 *
 *   registryUnavailable(): Promise<string | undefined>   // why it cannot run here; throws instead under CI=true
 *   startDockerRegistry(users: Record<string, string>): Promise<DockerRegistry>
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCommand } from '../../src/kubelet/command.js';
import { onPath } from '../../src/kubelet/containerd/prerequisites.js';
import { eventually } from './wait.js';

export const REGISTRY_PACKAGES = 'docker-registry skopeo';

export interface DockerRegistry {
  /** "127.0.0.1:PORT". */
  host: string;
  /** Pushes an OCI archive as `host/repositoryAndTag` with the user's credentials; returns the reference. */
  push(archive: string, repositoryAndTag: string, user: string, password: string): Promise<string>;
  stop(): Promise<void>;
}

export async function registryUnavailable(): Promise<string | undefined> {
  const missing: string[] = [];
  for (const program of ['docker-registry', 'skopeo', 'python3']) if (!(await onPath(program))) missing.push(program);
  const reason = missing.length > 0 ? `missing ${missing.join(', ')} (apt-get install ${REGISTRY_PACKAGES})` : undefined;
  if (reason && process.env.CI === 'true') throw new Error(`the registry tests must run under CI, but: ${reason}`);
  return reason;
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as { port: number }).port;
  server.close();
  await once(server, 'close');
  return port;
}

/** A bcrypt htpasswd line (cost 4: the registry checks it on every request). */
async function htpasswdLine(user: string, password: string): Promise<string> {
  const script = 'import crypt,sys; print(crypt.crypt(sys.argv[1], crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=16)))';
  const { stdout } = await runCommand('python3', ['-W', 'ignore', '-c', script, password]);
  return `${user}:${stdout.trim()}`;
}

export async function startDockerRegistry(users: Record<string, string>): Promise<DockerRegistry> {
  const dir = await mkdtemp(join(tmpdir(), 'k8ts-registry-'));
  let child: ChildProcess | undefined;
  let log = '';
  const stop = async (): Promise<void> => {
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    }
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const lines = await Promise.all(Object.entries(users).map(([u, p]) => htpasswdLine(u, p)));
    await writeFile(join(dir, 'htpasswd'), `${lines.join('\n')}\n`);
    const port = await freePort();
    const host = `127.0.0.1:${port}`;
    const config = [
      'version: 0.1',
      'log:',
      '  level: warn',
      'storage:',
      '  filesystem:',
      `    rootdirectory: ${join(dir, 'data')}`,
      'http:',
      `  addr: ${host}`,
      'auth:',
      '  htpasswd:',
      '    realm: k8ts-test',
      `    path: ${join(dir, 'htpasswd')}`,
      '',
    ].join('\n');
    await writeFile(join(dir, 'config.yml'), config);
    const started = spawn('docker-registry', ['serve', join(dir, 'config.yml')], { stdio: ['ignore', 'pipe', 'pipe'] });
    child = started;
    started.stdout?.on('data', (d: Buffer) => (log += d.toString()));
    started.stderr?.on('data', (d: Buffer) => (log += d.toString()));
    await eventually(
      `docker-registry answering on ${host}`,
      async () => {
        if (started.exitCode !== null) throw new Error(`docker-registry exited: ${log}`);
        const res = await fetch(`http://${host}/v2/`).catch(() => undefined);
        return res?.status === 401;
      },
      15_000,
      100,
    );
    return {
      host,
      async push(archive, repositoryAndTag, user, password) {
        const ref = `${host}/${repositoryAndTag}`;
        const args = ['--insecure-policy', 'copy', '--quiet', '--dest-tls-verify=false', '--dest-creds', `${user}:${password}`];
        await runCommand('skopeo', [...args, `oci-archive:${archive}`, `docker://${ref}`]);
        return ref;
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
