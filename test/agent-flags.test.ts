import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseAgentFlags } from '../src/cli/agent-flags.js';
import { defaultDataDir } from '../src/cli/server-flags.js';

describe('k8ts agent flags', () => {
  it('defaults to one fake node with the default capacity', () => {
    assert.deepEqual(parseAgentFlags(['--kubeconfig', '/k.conf'], {}), {
      runtime: 'fake',
      nodes: 1,
      kubeconfig: '/k.conf',
      nodeNamePrefix: 'fake-node-',
      firstIndex: 0,
      capacity: {},
      events: true,
      kubeletPort: 10250,
    });
  });

  it('reads every flag', () => {
    const f = parseAgentFlags(
      [
        '--runtime',
        'fake',
        '--nodes',
        '50',
        '--node-name-prefix',
        'sim-',
        '--first-index',
        '100',
        '--cpu',
        '8',
        '--memory',
        '64Gi',
        '--max-pods',
        '250',
        '--events',
        'false',
      ],
      { KUBECONFIG: '/a.conf:/b.conf' },
    );
    assert.deepEqual(f, {
      runtime: 'fake',
      nodes: 50,
      kubeconfig: '/a.conf',
      nodeNamePrefix: 'sim-',
      firstIndex: 100,
      capacity: { cpu: '8', memory: '64Gi', pods: '250' },
      events: false,
      kubeletPort: 10250,
    });
  });

  it('reads --bootstrap-kubeconfig', () => {
    assert.equal(parseAgentFlags(['--kubeconfig', 'k', '--bootstrap-kubeconfig', 'b'], {}).bootstrapKubeconfig, 'b');
    assert.equal(
      parseAgentFlags(['--runtime', 'containerd', '--kubeconfig', 'k', '--bootstrap-kubeconfig', 'b'], {}).bootstrapKubeconfig,
      'b',
    );
  });

  it('reads the containerd runtime’s flags', () => {
    const f = parseAgentFlags(
      [
        '--runtime',
        'containerd',
        '--data-dir',
        '/d',
        '--node-name',
        'n1',
        '--node-ip',
        '10.0.0.5',
        '--cni-bridge',
        'br9',
        '--disable-network-policy',
      ],
      { KUBECONFIG: '/a.conf' },
    );
    assert.deepEqual(f, {
      runtime: 'containerd',
      kubeconfig: '/a.conf',
      dataDir: '/d',
      nodeName: 'n1',
      nodeIP: '10.0.0.5',
      cniBridge: 'br9',
      runtimeSocket: undefined,
      cniConfDir: undefined,
      serviceCIDR: '10.96.0.0/12',
      clusterCIDR: '10.244.0.0/16',
      proxyMode: 'iptables',
      disableKubeProxy: false,
      clusterDNS: ['10.96.0.10'],
      clusterDomain: 'cluster.local',
      dnsUpstreams: undefined,
      disableDNS: false,
      nodeLocalDNS: undefined,
      flannelBackend: 'vxlan',
      kubeletPort: 10250,
      networkPolicy: false,
      garbageCollection: {},
      healthzBindAddress: { host: '0.0.0.0', port: 10256 },
      ingress: { httpPort: 80, httpsPort: 443 },
    });
  });

  it('reads the ingress ports, or none with --disable-ingress', () => {
    const ports = parseAgentFlags(
      ['--runtime', 'containerd', '--kubeconfig', 'k', '--ingress-http-port', '8080', '--ingress-https-port', '0'],
      {},
    );
    assert.deepEqual(ports.runtime === 'containerd' && ports.ingress, { httpPort: 8080, httpsPort: 0 });
    const none = parseAgentFlags(['--runtime', 'containerd', '--kubeconfig', 'k', '--disable-ingress'], {});
    assert.equal(none.runtime === 'containerd' && none.ingress, undefined);
  });

  it('reads --container-runtime-endpoint and --cni-conf-dir', () => {
    const f = parseAgentFlags(
      [
        '--runtime',
        'containerd',
        '--kubeconfig',
        'k',
        '--container-runtime-endpoint',
        'unix:///run/c.sock',
        '--cni-conf-dir',
        '/etc/cni/x',
      ],
      {},
    );
    assert.equal(f.runtime, 'containerd');
    assert.deepEqual(f.runtime === 'containerd' && [f.runtimeSocket, f.cniConfDir], ['/run/c.sock', '/etc/cni/x']);
  });

  it('reads --flannel-backend and --cluster-cidr', () => {
    const f = parseAgentFlags(
      ['--runtime', 'containerd', '--kubeconfig', 'k', '--flannel-backend', 'host-gw', '--cluster-cidr', '10.1.0.0/16'],
      {},
    );
    assert.deepEqual(f.runtime === 'containerd' && [f.flannelBackend, f.clusterCIDR], ['host-gw', '10.1.0.0/16']);
  });

  it('gives the containerd runtime the server’s default data dir', () => {
    const f = parseAgentFlags(['--runtime', 'containerd', '--kubeconfig', 'k'], {});
    assert.deepEqual(f, {
      runtime: 'containerd',
      kubeconfig: 'k',
      dataDir: defaultDataDir(),
      nodeName: undefined,
      nodeIP: undefined,
      cniBridge: undefined,
      runtimeSocket: undefined,
      cniConfDir: undefined,
      serviceCIDR: '10.96.0.0/12',
      clusterCIDR: '10.244.0.0/16',
      proxyMode: 'iptables',
      disableKubeProxy: false,
      clusterDNS: ['10.96.0.10'],
      clusterDomain: 'cluster.local',
      dnsUpstreams: undefined,
      disableDNS: false,
      nodeLocalDNS: undefined,
      flannelBackend: 'vxlan',
      kubeletPort: 10250,
      networkPolicy: true,
      garbageCollection: {},
      healthzBindAddress: { host: '0.0.0.0', port: 10256 },
      ingress: { httpPort: 80, httpsPort: 443 },
    });
  });

  it('reads --node-local-dns', () => {
    const f = parseAgentFlags(['--runtime', 'containerd', '--kubeconfig', 'k', '--node-local-dns', '169.254.20.10'], {});
    assert.equal(f.runtime === 'containerd' && f.nodeLocalDNS, '169.254.20.10');
  });

  it('reads --dns-upstream and --disable-dns', () => {
    const f = parseAgentFlags(
      ['--runtime', 'containerd', '--kubeconfig', 'k', '--dns-upstream', '10.0.0.2:5353,10.0.0.3', '--disable-dns'],
      {},
    );
    assert.deepEqual(f.runtime === 'containerd' && [f.dnsUpstreams, f.disableDNS], [
      [
        { host: '10.0.0.2', port: 5353 },
        { host: '10.0.0.3', port: 53 },
      ],
      true,
    ]);
  });

  it('reads --service-cidr (the default cluster DNS follows it) and --proxy-mode', () => {
    const f = parseAgentFlags(
      ['--runtime', 'containerd', '--kubeconfig', 'k', '--service-cidr', '10.43.0.0/16', '--proxy-mode', 'userspace'],
      {},
    );
    assert.deepEqual(f.runtime === 'containerd' && [f.serviceCIDR, f.clusterDNS, f.proxyMode], [
      '10.43.0.0/16',
      ['10.43.0.10'],
      'userspace',
    ]);
  });

  const bad: [string[], RegExp][] = [
    [
      ['--runtime', 'containerd', '--kubeconfig', 'k', '--node-local-dns', '169.254.20.10', '--disable-dns'],
      /--node-local-dns: not with --disable-dns/,
    ],
    [['--kubeconfig', 'k', '--node-local-dns', '169.254.20.10'], /--node-local-dns does not apply to --runtime fake/],
    [['--kubeconfig', 'k', '--dns-upstream', '10.0.0.1'], /--dns-upstream does not apply to --runtime fake/],
    [['--runtime', 'containerd', '--kubeconfig', 'k', '--dns-upstream', 'dns.example'], /--dns-upstream: want ip\[:port\]/],
    [
      ['--runtime', 'containerd', '--kubeconfig', 'k', '--proxy-mode', 'ipvs'],
      /--proxy-mode: unsupported mode "ipvs" \(supported: iptables, nftables, userspace\)/,
    ],
    [['--runtime', 'containerd', '--kubeconfig', 'k', '--service-cidr', '10.96.0.0'], /--service-cidr: want an IPv4 CIDR/],
    [['--runtime', 'containerd', '--kubeconfig', 'k', '--cluster-cidr', 'pods'], /--cluster-cidr: want an IPv4 CIDR/],
    [['--kubeconfig', 'k', '--proxy-mode', 'iptables'], /--proxy-mode does not apply to --runtime fake/],
    [['--runtime', 'docker', '--kubeconfig', 'k'], /unsupported runtime "docker" \(supported: fake, containerd\)/],
    [['--runtime', 'containerd'], /--kubeconfig is required/],
    [['--runtime', 'containerd', '--kubeconfig', 'k', '--nodes', '3'], /--nodes does not apply to --runtime containerd/],
    [['--kubeconfig', 'k', '--node-ip', '10.0.0.1'], /--node-ip does not apply to --runtime fake/],
    [['--runtime', 'containerd', '--kubeconfig', 'k', '--node-ip', '10.0.0.300'], /--node-ip: want an IPv4 address/],
    [['--runtime', 'containerd', '--kubeconfig', 'k', '--cni-bridge', 'a/b'], /--cni-bridge: want an interface name/],
    [['--kubeconfig', 'k', '--container-runtime-endpoint', 'unix:///s'], /--container-runtime-endpoint does not apply to --runtime fake/],
    [['--runtime', 'containerd', '--kubeconfig', 'k', '--container-runtime-endpoint', 'tcp://h:1'], /want unix:\/\/\/path/],
    [['--runtime', 'containerd', '--kubeconfig', 'k', '--cni-conf-dir', '/x'], /--cni-conf-dir: only with --container-runtime-endpoint/],
    [['--runtime', 'containerd', '--kubeconfig', 'k', '--flannel-backend', 'udp'], /--flannel-backend: unsupported backend "udp"/],
    [['--kubeconfig', 'k', '--flannel-backend', 'vxlan'], /--flannel-backend does not apply to --runtime fake/],
    [['--nodes', 'many', '--kubeconfig', 'k'], /--nodes: want a non-negative integer, got "many"/],
    [['--nodes', '3'], /--kubeconfig is required/],
    [['--kubeconfig', 'k', '--events', 'maybe'], /--events: want true or false/],
    [['--kubeconfig', 'k', '--bogus'], /Unknown option '--bogus'/],
    [['--kubeconfig', 'k', '--bootstrap-kubeconfig', 'b', '--nodes', '3'], /--bootstrap-kubeconfig: one node per agent \(--nodes 1\)/],
    [['--kubeconfig', 'k', '--ingress-http-port', '8080'], /--ingress-http-port does not apply to --runtime fake/],
    [['--runtime', 'containerd', '--kubeconfig', 'k', '--ingress-https-port', '70000'], /--ingress-https-port: invalid port 70000/],
    [
      ['--runtime', 'containerd', '--kubeconfig', 'k', '--disable-ingress', '--ingress-http-port', '80'],
      /--disable-ingress: may not be given with/,
    ],
  ];
  for (const [argv, want] of bad) {
    it(`rejects ${argv.join(' ')}`, () => assert.throws(() => parseAgentFlags(argv, {}), want));
  }
});
