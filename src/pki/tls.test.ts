/**
 * Our TLS material on real sockets: a Node HTTPS server with the apiserver certificate and
 * client-certificate authentication, reached by Node's https client and by real kubectl
 * binaries (Go TLS clients) using the admin kubeconfig.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request, type Server } from 'node:https';
import type { TLSSocket } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ensurePki, type PkiPaths } from './layout.js';
import { currentCredentials, ensureAdminKubeconfig, parseKubeconfig, writeKubeconfig } from './kubeconfig.js';
import { identityFromCertificate, type ClientIdentity } from './client-identity.js';
import { createCertificateAuthority } from './ca.js';
import { issueClientCertificate } from './certs.js';

const run = promisify(execFile);

interface Seen {
  authorized: boolean;
  identity: ClientIdentity | null;
}

let tmp = '';
let pki: PkiPaths;
let server: Server;
let port = 0;
let kubeconfigPath = '';
const seen: Seen[] = [];

const VERSION = { major: '1', minor: '33', gitVersion: 'v1.33.0-k8ts', platform: 'linux/amd64' };

before(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'k8ts-tls-'));
  pki = await ensurePki({ dir: tmp, bindAddress: '127.0.0.1', serviceIP: '10.96.0.1', clusterDomain: 'cluster.local' });
  const [key, cert, ca] = await Promise.all([
    readFile(pki.apiServerKey, 'utf8'),
    readFile(pki.apiServerCert, 'utf8'),
    readFile(pki.caCert, 'utf8'),
  ]);
  server = createServer({ key, cert, ca, requestCert: true, rejectUnauthorized: false }, (req, res) => {
    const socket = req.socket as TLSSocket;
    const authorized = socket.authorized;
    seen.push({ authorized, identity: authorized ? identityFromCertificate(socket.getPeerCertificate()) : null });
    if (req.url === '/version') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(VERSION));
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  kubeconfigPath = await ensureAdminKubeconfig(tmp, `https://127.0.0.1:${port}`, pki);
});

after(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await rm(tmp, { recursive: true, force: true });
});

function get(
  path: string,
  tls: { ca: string; cert?: string; key?: string },
  host = '127.0.0.1',
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host, port, path, ...tls, servername: host === '127.0.0.1' ? undefined : host, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('Node https client with the admin kubeconfig: server verified, client seen as CN/O', async () => {
  const creds = currentCredentials(parseKubeconfig(await readFile(kubeconfigPath, 'utf8')));
  seen.length = 0;
  const res = await get('/version', { ca: creds.caPem, cert: creds.certPem, key: creds.keyPem });
  assert.equal(res.status, 200);
  assert.deepEqual(JSON.parse(res.body), VERSION);
  assert.deepEqual(seen, [{ authorized: true, identity: { user: 'kubernetes-admin', groups: ['system:masters'] } }]);
});

test('several O values reach the server as several groups', async () => {
  const caPem = await readFile(pki.caCert, 'utf8');
  const { readCertificateAuthority } = await import('./layout.js');
  const client = await issueClientCertificate(await readCertificateAuthority(pki), {
    user: 'jane',
    groups: ['dev', 'ops', 'system:nodes'],
  });
  seen.length = 0;
  await get('/version', { ca: caPem, cert: client.certPem, key: client.keyPem });
  assert.deepEqual(seen[0]?.identity, { user: 'jane', groups: ['dev', 'ops', 'system:nodes'] });
});

test('a certificate from another CA is not authorized; no certificate means no identity', async () => {
  const caPem = await readFile(pki.caCert, 'utf8');
  const stranger = await issueClientCertificate(await createCertificateAuthority(), { user: 'mallory', groups: ['system:masters'] });
  seen.length = 0;
  await get('/version', { ca: caPem, cert: stranger.certPem, key: stranger.keyPem });
  await get('/version', { ca: caPem });
  assert.deepEqual(seen, [
    { authorized: false, identity: null },
    { authorized: false, identity: null },
  ]);
});

test('the serving certificate is valid for localhost and rejected by a client trusting another CA', async () => {
  const caPem = await readFile(pki.caCert, 'utf8');
  assert.equal((await get('/version', { ca: caPem }, 'localhost')).status, 200);
  const otherCA = await createCertificateAuthority();
  await assert.rejects(get('/version', { ca: otherCA.certPem }), /certificate/i);
});

const KUBECTL_DIR = '/usr/lib/google-cloud-sdk/bin';
const kubectls = [
  ...['1.27', '1.28', '1.29', '1.30', '1.31', '1.32', '1.33'].map((v) => ({
    name: `kubectl ${v}`,
    bin: join(KUBECTL_DIR, `kubectl.${v}`),
  })),
  { name: 'kubectl on PATH', bin: '/usr/bin/kubectl' },
];

async function kubectl(bin: string, config: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(bin, ['--kubeconfig', config, 'get', '--raw', '/version'], {
      env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: tmp },
      timeout: 30_000,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

for (const { name, bin } of kubectls) {
  const available = existsSync(bin);
  test(`${name} accepts our CA, serving certificate and client certificate`, { skip: !available && `${bin} not installed` }, async () => {
    const before = seen.length;
    const result = await kubectl(bin, kubeconfigPath);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout), VERSION);
    const mine = seen.slice(before).filter((s) => s.identity?.user === 'kubernetes-admin');
    assert.ok(mine.length >= 1, 'server saw the kubectl client certificate');
    assert.deepEqual(mine[0]?.identity?.groups, ['system:masters']);
  });
}

test('kubectl refuses a server whose CA it was not given', { skip: !existsSync(join(KUBECTL_DIR, 'kubectl.1.33')) }, async () => {
  const creds = currentCredentials(parseKubeconfig(await readFile(kubeconfigPath, 'utf8')));
  const otherCA = await createCertificateAuthority();
  const path = join(tmp, 'wrong-ca.conf');
  await writeKubeconfig({
    path,
    server: creds.server,
    caPem: otherCA.certPem,
    certPem: creds.certPem,
    keyPem: creds.keyPem,
    user: 'kubernetes-admin',
  });
  const result = await kubectl(join(KUBECTL_DIR, 'kubectl.1.33'), path);
  assert.notEqual(result.code, 0);
  assert.match(result.stderr, /x509|certificate/i);
});
