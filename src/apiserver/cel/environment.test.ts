import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CelCompileError, compileExpression, type Activation } from './environment.js';
import { CelAuthorizer } from './authorizer.js';
import { toCel } from './values.js';
import type { Authorizer } from '../authz/interface.js';

const deployment = {
  metadata: { name: 'web', namespace: 'prod', labels: { app: 'web' } },
  spec: { replicas: 6, ports: [80, 443, 8080], image: 'registry.example.com:5000/web:v1.2', cpu: '500m' },
};

function activation(extra: Partial<Activation> = {}): Activation {
  return {
    object: toCel(deployment),
    oldObject: null,
    request: toCel({ operation: 'CREATE' }),
    params: toCel({ data: { max: '5' } }),
    namespaceObject: null,
    ...extra,
  };
}

const cases: [string, unknown][] = [
  ['object.spec.replicas <= 5', false],
  ['object.spec.replicas <= int(params.data.max) + 1', true],
  ["has(object.metadata.labels) && object.metadata.labels['app'] == 'web'", true],
  ['has(object.spec.missing)', false],
  ['object.spec.ports.isSorted()', true],
  ['object.spec.ports.sum()', 8603n],
  ['object.spec.ports.min() == 80 && object.spec.ports.max() == 8080', true],
  ['object.spec.ports.indexOf(443)', 1n],
  ['[1, 2, 1].lastIndexOf(1)', 2n],
  ['sets.contains(object.spec.ports, [80, 443])', true],
  ['sets.intersects([1], [2])', false],
  ["object.spec.image.find('[0-9]+\\\\.[0-9]+')", '1.2'],
  ["'a1b22c333'.findAll('[0-9]+')", ['1', '22', '333']],
  ["'a1b22c333'.findAll('[0-9]+', 2)", ['1', '22']],
  ["url('https://example.com:8443/a/b?x=1&x=2').getPort()", '8443'],
  ["url('https://example.com/a?x=1&x=2').getQuery()['x']", ['1', '2']],
  ["url('/healthz').getEscapedPath()", '/healthz'],
  ["isURL('not a url')", false],
  ["quantity(object.spec.cpu).isLessThan(quantity('1'))", true],
  ["quantity('1Gi').compareTo(quantity('1024Mi'))", 0n],
  ["quantity('2').add(3).asInteger()", 5n],
  ["isQuantity('5x')", false],
  ["'%s has %d replicas'.format([object.metadata.name, object.spec.replicas])", 'web has 6 replicas'],
  ["'%.2f'.format([1.5])", '1.50'],
  ["'hello'.replace('l', 'L', 1)", 'heLlo'],
  ["'abc'.charAt(1) + 'abc'.reverse()", 'bcba'],
  ["strings.quote('a\"b')", '"a\\"b"'],
  ['object.spec.?missing.orValue(3)', 3n],
  ["request.operation == 'CREATE' && oldObject == null", true],
];
for (const [expression, want] of cases) {
  test(`cel: ${expression}`, async () => {
    assert.deepEqual(await compileExpression(expression).evaluate(activation()), want);
  });
}

test('cel: syntax errors and wrong result types do not compile', () => {
  assert.throws(
    () => compileExpression('object.spec.replicas <= '),
    (err: Error) => err instanceof CelCompileError && /^ERROR: <input>:1:\d+: Syntax error: /.test(err.message),
  );
  assert.throws(() => compileExpression('[1].nosuch()'), CelCompileError);
  assert.throws(() => compileExpression('1 + 2', 'bool'), /must evaluate to bool but got int/);
  assert.throws(() => compileExpression('x'.repeat(6000)), /longer than/);
});

test('cel: runtime errors and result types are errors of evaluation', async () => {
  await assert.rejects(compileExpression('object.spec.nothing.deeper').evaluate(activation()), /No such key: nothing/);
  await assert.rejects(compileExpression('object.spec.image', 'bool').evaluate(activation()), /expected bool value, got string/);
  await assert.rejects(compileExpression('[].min()').evaluate(activation()), /min called on empty list/);
});

test('cel: variables are values computed before the expression', async () => {
  const program = compileExpression('variables.limit >= object.spec.replicas');
  assert.equal(await program.evaluate(activation({ variables: { limit: 10n } })), true);
});

test('cel: the authorizer checks the requesting user', async () => {
  const seen: string[] = [];
  const authorizer: Authorizer = {
    authorize(a) {
      seen.push(`${a.user.name} ${a.verb} ${a.group}/${a.resource}/${a.subresource} ${a.namespace}/${a.name} ${a.path}`);
      return { allowed: a.verb === 'get', reason: a.verb === 'get' ? 'rbac' : '' };
    },
  };
  const celAuthorizer = new CelAuthorizer(
    authorizer,
    { name: 'alice', groups: [] },
    { group: 'apps', resource: 'deployments', subresource: '', namespace: 'prod', name: 'web' },
  );
  const run = (e: string) => compileExpression(e).evaluate(activation({ authorizer: celAuthorizer }));
  assert.equal(await run("authorizer.group('').resource('secrets').namespace('prod').name('s').check('get').allowed()"), true);
  assert.equal(await run("authorizer.group('apps').resource('deployments').subresource('scale').check('update').allowed()"), false);
  assert.equal(await run("authorizer.path('/healthz').check('get').reason()"), 'rbac');
  assert.equal(await run("authorizer.requestResource.check('delete').allowed()"), false);
  assert.equal(await run("authorizer.serviceAccount('kube-system', 'sa').path('/x').check('post').errored()"), false);
  assert.deepEqual(seen, [
    'alice get /secrets/ prod/s ',
    'alice update apps/deployments/scale / ',
    'alice get // / /healthz',
    'alice delete apps/deployments/ prod/web ',
    'system:serviceaccount:kube-system:sa post // / /x',
  ]);
});
