import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate, createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apiServerSubjectAltNames, ensurePki, pkiPaths, type EnsurePkiOptions, type PkiPaths } from './layout.js';
import { isPkiError } from './errors.js';

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'k8ts-pki-'));
  try {
    await fn(join(dir, 'data'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function options(dir: string, extra: Partial<EnsurePkiOptions> = {}): EnsurePkiOptions {
  return {
    dir,
    bindAddress: '127.0.0.1',
    serviceIP: '10.96.0.1',
    clusterDomain: 'cluster.local',
    hostname: 'Node-1',
    hostAddresses: ['192.168.1.10', 'fd00::10'],
    ...extra,
  };
}

async function readAll(paths: PkiPaths): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [name, path] of Object.entries(paths)) {
    if (name !== 'dir') out[name] = await readFile(path, 'utf8');
  }
  return out;
}

test('first run lays out kubeadm-named files with private modes, quickly', async (t) => {
  await withDir(async (dir) => {
    const start = performance.now();
    const paths = await ensurePki(options(dir));
    const elapsed = performance.now() - start;
    t.diagnostic(`ensurePki first run: ${elapsed.toFixed(1)} ms`);
    assert.deepEqual(paths, pkiPaths(dir));
    assert.equal(paths.dir, join(dir, 'pki'));
    const modes: [string, number][] = [
      [paths.dir, 0o700],
      [paths.caKey, 0o600],
      [paths.apiServerKey, 0o600],
      [paths.apiServerKubeletClientKey, 0o600],
      [paths.serviceAccountKey, 0o600],
      [paths.caCert, 0o644],
      [paths.apiServerCert, 0o644],
      [paths.serviceAccountPublicKey, 0o644],
    ];
    for (const [path, mode] of modes) assert.equal((await stat(path)).mode & 0o777, mode, path);
    for (const name of [
      'ca.crt',
      'ca.key',
      'apiserver.crt',
      'apiserver.key',
      'apiserver-kubelet-client.crt',
      'apiserver-kubelet-client.key',
      'sa.key',
      'sa.pub',
    ]) {
      await stat(join(dir, 'pki', name));
    }

    const files = await readAll(paths);
    const ca = new X509Certificate(files['caCert']!);
    const apiserver = new X509Certificate(files['apiServerCert']!);
    const kubeletClient = new X509Certificate(files['apiServerKubeletClientCert']!);
    assert.equal(ca.subject, 'CN=kubernetes');
    assert.ok(apiserver.verify(ca.publicKey));
    assert.ok(kubeletClient.verify(ca.publicKey));
    assert.equal(apiserver.subject, 'CN=kube-apiserver');
    assert.equal(
      apiserver.subjectAltName,
      'DNS:localhost, DNS:node-1, DNS:kubernetes, DNS:kubernetes.default, DNS:kubernetes.default.svc, ' +
        'DNS:kubernetes.default.svc.cluster.local, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1, IP Address:10.96.0.1',
    );
    assert.equal(kubeletClient.subject, 'O=system:masters\nCN=kube-apiserver-kubelet-client');
    assert.ok(apiserver.checkPrivateKey(createPrivateKey(files['apiServerKey']!)));

    // sa.key signs, sa.pub verifies.
    const data = Buffer.from('token');
    const signature = sign('sha256', data, createPrivateKey(files['serviceAccountKey']!));
    assert.ok(verify('sha256', data, createPublicKey(files['serviceAccountPublicKey']!), signature));
  });
});

test('apiserver SANs follow the bind address', () => {
  const base = options('/unused', { extraSANs: ['k8s.example.com', '203.0.113.7', '[2001:db8::1]'] });
  const cases = [
    { bindAddress: '127.0.0.1', dns: [], ips: [] },
    { bindAddress: '10.1.2.3', dns: [], ips: ['10.1.2.3'] },
    { bindAddress: 'API.example.org', dns: ['api.example.org'], ips: [] },
    { bindAddress: '0.0.0.0', dns: [], ips: ['192.168.1.10', 'fd00::10'] },
    { bindAddress: '::', dns: [], ips: ['192.168.1.10', 'fd00::10'] },
  ];
  for (const c of cases) {
    const got = apiServerSubjectAltNames({ ...base, bindAddress: c.bindAddress });
    const fixedDns = [
      'localhost',
      'node-1',
      'kubernetes',
      'kubernetes.default',
      'kubernetes.default.svc',
      'kubernetes.default.svc.cluster.local',
    ];
    assert.deepEqual(got.dnsNames, [...fixedDns, 'k8s.example.com', ...c.dns], c.bindAddress);
    assert.deepEqual(
      got.ipAddresses,
      ['127.0.0.1', '::1', '10.96.0.1', '203.0.113.7', '2001:db8::1', ...c.ips].filter((v, i, a) => a.indexOf(v) === i),
      c.bindAddress,
    );
  }
});

test('a restart reuses everything byte for byte', async () => {
  await withDir(async (dir) => {
    const paths = await ensurePki(options(dir));
    const first = await readAll(paths);
    await ensurePki(options(dir));
    assert.deepEqual(await readAll(paths), first);
  });
});

test('apiserver.crt is reissued only when its names no longer cover the request', async () => {
  await withDir(async (dir) => {
    const paths = await ensurePki(options(dir));
    const first = await readAll(paths);

    // A bind address already covered (loopback) changes nothing.
    await ensurePki(options(dir, { bindAddress: 'localhost' }));
    assert.equal(await readFile(paths.apiServerCert, 'utf8'), first['apiServerCert']);

    await ensurePki(options(dir, { extraSANs: ['k8s.example.com'] }));
    const second = await readAll(paths);
    assert.notEqual(second['apiServerCert'], first['apiServerCert']);
    assert.equal(second['caCert'], first['caCert'], 'CA kept');
    assert.equal(second['caKey'], first['caKey']);
    assert.equal(second['apiServerKubeletClientCert'], first['apiServerKubeletClientCert']);
    assert.equal(second['serviceAccountKey'], first['serviceAccountKey']);
    const cert = new X509Certificate(second['apiServerCert']!);
    assert.ok(cert.checkHost('k8s.example.com'));
    assert.ok(cert.verify(new X509Certificate(second['caCert']!).publicKey));
  });
});

test('lost or broken pieces are regenerated; a missing CA key is an error', async () => {
  await withDir(async (dir) => {
    const paths = await ensurePki(options(dir));
    const first = await readAll(paths);

    await unlink(paths.apiServerKey);
    await unlink(paths.serviceAccountPublicKey);
    await ensurePki(options(dir));
    const second = await readAll(paths);
    assert.notEqual(second['apiServerCert'], first['apiServerCert'], 'new key, new certificate');
    assert.ok(new X509Certificate(second['apiServerCert']!).checkPrivateKey(createPrivateKey(second['apiServerKey']!)));
    assert.equal(second['serviceAccountPublicKey'], first['serviceAccountPublicKey'], 'sa.pub re-derived from sa.key');

    await unlink(paths.caKey);
    await assert.rejects(ensurePki(options(dir)), (err) => isPkiError(err, 'CAKeyMissing'));
  });
});

test('a stray ca.key without ca.crt (crash mid-write) yields a fresh CA and reissued leaves', async () => {
  await withDir(async (dir) => {
    const paths = await ensurePki(options(dir));
    const first = await readAll(paths);
    await unlink(paths.caCert);
    await writeFile(paths.caKey, 'half written', { mode: 0o600 });
    await ensurePki(options(dir));
    const second = await readAll(paths);
    assert.notEqual(second['caCert'], first['caCert']);
    const ca = new X509Certificate(second['caCert']!);
    assert.ok(new X509Certificate(second['apiServerCert']!).verify(ca.publicKey));
    assert.ok(new X509Certificate(second['apiServerKubeletClientCert']!).verify(ca.publicKey));
  });
});
