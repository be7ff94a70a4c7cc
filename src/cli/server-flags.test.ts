import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultClusterDNS, parseServerFlags } from './server-flags.js';

test('--node-monitor-grace-period takes a Go duration and defaults to 40s', () => {
  const cases: [string[], number][] = [
    [[], 40_000],
    [['--node-monitor-grace-period', '10s'], 10_000],
    [['--node-monitor-grace-period', '1m30s'], 90_000],
    [['--node-monitor-grace-period=1500ms'], 1_500],
  ];
  for (const [argv, want] of cases) assert.equal(parseServerFlags(argv).nodeMonitorGracePeriodMs, want, argv.join(' '));
});

test('--node-monitor-grace-period rejects what is not a positive duration', () => {
  const cases: [string, RegExp][] = [
    ['10', /--node-monitor-grace-period: time: /],
    ['ten seconds', /--node-monitor-grace-period: time: /],
    ['0s', /--node-monitor-grace-period: must be positive, got 0s/],
    ['-5s', /--node-monitor-grace-period: must be positive, got -5s/],
  ];
  for (const [value, want] of cases) assert.throws(() => parseServerFlags([`--node-monitor-grace-period=${value}`]), want, value);
});

test('--cluster-signing-duration takes a positive Go duration and defaults to 8760h', () => {
  assert.equal(parseServerFlags([]).clusterSigningDurationMs, 8760 * 3600 * 1000);
  assert.equal(parseServerFlags(['--cluster-signing-duration', '1h']).clusterSigningDurationMs, 3600_000);
});

test('--resource-quota-sync-period takes a positive Go duration and defaults to 5m', () => {
  assert.equal(parseServerFlags([]).resourceQuotaSyncPeriodMs, 300_000);
  assert.equal(parseServerFlags(['--resource-quota-sync-period', '30s']).resourceQuotaSyncPeriodMs, 30_000);
  assert.throws(() => parseServerFlags(['--resource-quota-sync-period=0s']), /--resource-quota-sync-period: must be positive, got 0s/);
});

test('--runtime containerd and the real node flags', () => {
  const f = parseServerFlags(['--runtime', 'containerd', '--node-name', 'n1', '--node-ip', '192.168.1.7', '--cni-bridge', 'k8tst0a1b']);
  assert.deepEqual([f.runtime, f.nodeName, f.nodeIP, f.cniBridge], ['containerd', 'n1', '192.168.1.7', 'k8tst0a1b']);
  const d = parseServerFlags([]);
  assert.deepEqual([d.runtime, d.nodeName, d.nodeIP, d.cniBridge], ['auto', undefined, undefined, undefined]);
  assert.equal(parseServerFlags(['--disable-agent']).runtime, 'none');
  assert.equal(d.flannelBackend, 'vxlan');
  assert.equal(parseServerFlags(['--flannel-backend', 'host-gw']).flannelBackend, 'host-gw');
  const bad: [string[], RegExp][] = [
    [['--runtime', 'docker'], /--runtime: unsupported runtime "docker" \(supported: fake, containerd\)/],
    [['--runtime', 'fake', '--disable-agent'], /--runtime: may not be given with --disable-agent/],
    [['--node-ip', '10.0.0.256'], /--node-ip: want an IPv4 address/],
    [['--node-ip', 'host'], /--node-ip: want an IPv4 address/],
    [['--flannel-backend', 'udp'], /--flannel-backend: unsupported backend "udp" \(supported: vxlan, host-gw, none\)/],
    [['--cni-bridge', 'a-bridge-name-too-long'], /--cni-bridge: want an interface name/],
    [['--cni-bridge', 'br/0'], /--cni-bridge: want an interface name/],
  ];
  for (const [argv, want] of bad) assert.throws(() => parseServerFlags(argv), want, argv.join(' '));
});

test('--container-runtime-endpoint and --cni-conf-dir: a running CRI runtime for the node', () => {
  const f = parseServerFlags([
    '--container-runtime-endpoint',
    'unix:///run/containerd/containerd.sock',
    '--cni-conf-dir',
    '/etc/cni/net.d',
  ]);
  assert.deepEqual([f.runtime, f.runtimeSocket, f.cniConfDir], ['auto', '/run/containerd/containerd.sock', '/etc/cni/net.d']);
  assert.deepEqual([parseServerFlags([]).runtimeSocket, parseServerFlags([]).cniConfDir], [undefined, undefined]);
  const bad: [string[], RegExp][] = [
    [['--container-runtime-endpoint', '/run/c.sock'], /--container-runtime-endpoint: want unix:\/\/\/path\/to\/socket/],
    [['--container-runtime-endpoint', 'unix:///s', '--runtime', 'fake'], /does not apply to --runtime fake/],
    [['--container-runtime-endpoint', 'unix:///s', '--disable-agent'], /does not apply to --disable-agent/],
    [['--cni-conf-dir', '/etc/cni/net.d'], /--cni-conf-dir: only with --container-runtime-endpoint/],
    [['--container-runtime-endpoint', 'unix:///s', '--cni-conf-dir', 'net.d'], /--cni-conf-dir: want an absolute path/],
  ];
  for (const [argv, want] of bad) assert.throws(() => parseServerFlags(argv), want, argv.join(' '));
});

test('--cluster-dns: the 10th address of the service CIDR by default, or the given list', () => {
  assert.deepEqual(parseServerFlags([]).clusterDNS, ['10.96.0.10']);
  assert.deepEqual(parseServerFlags(['--service-cidr', '10.43.0.0/16']).clusterDNS, ['10.43.0.10']);
  assert.equal(defaultClusterDNS('172.16.5.0/24'), '172.16.5.10');
  assert.deepEqual(parseServerFlags(['--cluster-dns', '10.0.0.53,10.0.0.54']).clusterDNS, ['10.0.0.53', '10.0.0.54']);
  assert.throws(() => parseServerFlags(['--cluster-dns', 'dns.example']), /--cluster-dns: want an IPv4 address/);
});

test('--dns-upstream and --disable-dns: the node DNS server’s resolvers, or none', () => {
  assert.equal(parseServerFlags([]).dnsUpstreams, undefined);
  assert.equal(parseServerFlags([]).disableDNS, false);
  assert.deepEqual(parseServerFlags(['--dns-upstream', '10.0.0.53:5353']).dnsUpstreams, [{ host: '10.0.0.53', port: 5353 }]);
  assert.equal(parseServerFlags(['--disable-dns']).disableDNS, true);
  assert.equal(parseServerFlags([]).nodeLocalDNS, undefined);
  assert.equal(parseServerFlags(['--node-local-dns', '169.254.20.10']).nodeLocalDNS, '169.254.20.10');
  assert.throws(() => parseServerFlags(['--node-local-dns', 'local']), /--node-local-dns: want an IPv4 address/);
  assert.throws(() => parseServerFlags(['--node-local-dns', '169.254.20.10', '--disable-dns']), /--node-local-dns: not with --disable-dns/);
  assert.throws(() => parseServerFlags(['--dns-upstream', '10.0.0.53:99999']), /--dns-upstream: want ip\[:port\]/);
});

test('--kubelet-port and --kubelet-preferred-address-types', () => {
  const d = parseServerFlags([]);
  assert.equal(d.kubeletPort, 10250);
  assert.deepEqual(d.kubeletPreferredAddressTypes, ['Hostname', 'InternalDNS', 'InternalIP', 'ExternalDNS', 'ExternalIP']);
  const f = parseServerFlags(['--kubelet-port', '0', '--kubelet-preferred-address-types', 'InternalIP,Hostname']);
  assert.equal(f.kubeletPort, 0);
  assert.deepEqual(f.kubeletPreferredAddressTypes, ['InternalIP', 'Hostname']);
  assert.throws(() => parseServerFlags(['--kubelet-port', '70000']), /--kubelet-port: invalid port 70000/);
  assert.throws(() => parseServerFlags(['--kubelet-port=-1']), /--kubelet-port: invalid port -1/);
  assert.throws(
    () => parseServerFlags(['--kubelet-preferred-address-types', 'InternalIP,LegacyHostIP']),
    /unknown address type "LegacyHostIP"/,
  );
});

test('--disable-network-policy turns the real node’s policy controller off', () => {
  assert.equal(parseServerFlags([]).networkPolicy, true);
  assert.equal(parseServerFlags(['--disable-network-policy']).networkPolicy, false);
});

test('--ingress-http-port, --ingress-https-port and --disable-ingress', () => {
  assert.deepEqual(parseServerFlags([]).ingress, { httpPort: 80, httpsPort: 443 });
  assert.deepEqual(parseServerFlags(['--ingress-http-port', '0', '--ingress-https-port=8443']).ingress, { httpPort: 0, httpsPort: 8443 });
  assert.equal(parseServerFlags(['--disable-ingress']).ingress, undefined);
  assert.throws(() => parseServerFlags(['--ingress-http-port', 'x']), /--ingress-http-port: invalid port x/);
  assert.throws(() => parseServerFlags(['--disable-ingress', '--ingress-https-port', '1']), /--disable-ingress: may not be given/);
});

test('--proxy-mode: iptables by default, nftables or userspace on request, only for a real node', () => {
  assert.equal(parseServerFlags([]).proxyMode, 'iptables');
  assert.deepEqual([parseServerFlags([]).disableKubeProxy, parseServerFlags(['--disable-kube-proxy']).disableKubeProxy], [false, true]);
  assert.equal(parseServerFlags(['--runtime', 'containerd', '--proxy-mode', 'userspace']).proxyMode, 'userspace');
  assert.equal(parseServerFlags(['--proxy-mode', 'nftables']).proxyMode, 'nftables');
  const bad: [string[], RegExp][] = [
    [['--proxy-mode', 'ipvs'], /--proxy-mode: unsupported mode "ipvs" \(supported: iptables, nftables, userspace\)/],
    [['--runtime', 'fake', '--proxy-mode', 'iptables'], /--proxy-mode: does not apply to --runtime fake/],
    [['--disable-agent', '--proxy-mode', 'iptables'], /--proxy-mode: does not apply to --disable-agent/],
  ];
  for (const [argv, want] of bad) assert.throws(() => parseServerFlags(argv), want, argv.join(' '));
});

test('--use-service-account-credentials is true unless set to false', () => {
  assert.equal(parseServerFlags([]).useServiceAccountCredentials, true);
  assert.equal(parseServerFlags(['--use-service-account-credentials=false']).useServiceAccountCredentials, false);
  assert.equal(parseServerFlags(['--use-service-account-credentials', 'true']).useServiceAccountCredentials, true);
  assert.throws(
    () => parseServerFlags(['--use-service-account-credentials=no']),
    /--use-service-account-credentials: want true or false, got "no"/,
  );
});
