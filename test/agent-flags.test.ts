import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseAgentFlags } from '../src/cli/agent.js';

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
    });
  });

  const bad: [string[], RegExp][] = [
    [['--runtime', 'containerd', '--kubeconfig', 'k'], /unsupported runtime "containerd"/],
    [['--nodes', 'many', '--kubeconfig', 'k'], /--nodes: want a non-negative integer, got "many"/],
    [['--nodes', '3'], /--kubeconfig is required/],
    [['--kubeconfig', 'k', '--events', 'maybe'], /--events: want true or false/],
    [['--kubeconfig', 'k', '--bogus'], /Unknown option '--bogus'/],
  ];
  for (const [argv, want] of bad) {
    it(`rejects ${argv.join(' ')}`, () => assert.throws(() => parseAgentFlags(argv, {}), want));
  }
});
