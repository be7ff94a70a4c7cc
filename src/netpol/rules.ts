/**
 * The filter-table chains that enforce NetworkPolicies for this node's pods (kube-router's
 * layout, computed from scratch on every sync):
 *
 *   FORWARD → KUBE-ROUTER-FORWARD: replies (conntrack RELATED,ESTABLISHED) return at once; then
 *     for each isolated pod of this node `-d podIP` (ingress) / `-s podIP` (egress) jump to
 *   KUBE-POD-FW-<hash>: traffic of a pod with itself and with its node returns (always allowed);
 *     for each isolated direction, a jump to KUBE-NWPLCY-<hash> of every policy that selects the
 *     pod for that direction, then REJECT unless one of them set the mark 0x10000, then the mark
 *     is cleared (so a packet between two pods of this node passes the sender's egress and the
 *     receiver's ingress checks in turn);
 *   KUBE-NWPLCY-<hash>: one direction of one policy: each rule's peers × ports set the mark.
 *
 * Nothing is ACCEPTed: allowed traffic goes on through FORWARD as if there were no policy.
 *
 *   networkPolicyChains(inputs: PolicyInputs): FilterChains
 */
import { FORWARD_CHAIN, podFirewallChainName, policyChainName } from './chain-names.js';
import type { FilterChains, PolicyInputs, PolicyPod } from './interface.js';
import {
  type Direction,
  type ParsedPolicy,
  type PolicyPort,
  type PolicyRule,
  parsePolicy,
  policyRules,
  resolveNamedPort,
  selects,
} from './peers.js';

/** The mark a policy chain sets on traffic one of its rules allows (kube-router's). */
export const ALLOWED_MARK = '0x10000/0x10000';
const SET_ALLOWED = `-j MARK --set-xmark ${ALLOWED_MARK}`;

/** Where a rule's match sends or takes traffic: an address (or block) and, for named ports, the pod it is on. */
interface Endpoint {
  addr?: string;
  pod?: PolicyPod;
}

const byKey = <T extends { namespace: string; name: string }>(a: T, b: T): number =>
  `${a.namespace}/${a.name}` < `${b.namespace}/${b.name}` ? -1 : `${a.namespace}/${a.name}` > `${b.namespace}/${b.name}` ? 1 : 0;

const joinMatches = (...parts: string[]): string => parts.filter(Boolean).join(' ');

/** A rule's peers as endpoints: undefined peers is anyone (one endpoint without an address). */
function peerEndpoints(rule: PolicyRule): Endpoint[] {
  if (!rule.peers) return [{}];
  return rule.peers.flatMap((peer) =>
    'cidrs' in peer ? peer.cidrs.map((addr) => ({ addr })) : peer.pods.flatMap((pod) => pod.ips.map((addr) => ({ addr, pod }))),
  );
}

function portMatch(protocol: string, dport?: number | string): string {
  return `-p ${protocol.toLowerCase()}${dport === undefined ? '' : ` -m ${protocol.toLowerCase()} --dport ${dport}`}`;
}

/** A numbered port (or range, or protocol only) as a match; undefined for a named port. */
function numberedPort(port: PolicyPort): string | undefined {
  if (typeof port.port === 'string') return undefined;
  const dport = port.port === undefined ? undefined : port.endPort !== undefined ? `${port.port}:${port.endPort}` : port.port;
  return portMatch(port.protocol, dport);
}

/** The named port on each address of each pod: `-d podIP -p proto --dport N`. */
function namedPortOn(pods: readonly PolicyPod[], port: PolicyPort): string[] {
  return pods.flatMap((pod) =>
    resolveNamedPort(pod, String(port.port), port.protocol).flatMap((n) => pod.ips.map((ip) => `-d ${ip} ${portMatch(port.protocol, n)}`)),
  );
}

/** Ingress: peers are sources; a named port is the selected pod's (the destination). */
function ingressMatches(rule: PolicyRule, targets: readonly PolicyPod[]): string[] {
  const sources = peerEndpoints(rule).map((e) => (e.addr ? `-s ${e.addr}` : ''));
  const ports = rule.ports ? rule.ports.flatMap((p) => numberedPort(p) ?? namedPortOn(targets, p)) : [''];
  return sources.flatMap((s) => ports.map((p) => joinMatches(s, p)));
}

/** Egress: peers are destinations; a named port is the peer pod's (anyone: every pod's). */
function egressMatches(rule: PolicyRule, pods: readonly PolicyPod[]): string[] {
  return peerEndpoints(rule).flatMap((e) => {
    const dest = e.addr ? `-d ${e.addr}` : '';
    if (!rule.ports) return [dest];
    return rule.ports.flatMap((p) => {
      const numbered = numberedPort(p);
      if (numbered !== undefined) return [joinMatches(dest, numbered)];
      // a named port is a pod's: an address block has none
      if (!e.addr) return namedPortOn(pods, p);
      const port = String(p.port);
      return e.pod ? resolveNamedPort(e.pod, port, p.protocol).map((n) => joinMatches(dest, portMatch(p.protocol, n))) : [];
    });
  });
}

/** The rules of one direction of one policy's chain. */
function policyChain(policy: ParsedPolicy, direction: Direction, targets: readonly PolicyPod[], inputs: PolicyInputs): string[] {
  const rules = policyRules(policy, direction, inputs);
  const matches = rules.flatMap((rule) => (direction === 'ingress' ? ingressMatches(rule, targets) : egressMatches(rule, inputs.pods)));
  return [...new Set(matches.map((m) => joinMatches(m, SET_ALLOWED)))];
}

/** One isolated direction of a pod's firewall chain. */
function podDirection(pod: PolicyPod, ip: string, direction: Direction, chains: readonly string[]): string[] {
  const self = direction === 'ingress' ? `-d ${ip}` : `-s ${ip}`;
  const node = direction === 'ingress' ? '--src-type LOCAL' : '--dst-type LOCAL';
  const comment = `-m comment --comment "${direction === 'ingress' ? 'to' : 'from'} ${pod.namespace}/${pod.name}"`;
  return [
    `${self} -m addrtype ${node} -j RETURN`,
    ...chains.map((chain) => `${self} -j ${chain}`),
    `${self} ${comment} -m mark ! --mark ${ALLOWED_MARK} -j REJECT --reject-with icmp-port-unreachable`,
    `${self} -j MARK --set-xmark 0x0/0x10000`,
  ];
}

export function networkPolicyChains(inputs: PolicyInputs): FilterChains {
  const policies = inputs.policies.map(parsePolicy).sort(byKey);
  const local = inputs.pods.filter((p) => p.nodeName === inputs.nodeName).sort(byKey);
  const forward = ['-m conntrack --ctstate RELATED,ESTABLISHED -j RETURN'];
  const podChains = new Map<string, string[]>();
  /** Policy chains wanted, with the local pods each direction selects (named ports resolve on them). */
  const wanted = new Map<string, { policy: ParsedPolicy; direction: Direction; targets: PolicyPod[] }>();
  for (const pod of local) {
    const chainsOf = (direction: Direction): string[] =>
      policies
        .filter((p) => p.types.has(direction) && selects(p, pod))
        .map((policy) => {
          const chain = policyChainName(policy.namespace, policy.name, direction);
          const entry = wanted.get(chain) ?? { policy, direction, targets: [] };
          entry.targets.push(pod);
          wanted.set(chain, entry);
          return chain;
        });
    const ingress = chainsOf('ingress');
    const egress = chainsOf('egress');
    if (ingress.length === 0 && egress.length === 0) continue;
    const chain = podFirewallChainName(pod.namespace, pod.name);
    const rules: string[] = [];
    for (const ip of pod.ips) {
      rules.push(`-s ${ip} -d ${ip} -j RETURN`);
      if (ingress.length > 0) {
        forward.push(`-d ${ip} -j ${chain}`);
        rules.push(...podDirection(pod, ip, 'ingress', ingress));
      }
      if (egress.length > 0) {
        forward.push(`-s ${ip} -j ${chain}`);
        rules.push(...podDirection(pod, ip, 'egress', egress));
      }
    }
    podChains.set(chain, rules);
  }
  const result = new Map<string, string[]>([[FORWARD_CHAIN, forward], ...podChains]);
  for (const [chain, { policy, direction, targets }] of [...wanted].sort(([a], [b]) => (a < b ? -1 : 1))) {
    result.set(chain, policyChain(policy, direction, targets, inputs));
  }
  return result;
}
