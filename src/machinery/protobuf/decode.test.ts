/**
 * Decoding hand-built wire bytes (independent of our encoder) and hostile input: every malformed
 * body is a 400 BadRequest StatusError, never a crash.
 */
import { describe, it } from 'node:test';
import '../../api/all-types.js';
import assert from 'node:assert/strict';
import { isStatusError, type StatusError } from '../errors.js';
import { decodeMessage, decodeProtobufObject, encodeProtobufObject, encodeUnknown, ProtobufWireError } from './index.js';
import { WIRE_FIXED32, WIRE_VARINT, WireWriter } from './wire.js';

const CORE = 'io.k8s.api.core.v1';
const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';

function badRequest(fn: () => unknown): StatusError {
  try {
    fn();
  } catch (err) {
    assert.ok(isStatusError(err, 'BadRequest'), `want BadRequest, got ${String(err)}`);
    assert.equal(err.code, 400);
    return err;
  }
  assert.fail('no error thrown');
}

const msg = (build: (w: WireWriter) => void): Buffer => {
  const w = new WireWriter();
  build(w);
  return w.finish();
};

describe('decodeProtobufObject errors', () => {
  const cases: { name: string; body: Buffer; message: string | RegExp }[] = [
    { name: 'empty', body: Buffer.alloc(0), message: 'empty data' },
    {
      name: 'JSON instead',
      body: Buffer.from('{"kind":"ConfigMap"}'),
      message: 'provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]',
    },
    { name: 'magic only', body: Buffer.from('k8s\0', 'latin1'), message: 'empty body' },
    {
      name: 'unknown kind',
      body: encodeUnknown({ apiVersion: 'v1', kind: 'Widget', raw: new Uint8Array() }),
      message: 'no kind "Widget" is registered for version "v1" in scheme "pkg/api/legacyscheme/scheme.go:30"',
    },
    {
      name: 'unknown version',
      body: encodeUnknown({ apiVersion: 'apps/v9', kind: 'Deployment', raw: new Uint8Array() }),
      message: 'no kind "Deployment" is registered for version "apps/v9" in scheme "pkg/api/legacyscheme/scheme.go:30"',
    },
    {
      name: 'no kind',
      body: encodeUnknown({ apiVersion: 'v1', kind: '', raw: new Uint8Array() }),
      message: `Object 'Kind' is missing in 'runtime.TypeMeta{APIVersion:"v1", Kind:""}'`,
    },
    {
      name: 'no apiVersion',
      body: encodeUnknown({ apiVersion: '', kind: 'Pod', raw: new Uint8Array() }),
      message: `Object 'apiVersion' is missing in 'runtime.TypeMeta{APIVersion:"", Kind:"Pod"}'`,
    },
    { name: 'truncated envelope', body: Buffer.from([0x6b, 0x38, 0x73, 0x00, 0x0a, 0x10, 0x0a]), message: 'unexpected EOF' },
    {
      name: 'varint overflow',
      body: Buffer.from([0x6b, 0x38, 0x73, 0x00, ...Array<number>(11).fill(0xff)]),
      message: 'proto: integer overflow',
    },
    {
      name: 'wrong wire type for a field',
      body: encodeUnknown({ apiVersion: 'v1', kind: 'ConfigMap', raw: msg((w) => w.varintField(1, 5)) }),
      message: 'proto: wrong wireType = 0 for field Metadata',
    },
    {
      name: 'illegal wire type',
      body: encodeUnknown({ apiVersion: 'v1', kind: 'ConfigMap', raw: Uint8Array.of((9 << 3) | 7) }),
      message: 'proto: illegal wireType 7',
    },
    {
      name: 'invalid JSON in a RawExtension',
      body: encodeUnknown({
        apiVersion: 'apps/v1',
        kind: 'ControllerRevision',
        raw: msg((w) =>
          w.bytesField(
            2,
            msg((d) => d.stringField(1, '{nope')),
          ),
        ),
      }),
      message: /^RawExtension: /,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const err = badRequest(() => decodeProtobufObject(c.body));
      if (typeof c.message === 'string') assert.equal(err.message, c.message);
      else assert.match(err.message, c.message);
    });
  }

  const valid = encodeProtobufObject({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'd', namespace: 'default', labels: { app: 'd' }, creationTimestamp: null },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'd' } },
      template: {
        metadata: { labels: { app: 'd' } },
        spec: { containers: [{ name: 'c', image: 'nginx', ports: [{ containerPort: 80 }], resources: { limits: { cpu: '1' } } }] },
      },
      strategy: { rollingUpdate: { maxSurge: '25%', maxUnavailable: 1 } },
    },
  });

  it('never crashes on a truncated body', () => {
    for (let n = 0; n < valid.length; n++) {
      try {
        decodeProtobufObject(valid.subarray(0, n));
      } catch (err) {
        assert.ok(isStatusError(err, 'BadRequest'), `length ${n}: ${String(err)}`);
      }
    }
  });

  it('never crashes on corrupted bytes', () => {
    let seed = 42;
    const random = (): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    for (let round = 0; round < 3000; round++) {
      const body = Buffer.from(valid);
      for (let flips = 1 + Math.floor(random() * 4); flips > 0; flips--) {
        body[4 + Math.floor(random() * (body.length - 4))] = Math.floor(random() * 256);
      }
      try {
        decodeProtobufObject(body);
      } catch (err) {
        assert.ok(isStatusError(err, 'BadRequest'), `round ${round}: ${String(err)}`);
      }
    }
  });

  it('rejects nesting deeper than any real object', () => {
    let schema: Buffer = Buffer.alloc(0);
    for (let i = 0; i < 200; i++) schema = msg((w) => w.bytesField(28, schema)); // JSONSchemaProps.not
    assert.throws(
      () => decodeMessage(schema, 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps'),
      ProtobufWireError,
    );
  });
});

describe('decodeMessage wire forms', () => {
  it('reads repeated scalars both packed and unpacked', () => {
    const packed = msg((d) => d.varint(1).varint(-2).varint(300));
    const bytes = msg((w) => w.bytesField(4, packed).varintField(4, 7));
    assert.deepEqual(decodeMessage(bytes, `${CORE}.PodSecurityContext`), { supplementalGroups: [1, -2, 300, 7] });
  });

  it('skips unknown fields of every wire type', () => {
    const bytes = msg((w) => {
      w.varintField(900, 1).bytesField(901, Buffer.from('x')).doubleField(902, 1.5);
      w.tag(903, WIRE_FIXED32).varint(0); // fixed32 needs 4 bytes: 1 here + 3 below
      w.bytesField(1, Buffer.from('name'));
    });
    // Rebuild with a well-formed fixed32 payload.
    const fixed = Buffer.concat([
      bytes.subarray(0, bytes.indexOf(0x0a, 10)),
      Buffer.from([0, 0, 0]),
      bytes.subarray(bytes.indexOf(0x0a, 10)),
    ]);
    assert.deepEqual(decodeMessage(fixed, `${META}.ObjectMeta`), { name: 'name' });
  });

  it('merges a message field that appears twice, last scalar wins', () => {
    const bytes = msg((w) => {
      w.bytesField(
        1,
        msg((m) => m.stringField(1, 'a').stringField(3, 'ns')),
      );
      w.bytesField(
        1,
        msg((m) => m.stringField(1, 'b')),
      );
    });
    assert.deepEqual(decodeMessage(bytes, `${CORE}.ConfigMap`), { metadata: { name: 'b', namespace: 'ns' } });
  });

  it('reads negative int32 and int64, doubles and booleans', () => {
    const sc = msg((w) =>
      w
        .varintField(4, -(2n ** 40n))
        .tag(5, WIRE_VARINT)
        .varint(1),
    );
    assert.deepEqual(decodeMessage(sc, `${CORE}.SecurityContext`), { runAsUser: -(2 ** 40), runAsNonRoot: true });
    const prio = msg((w) => w.varintField(2, -7));
    assert.deepEqual(decodeMessage(prio, 'io.k8s.api.scheduling.v1.PriorityClass'), { value: -7 });
  });

  it('renders well-known messages as their JSON forms', () => {
    const ts = (s: bigint, n: number): Buffer => msg((t) => t.varintField(1, s).varintField(2, n));
    const lease = msg((w) => {
      w.varintField(2, 15);
      w.bytesField(3, ts(1704067200n, 987654321)); // acquireTime (microtime)
      w.bytesField(4, ts(1704067201n, 0)); // renewTime
    });
    assert.deepEqual(decodeMessage(lease, 'io.k8s.api.coordination.v1.LeaseSpec'), {
      leaseDurationSeconds: 15,
      acquireTime: '2024-01-01T00:00:00.987654Z',
      renewTime: '2024-01-01T00:00:01.000000Z',
    });
    const meta = msg((w) => {
      w.bytesField(8, ts(1704067200n, 999_000_000)); // creationTimestamp: nanos are not shown
      w.bytesField(9, ts(-62135596800n, 0)); // deletionTimestamp: Go's zero time is null
    });
    assert.deepEqual(decodeMessage(meta, `${META}.ObjectMeta`), { creationTimestamp: '2024-01-01T00:00:00Z', deletionTimestamp: null });
    const intOrString = (t: number, i: number, s: string): Buffer => msg((m) => m.varintField(1, t).varintField(2, i).stringField(3, s));
    const port = msg((w) => w.varintField(3, 80).bytesField(4, intOrString(1, 0, 'http')));
    assert.deepEqual(decodeMessage(port, `${CORE}.ServicePort`), { port: 80, targetPort: 'http' });
    const port2 = msg((w) => w.varintField(3, 80).bytesField(4, intOrString(0, 8080, '')));
    assert.deepEqual(decodeMessage(port2, `${CORE}.ServicePort`), { port: 80, targetPort: 8080 });
    const managed = msg((w) =>
      w.stringField(1, 'kubectl').bytesField(
        7,
        msg((f) => f.stringField(1, '{"f:data":{".":{}}}')),
      ),
    );
    assert.deepEqual(decodeMessage(managed, `${META}.ManagedFieldsEntry`), { manager: 'kubectl', fieldsV1: { 'f:data': { '.': {} } } });
    const pdb = msg((w) => w.bytesField(1, intOrString(1, 0, '50%')));
    assert.deepEqual(decodeMessage(pdb, 'io.k8s.api.policy.v1.PodDisruptionBudgetSpec'), { minAvailable: '50%' });
  });

  it('merges embedded messages into the outer object', () => {
    // Volume{name=1, volumeSource=2{configMap=19{localObjectReference=1{name=1}, defaultMode=3}}}
    const cm = msg((c) =>
      c
        .bytesField(
          1,
          msg((l) => l.stringField(1, 'cfg')),
        )
        .varintField(3, 420),
    );
    const volume = msg((w) =>
      w.stringField(1, 'v').bytesField(
        2,
        msg((s) => s.bytesField(19, cm)),
      ),
    );
    assert.deepEqual(decodeMessage(volume, `${CORE}.Volume`), { name: 'v', configMap: { name: 'cfg', defaultMode: 420 } });
    // Probe{handler=1{exec=1{command=1}}, periodSeconds=4}
    const probe = msg((w) =>
      w
        .bytesField(
          1,
          msg((h) =>
            h.bytesField(
              1,
              msg((e) => e.stringField(1, 'true')),
            ),
          ),
        )
        .varintField(4, 5),
    );
    assert.deepEqual(decodeMessage(probe, `${CORE}.Probe`), { exec: { command: ['true'] }, periodSeconds: 5 });
  });

  it('reads a map entry without a value as the zero value', () => {
    const bytes = msg((w) =>
      w.bytesField(
        2,
        msg((e) => e.stringField(1, 'k')),
      ),
    );
    assert.deepEqual(decodeMessage(bytes, `${CORE}.ConfigMap`), { data: { k: '' } });
  });
});

describe('timestamps', () => {
  const ts = (s: bigint, n: number): Buffer => msg((t) => t.varintField(1, s).varintField(2, n));
  const cases: { name: string; seconds: bigint; nanos: number; time: string | null; micro: string | null }[] = [
    { name: 'epoch', seconds: 0n, nanos: 0, time: '1970-01-01T00:00:00Z', micro: '1970-01-01T00:00:00.000000Z' },
    { name: 'before the epoch', seconds: -1n, nanos: 500_000_000, time: '1969-12-31T23:59:59Z', micro: '1969-12-31T23:59:59.500000Z' },
    { name: 'negative nanos carry', seconds: 10n, nanos: -1_000, time: '1970-01-01T00:00:09Z', micro: '1970-01-01T00:00:09.999999Z' },
    { name: "Go's zero time", seconds: -62135596800n, nanos: 0, time: null, micro: null },
  ];
  for (const c of cases) {
    it(c.name, () => {
      // Event.firstTimestamp (time, 6) and Event.eventTime (microtime, 10).
      const got = decodeMessage(
        msg((w) => w.bytesField(6, ts(c.seconds, c.nanos)).bytesField(10, ts(c.seconds, c.nanos))),
        `${CORE}.Event`,
      );
      assert.deepEqual(got, { firstTimestamp: c.time, eventTime: c.micro });
    });
  }
  it('rejects a year Go cannot print', () => {
    assert.throws(
      () =>
        decodeMessage(
          msg((w) => w.bytesField(6, ts(400_000_000_000n, 0))),
          `${CORE}.Event`,
        ),
      ProtobufWireError,
    );
  });
});
