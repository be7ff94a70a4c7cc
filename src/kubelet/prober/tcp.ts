/** The TCP prober (pkg/probe/tcp): success once a connection opens within the timeout; closed at once. */
import { connect } from 'node:net';
import { goDialError, goDialTimeout, joinHostPort } from './go-errors.js';
import type { ActionOutcome } from './interface.js';

export function tcpProbe(host: string, port: number, timeoutMs: number): Promise<ActionOutcome> {
  const addr = joinHostPort(host, port);
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const timer = setTimeout(
      () => {
        socket.destroy();
        resolve({ result: 'Failure', output: goDialTimeout(addr) });
      },
      Math.max(1, timeoutMs),
    );
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ result: 'Success', output: '' });
    });
    socket.once('error', (err) => {
      clearTimeout(timer);
      resolve({ result: 'Failure', output: goDialError(err, addr) });
    });
  });
}
