import assert from 'node:assert/strict';
import { createServer as createHttpServer, request as httpRequest, type Server } from 'node:http';
import { createServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { after, before, describe, it } from 'node:test';
import { createCertificateAuthority } from '../../pki/ca.js';
import { issueClientCertificate, issueServerCertificate } from '../../pki/certs.js';
import { sendError } from '../http/respond.js';
import { type KubeletClientConfig, kubeletEndpoint } from './kubelet-connection.js';
import { proxyToKubelet, proxyUpgradeToKubelet, sendStatusOnSocket } from './kubelet-proxy.js';

function listen(server: Server | HttpsServer): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

describe('apiserver → kubelet proxy', () => {
  let kubelet: HttpsServer;
  let front: Server;
  let frontPort = 0;
  const seen: { host?: string; authorization?: string; user?: string } = {};

  before(async () => {
    const ca = await createCertificateAuthority();
    const serving = await issueServerCertificate(ca, { commonName: 'kubelet', ipAddresses: ['127.0.0.1'] });
    const clientCert = await issueClientCertificate(ca, { user: 'kube-apiserver-kubelet-client', groups: ['system:masters'] });
    kubelet = createServer(
      { cert: serving.certPem, key: serving.keyPem, ca: ca.certPem, requestCert: true, rejectUnauthorized: true },
      (req, res) => {
        seen.host = req.headers.host;
        seen.authorization = req.headers.authorization;
        seen.user = String((req.socket as TLSSocket).getPeerCertificate().subject?.CN);
        if (req.url?.startsWith('/bad')) {
          res.writeHead(400, { 'Content-Type': 'text/plain' });
          res.end('container "c" in pod "p" is waiting to start: ContainerCreating');
          return;
        }
        res.writeHead(200, { 'Content-Type': 'text/x-kubelet' });
        res.end(`you asked for ${req.url}`);
      },
    );
    kubelet.on('upgrade', (req, socket, head) => {
      socket.write('HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: test\r\n\r\n');
      socket.write(`upgraded ${req.url} `);
      socket.write(head);
      socket.pipe(socket);
    });
    const kubeletPort = await listen(kubelet);
    const node = {
      metadata: { name: 'n1' },
      status: {
        addresses: [
          { type: 'InternalIP', address: '127.0.0.1' },
          { type: 'Hostname', address: 'k8ts-no-such-host.invalid' },
        ],
        daemonEndpoints: { kubeletEndpoint: { Port: kubeletPort } },
      },
    };
    const client: KubeletClientConfig = { cert: clientCert.certPem, key: clientCert.keyPem, node: () => node };
    const endpoint = kubeletEndpoint(node);
    front = createHttpServer((req, res) => {
      proxyToKubelet(
        { endpoint, client, path: req.url ?? '/', req, resource: 'pods/log', name: 'p', contentType: 'text/plain' },
        res,
      ).catch((err) => sendError(res, err));
    });
    front.on('upgrade', (req, socket, head) => {
      proxyUpgradeToKubelet({ endpoint, client, path: req.url ?? '/', req, resource: 'pods/exec', name: 'p' }, { socket, head }).catch(
        (err) => sendStatusOnSocket(socket, err),
      );
    });
    frontPort = await listen(front);
  });
  after(() => {
    front.close();
    kubelet.close();
  });

  it('orders the node’s addresses by preference and reads the kubelet port', () => {
    const e = kubeletEndpoint({
      metadata: { name: 'n' },
      status: {
        addresses: [
          { type: 'ExternalIP', address: '1.2.3.4' },
          { type: 'InternalIP', address: '10.0.0.1' },
          { type: 'Hostname', address: 'n' },
        ],
      },
    });
    assert.deepEqual(e, { nodeName: 'n', hosts: ['n', '10.0.0.1', '1.2.3.4'], port: 10250 });
  });

  const fetchFront = (path: string, headers: Record<string, string> = {}) =>
    new Promise<{ code: number; type: string; body: string }>((resolve, reject) => {
      httpRequest({ host: '127.0.0.1', port: frontPort, path, headers }, (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ code: res.statusCode ?? 0, type: String(res.headers['content-type']), body }));
      })
        .on('error', reject)
        .end();
    });

  it('streams the answer with the kubelet-client certificate, past a name that does not resolve', async () => {
    const r = await fetchFront('/containerLogs/ns/p/c?follow=true', { authorization: 'Bearer secret' });
    assert.deepEqual(r, { code: 200, type: 'text/plain', body: 'you asked for /containerLogs/ns/p/c?follow=true' });
    assert.equal(seen.user, 'kube-apiserver-kubelet-client');
    assert.equal(seen.authorization, undefined, 'the caller’s credentials stay with the apiserver');
    assert.match(seen.host ?? '', /^n1:\d+$/);
  });

  it('turns a kubelet error into a Status', async () => {
    const r = await fetchFront('/bad');
    assert.equal(r.code, 400);
    assert.deepEqual(JSON.parse(r.body), {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      code: 400,
      reason: 'BadRequest',
      message: 'container "c" in pod "p" is waiting to start: ContainerCreating',
    });
  });

  it('pipes an Upgrade both ways untouched', async () => {
    const socket = connect(frontPort, '127.0.0.1');
    socket.write('POST /exec/ns/p/c?command=sh HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: test\r\n\r\nfirst ');
    let got = '';
    await new Promise<void>((resolve) => {
      socket.on('data', (d: Buffer) => {
        got += d.toString();
        if (got.endsWith('first ')) socket.write('second');
        if (got.endsWith('second')) resolve();
      });
    });
    socket.destroy();
    assert.match(got, /^HTTP\/1.1 101 Switching Protocols\r\n[\s\S]*\r\n\r\nupgraded \/exec\/ns\/p\/c\?command=sh first second$/);
  });
});
