/**
 * For tests and benchmarks: one DNS query over UDP or TCP to a server, bounded by a timeout,
 * and the decoded answer.
 */
import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import dnsPacket, { type DecodedPacket, type Packet } from 'dns-packet';

/** Sends `query` over UDP and resolves with the decoded answer (rejects after `timeoutMs`). */
export function queryUDP(host: string, port: number, query: Packet, timeoutMs = 5000): Promise<DecodedPacket> {
  return new Promise((resolve, reject) => {
    const socket = createSocket(host.includes(':') ? 'udp6' : 'udp4');
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error(`no UDP answer from ${host}:${port} in ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on('message', (message) => {
      clearTimeout(timer);
      socket.close();
      resolve(dnsPacket.decode(message));
    });
    socket.send(dnsPacket.encode(query), port, host);
  });
}

/** Sends `query` over TCP (length-prefixed) and resolves with the decoded answer. */
export function queryTCP(host: string, port: number, query: Packet, timeoutMs = 5000): Promise<DecodedPacket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    const timer = setTimeout(() => socket.destroy(new Error(`no TCP answer from ${host}:${port} in ${timeoutMs} ms`)), timeoutMs);
    let buffered = Buffer.alloc(0);
    socket.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    socket.on('connect', () => socket.write(dnsPacket.streamEncode(query)));
    socket.on('data', (chunk) => {
      buffered = Buffer.concat([buffered, chunk]);
      if (buffered.length < 2 || buffered.length < 2 + buffered.readUInt16BE(0)) return;
      clearTimeout(timer);
      socket.destroy();
      resolve(dnsPacket.decode(buffered.subarray(2, 2 + buffered.readUInt16BE(0))));
    });
  });
}
