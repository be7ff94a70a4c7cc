/**
 * The gRPC prober (pkg/probe/grpc): grpc.health.v1.Health/Check of a service over plaintext
 * gRPC, success when the answer is SERVING; every failure's output is worded as upstream's. The
 * two health messages are encoded by hand (one string field, one enum field).
 */
import { Client, credentials, type ServiceError, status } from '@grpc/grpc-js';
import { joinHostPort } from './go-errors.js';
import { PROBE_USER_AGENT } from './http.js';
import type { ActionOutcome } from './interface.js';

const SERVING_STATUS = ['UNKNOWN', 'SERVING', 'NOT_SERVING', 'SERVICE_UNKNOWN'];

/** HealthCheckRequest{service = 1}. */
export function encodeHealthCheckRequest(service: string): Buffer {
  const bytes = Buffer.from(service);
  if (bytes.length === 0) return Buffer.alloc(0);
  const len: number[] = [];
  for (let n = bytes.length; ; n >>>= 7) {
    if (n < 0x80) {
      len.push(n);
      break;
    }
    len.push((n & 0x7f) | 0x80);
  }
  return Buffer.concat([Buffer.from([0x0a, ...len]), bytes]);
}

/** HealthCheckResponse{status = 1}: the status number (0 when absent). */
export function decodeHealthCheckResponse(buf: Buffer): number {
  let i = 0;
  let value = 0;
  while (i < buf.length) {
    const tag = buf[i++] as number;
    if (tag === 0x08) {
      value = 0;
      for (let shift = 0; i < buf.length; shift += 7) {
        const b = buf[i++] as number;
        value |= (b & 0x7f) << shift;
        if (b < 0x80) break;
      }
    } else {
      return value; // nothing else is expected in this message
    }
  }
  return value;
}

/** A gRPC code as Go's codes.Code.String() names it: DEADLINE_EXCEEDED → DeadlineExceeded. */
function goCodeName(code: status): string {
  return (status[code] ?? String(code)).toLowerCase().replace(/(^|_)([a-z])/g, (_, _sep: string, c: string) => c.toUpperCase());
}

function goDuration(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

export function grpcProbe(host: string, port: number, service: string, timeoutMs: number): Promise<ActionOutcome> {
  const addr = joinHostPort(host, port);
  const deadline = Date.now() + timeoutMs;
  const client = new Client(addr, credentials.createInsecure(), { 'grpc.primary_user_agent': PROBE_USER_AGENT });
  return new Promise<ActionOutcome>((resolve) => {
    client.waitForReady(deadline, (err) => {
      if (err) {
        resolve({
          result: 'Failure',
          output: `timeout: failed to connect service "${addr}" within ${goDuration(timeoutMs)}: context deadline exceeded`,
        });
        return;
      }
      client.makeUnaryRequest(
        '/grpc.health.v1.Health/Check',
        (req: string) => encodeHealthCheckRequest(req),
        decodeHealthCheckResponse,
        service,
        { deadline },
        (callErr: ServiceError | null, value?: number) => {
          if (callErr) {
            if (callErr.code === status.UNIMPLEMENTED) {
              resolve({
                result: 'Failure',
                output: `error: this server does not implement the grpc health protocol (grpc.health.v1.Health): ${callErr.details}`,
              });
            } else if (callErr.code === status.DEADLINE_EXCEEDED) {
              resolve({ result: 'Failure', output: `timeout: health rpc did not complete within ${goDuration(timeoutMs)}` });
            } else {
              resolve({
                result: 'Failure',
                output: `error: health rpc probe failed: rpc error: code = ${goCodeName(callErr.code)} desc = ${callErr.details}`,
              });
            }
            return;
          }
          const s = value ?? 0;
          if (s !== 1) resolve({ result: 'Failure', output: `service unhealthy (responded with "${SERVING_STATUS[s] ?? String(s)}")` });
          else resolve({ result: 'Success', output: 'service healthy' });
        },
      );
    });
  }).finally(() => client.close());
}
