/**
 * A test admission webhook: HTTPS on 127.0.0.1 (port 0) with a serving certificate from a CA
 * made for it, answering AdmissionReviews with the handler's response. Unit and e2e tests share it.
 */
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createCertificateAuthority, issueServerCertificate } from '../../../../pki/index.js';

export type ReviewHandler = (
  review: { apiVersion: string; request: Record<string, unknown> },
  path: string,
) => Record<string, unknown> | Promise<Record<string, unknown>>;

export interface TestWebhookServer {
  /** https://127.0.0.1:<port> */
  readonly url: string;
  readonly port: number;
  /** The CA's certificate, base64 (a clientConfig.caBundle). */
  readonly caBundle: string;
  /** Every review received, in order. */
  readonly reviews: { apiVersion: string; request: Record<string, unknown>; path: string }[];
  handler: ReviewHandler;
  close(): Promise<void>;
}

export interface TestWebhookServerOptions {
  handler: ReviewHandler;
  /** DNS names the certificate covers besides 127.0.0.1 (e.g. `<svc>.<ns>.svc`). */
  dnsNames?: string[];
}

/** The response part of an AdmissionReview for `request`. */
export function allow(request: Record<string, unknown>, more: Record<string, unknown> = {}): Record<string, unknown> {
  return { uid: request['uid'], allowed: true, ...more };
}

export async function startTestWebhookServer(options: TestWebhookServerOptions): Promise<TestWebhookServer> {
  const ca = await createCertificateAuthority({ commonName: 'k8ts-test-webhook-ca' });
  const serving = await issueServerCertificate(ca, {
    commonName: 'k8ts-test-webhook',
    ipAddresses: ['127.0.0.1'],
    dnsNames: options.dnsNames ?? [],
  });
  const reviews: TestWebhookServer['reviews'] = [];
  const state = { handler: options.handler };
  const server: Server = createServer({ cert: serving.certPem, key: serving.keyPem }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      try {
        const review = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { apiVersion: string; request: Record<string, unknown> };
        const path = req.url ?? '/';
        reviews.push({ ...review, path });
        const response = await state.handler(review, path);
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ apiVersion: review.apiVersion, kind: 'AdmissionReview', response }));
      } catch (err) {
        res.writeHead(500);
        res.end(String(err));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `https://127.0.0.1:${port}`,
    port,
    caBundle: Buffer.from(ca.certPem).toString('base64'),
    reviews,
    get handler() {
      return state.handler;
    },
    set handler(h: ReviewHandler) {
      state.handler = h;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
