/**
 * Cluster DNS' contracts: the cluster zone (what CoreDNS' kubernetes plugin answers, built from
 * the Service and EndpointSlice informers) and the upstream resolvers everything else goes to.
 * The DNS server (dns-server.ts) asks the zone first and forwards what it does not own.
 */
import type { Answer, DecodedPacket, Question } from 'dns-packet';

/** The response codes the cluster zone and the server give (RFC 1035 / 2136 numbers in rcodeNumber). */
export type Rcode = 'NOERROR' | 'FORMERR' | 'SERVFAIL' | 'NXDOMAIN' | 'NOTIMP' | 'REFUSED';

export const rcodeNumber: Record<Rcode, number> = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 };

/** An authoritative answer of the cluster zone. */
export interface ZoneAnswer {
  rcode: 'NOERROR' | 'NXDOMAIN';
  answers: Answer[];
  /** The zone's SOA on NXDOMAIN and NODATA (negative caching, RFC 2308). */
  authorities: Answer[];
  /** A/AAAA of SRV targets. */
  additionals: Answer[];
}

/** The names a cluster serves: `<domain>` and the reverse zones of its service and endpoint IPs. */
export interface ClusterZone {
  /** The cluster domain, lowercase, without the trailing dot (cluster.local). */
  readonly domain: string;
  /** Changes whenever an answer may have changed (the server keeps encoded answers until then). */
  readonly generation: number;
  /**
   * The zone's answer to one question, or undefined when the name is not the zone's (outside
   * the domain, or a reverse name of an address no Service or endpoint has): then it is forwarded.
   */
  answer(question: Question): ZoneAnswer | undefined;
}

/** Where names outside the cluster go. */
export interface Upstream {
  /**
   * Resolves `query` at the upstream resolvers (or from the cache): the response with the
   * query's id. Rejects when no upstream answered in time.
   */
  resolve(query: DecodedPacket, signal?: AbortSignal): Promise<Buffer>;
}
