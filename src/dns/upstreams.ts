/**
 * The upstream resolvers of the node's DNS server: `--dns-upstream ip[:port],…` (IPv6 as
 * `[addr]:port`), by default the nameservers of the node's /etc/resolv.conf (the agent runs on
 * the host's network, so even a loopback resolver like systemd-resolved's 127.0.0.53 works).
 */
import { readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { HOST_RESOLV_CONF, parseResolvConf } from '../kubelet/dns.js';
import type { UpstreamAddress } from './forwarder.js';

function parseOne(entry: string): UpstreamAddress {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  const [host, port] = bracketed
    ? [bracketed[1] ?? '', bracketed[2]]
    : isIP(entry)
      ? [entry, undefined]
      : [entry.slice(0, entry.lastIndexOf(':')), entry.slice(entry.lastIndexOf(':') + 1)];
  const n = port === undefined ? 53 : Number(port);
  if (!isIP(host) || !Number.isInteger(n) || n < 1 || n > 65535) throw new Error(`--dns-upstream: want ip[:port], got "${entry}"`);
  return { host, port: n };
}

/** `--dns-upstream`: comma-separated `ip[:port]` (port 53 by default). */
export function parseDNSUpstreams(value: string): UpstreamAddress[] {
  const upstreams = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map(parseOne);
  if (upstreams.length === 0) throw new Error('--dns-upstream: want at least one ip[:port]');
  return upstreams;
}

/** The nameservers of the node's resolv.conf, port 53. */
export async function resolvConfUpstreams(file = HOST_RESOLV_CONF): Promise<UpstreamAddress[]> {
  const servers = parseResolvConf(await readFile(file, 'utf8').catch(() => '')).servers;
  return servers.filter((s) => isIP(s)).map((host) => ({ host, port: 53 }));
}
