/**
 * Test hosts in network namespaces the test creates: a netns joined to the machine by a veth
 * pair on a /30 of the test's own, with no default route, so nothing inside can send a packet
 * out of the machine. A `k8ts server` or `k8ts agent` started with `command()` runs in it as on a
 * host of its own: its iptables rules, bridges, node ports, port 53 and port 80 are the
 * namespace's, so tests that program them run side by side and removing the namespace removes
 * them. Only the network namespace changes (nsenter --net): files, mounts and processes are
 * the machine's, cleaned up as the real-node tests clean theirs.
 *
 * A segment (createNetnsSegment) is an L2 network of several such hosts, as machines on one
 * switch: a bridge on the machine (k8ts prefix) holding the segment's first address, each host a
 * namespace whose eth0 is a veth on that bridge — multi-node tests run a `k8ts agent` in each.
 *
 *   createNetnsHost(options: { subnet: string }): Promise<NetnsHost>
 *   createNetnsSegment(options: { subnet: string }): Promise<NetnsSegment>
 */
import { randomBytes } from 'node:crypto';
import { runCommand } from '../../src/kubelet/command.js';

export interface NetnsHost {
  /** The namespace's name (under /run/netns). */
  readonly name: string;
  /** The veth's address on the machine's side: the namespace reaches the machine (and a test's servers on it) here. */
  readonly hostIP: string;
  /** The address of the namespace's eth0: the host's node IP, where the machine reaches it. */
  readonly ip: string;
  /** The machine-side veth's name. */
  readonly hostVeth: string;
  /** `argv` run inside the namespace: nsenter's prefix before the program (nsenter execs it: the PID is the program's). */
  command(argv: string[]): string[];
  /** Runs a command inside the namespace and returns its stdout (throws on a non-zero exit). */
  exec(file: string, args: string[]): Promise<string>;
  /** Deletes the namespace (with everything in it: bridges, veths, iptables rules) and the machine-side veth. */
  remove(): Promise<void>;
}

export interface NetnsSegment {
  /** The machine's bridge. */
  readonly bridge: string;
  /** The bridge's address (the segment's first): the machine, and a server it runs, on the segment. */
  readonly hostIP: string;
  readonly hosts: readonly NetnsHost[];
  /** A new host on the segment, at the next free address. */
  addHost(): Promise<NetnsHost>;
  /** Removes every host (namespaces and veths) and the bridge. */
  remove(): Promise<void>;
}

const inNamespace = (name: string) => (file: string, args: string[]) => runCommand('ip', ['netns', 'exec', name, file, ...args]);

/**
 * A new namespace whose eth0 is `ip`/`prefix`, joined by a veth to the machine's side, which
 * `attach` (called with the machine-side veth's name) addresses or puts on a bridge.
 */
async function namespaceHost(hostIP: string, ip: string, prefix: number, attach: (veth: string) => Promise<void>): Promise<NetnsHost> {
  const id = randomBytes(3).toString('hex');
  const name = `k8tsn${id}`;
  const hostVeth = `k8tsv${id}`;
  const inside = inNamespace(name);
  const remove = async (): Promise<void> => {
    await runCommand('ip', ['netns', 'del', name]).catch(() => undefined);
    await runCommand('ip', ['link', 'del', hostVeth]).catch(() => undefined);
  };
  try {
    await runCommand('ip', ['netns', 'add', name]);
    await runCommand('ip', ['link', 'add', hostVeth, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', name]);
    await attach(hostVeth);
    await runCommand('ip', ['link', 'set', hostVeth, 'up']);
    await inside('ip', ['addr', 'add', `${ip}/${prefix}`, 'dev', 'eth0']);
    await inside('ip', ['link', 'set', 'eth0', 'up']);
    await inside('ip', ['link', 'set', 'lo', 'up']);
    // a host forwards: pods behind the node's bridge reach the node's services and each other
    await inside('sysctl', ['-q', '-w', 'net.ipv4.ip_forward=1']);
  } catch (err) {
    await remove();
    throw err;
  }
  return {
    name,
    hostIP,
    ip,
    hostVeth,
    command: (argv) => ['nsenter', `--net=/run/netns/${name}`, '--', ...argv],
    exec: async (file, args) => (await inside(file, args)).stdout,
    remove,
  };
}

/** `subnet` is a /24 no other test uses, e.g. 10.238.254.0/24: .1 is the machine's bridge, hosts get .2, .3, … */
export async function createNetnsSegment(options: { subnet: string }): Promise<NetnsSegment> {
  const m = /^(\d+\.\d+\.\d+)\.0\/24$/.exec(options.subnet);
  if (!m) throw new Error(`createNetnsSegment: want an IPv4 /24, got ${options.subnet}`);
  const bridge = `k8tsb${randomBytes(3).toString('hex')}`;
  const hostIP = `${m[1]}.1`;
  const hosts: NetnsHost[] = [];
  const remove = async (): Promise<void> => {
    for (const h of hosts.splice(0)) await h.remove();
    await runCommand('ip', ['link', 'del', bridge]).catch(() => undefined);
  };
  try {
    await runCommand('ip', ['link', 'add', bridge, 'type', 'bridge']);
    await runCommand('ip', ['addr', 'add', `${hostIP}/24`, 'dev', bridge]);
    await runCommand('ip', ['link', 'set', bridge, 'up']);
  } catch (err) {
    await remove();
    throw err;
  }
  return {
    bridge,
    hostIP,
    hosts,
    addHost: async () => {
      const host = await namespaceHost(hostIP, `${m[1]}.${hosts.length + 2}`, 24, (veth) =>
        runCommand('ip', ['link', 'set', veth, 'master', bridge]).then(() => undefined),
      );
      hosts.push(host);
      return host;
    },
    remove,
  };
}

/** `subnet` is a /30 no other test uses, e.g. 10.250.255.0/30: .1 is the machine's side, .2 the namespace's. */
export async function createNetnsHost(options: { subnet: string }): Promise<NetnsHost> {
  const m = /^(\d+\.\d+\.\d+)\.(\d+)\/30$/.exec(options.subnet);
  if (!m) throw new Error(`createNetnsHost: want an IPv4 /30, got ${options.subnet}`);
  const base = Number(m[2]);
  const hostIP = `${m[1]}.${base + 1}`;
  return namespaceHost(hostIP, `${m[1]}.${base + 2}`, 30, async (veth) => {
    await runCommand('ip', ['addr', 'add', `${hostIP}/30`, 'dev', veth]);
  });
}
