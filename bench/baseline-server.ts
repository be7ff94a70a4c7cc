/**
 * The baseline: a bare node:https server with the k8ts apiserver's own key and certificate
 * (same key type, same client-certificate request), run as a separate process. POST echoes the
 * JSON body back with the fields an apiserver adds (uid, resourceVersion, creationTimestamp) as
 * 201; GET returns the last object created (or a fixed ConfigMap) as 200.
 *
 * Usage: node --import tsx bench/baseline-server.ts KEY CERT CA   (prints "baseline ready: PORT")
 */
import { createServer } from 'node:https';
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';

const [keyFile, certFile, caFile] = process.argv.slice(2);
if (!keyFile || !certFile || !caFile) {
  console.error('usage: baseline-server.ts KEY CERT CA');
  process.exit(2);
}

let revision = 1;
let last = JSON.stringify({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'baseline', namespace: 'bench', resourceVersion: '1' },
  data: { key: 'value' },
});

function send(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

const server = createServer(
  { key: readFileSync(keyFile), cert: readFileSync(certFile), ca: readFileSync(caFile), requestCert: true, rejectUnauthorized: false },
  (req, res) => {
    if (req.method !== 'POST') {
      send(res, 200, last);
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        const obj = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { metadata?: Record<string, unknown> };
        obj.metadata = {
          ...obj.metadata,
          uid: randomUUID(),
          resourceVersion: String(++revision),
          creationTimestamp: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
        };
        last = JSON.stringify(obj);
        send(res, 201, last);
      } catch {
        send(res, 400, '{"kind":"Status","status":"Failure","code":400}');
      }
    });
  },
);
server.keepAliveTimeout = 65_000;
server.headersTimeout = 66_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  console.log(`baseline ready: ${typeof address === 'object' && address ? address.port : 0}`);
});
const shutdown = (): void => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
  setTimeout(() => process.exit(0), 1000).unref();
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
