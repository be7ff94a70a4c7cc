/**
 * The names in kube-proxy's nftables table, as upstream's nftables mode spells them: one table
 * `ip kube-proxy`; base chains named `<type>-<hook>`; the fixed regular chains, sets and verdict
 * maps (their nft types here too); and the per-service-port and per-endpoint chains and affinity
 * sets, named by a prefix and `HASH-namespace/name/protocol/portName` (…`__ip/port` for an
 * endpoint), HASH being the first 8 characters of the base32 of its sha256, so a name reads as
 * what it is and two similar ones still look different:
 *
 *   service-ULMVA6XW-default/web/tcp/http       cluster policy: every usable endpoint
 *   local-…  external-…  firewall-…             local policy, external traffic, source ranges
 *   endpoint-5OJB2KTY-default/web/tcp/http__10.244.0.5/8080   one endpoint: DNAT
 *   affinity-5OJB2KTY-…                         the clients stuck to one endpoint (ClientIP)
 */
import { chainHash } from '../iptables/chain-names.js';

export const TABLE = 'kube-proxy';
/** The family and table every command names. */
export const FAMILY_TABLE = `ip ${TABLE}`;

/** Regular chains the base chains jump to, and their helpers. */
export const SERVICES_CHAIN = 'services';
export const MASQUERADING_CHAIN = 'masquerading';
export const MARK_MASQ_CHAIN = 'mark-for-masquerade';
export const SERVICE_ENDPOINTS_CHECK_CHAIN = 'service-endpoints-check';
export const NODEPORT_ENDPOINTS_CHECK_CHAIN = 'nodeport-endpoints-check';
export const FIREWALL_CHECK_CHAIN = 'firewall-check';
export const CLUSTER_IPS_CHECK_CHAIN = 'cluster-ips-check';
export const REJECT_CHAIN = 'reject-chain';

/** The sets and verdict maps a service port puts elements in. */
export type Container =
  | 'cluster-ips'
  | 'service-ips'
  | 'service-nodeports'
  | 'no-endpoint-services'
  | 'no-endpoint-nodeports'
  | 'firewall-ips';

export interface ContainerSpec {
  kind: 'set' | 'map';
  type: string;
  comment: string;
}

const IP_PROTO_PORT = 'ipv4_addr . inet_proto . inet_service : verdict';
const PROTO_PORT = 'inet_proto . inet_service : verdict';

export const CONTAINERS: Readonly<Record<Container, ContainerSpec>> = {
  'cluster-ips': { kind: 'set', type: 'ipv4_addr', comment: 'Active ClusterIPs' },
  'service-ips': { kind: 'map', type: IP_PROTO_PORT, comment: 'ClusterIP, ExternalIP and LoadBalancer IP traffic' },
  'service-nodeports': { kind: 'map', type: PROTO_PORT, comment: 'NodePort traffic' },
  'no-endpoint-services': { kind: 'map', type: IP_PROTO_PORT, comment: 'vmap to drop or reject packets to services with no endpoints' },
  'no-endpoint-nodeports': {
    kind: 'map',
    type: PROTO_PORT,
    comment: 'vmap to drop or reject packets to service nodeports with no endpoints',
  },
  'firewall-ips': { kind: 'map', type: IP_PROTO_PORT, comment: 'destinations that are subject to LoadBalancerSourceRanges' },
};

export const CONTAINER_NAMES = Object.keys(CONTAINERS) as Container[];

/** nft names are at most 256 characters; prefixes take up to 16 (upstream's chainNameBaseLengthMax). */
const BASE_MAX = 256 - 16;

/** upstream's hashAndTruncate: `HASH-name`, cut (ending "...") past the longest base. */
export function hashAndTruncate(name: string): string {
  const out = `${chainHash(name).slice(0, 8)}-${name}`;
  return out.length > BASE_MAX ? `${out.slice(0, BASE_MAX - 3)}...` : out;
}

/** The chains of one service port (upstream's servicePortInfo chain names). */
export interface ServicePortChains {
  cluster: string;
  local: string;
  external: string;
  firewall: string;
}

interface PortName {
  namespace: string;
  name: string;
  portName: string;
  protocol: string;
}

const portBase = (p: PortName): string => `${p.namespace}/${p.name}/${p.protocol.toLowerCase()}/${p.portName}`;

export function servicePortChains(port: PortName): ServicePortChains {
  const base = hashAndTruncate(portBase(port));
  return { cluster: `service-${base}`, local: `local-${base}`, external: `external-${base}`, firewall: `firewall-${base}` };
}

/** An endpoint's chain and affinity set. */
export function endpointNames(port: PortName, ip: string, endpointPort: number): { chain: string; affinitySet: string } {
  const base = hashAndTruncate(`${portBase(port)}__${ip}/${endpointPort}`);
  return { chain: `endpoint-${base}`, affinitySet: `affinity-${base}` };
}

/** Whether a chain is a service port's or an endpoint's (only those names hold a "/"). */
export const isServiceChain = (chain: string): boolean => chain.includes('/');

export const isAffinitySet = (set: string): boolean => set.startsWith('affinity-');
