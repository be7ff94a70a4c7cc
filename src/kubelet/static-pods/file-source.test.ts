import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readStaticPods } from './file-source.js';
import { StaticPods, isMirrorPod, isStaticPod } from './static-pods.js';

describe('static pod file source', () => {
  let dir = '';
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'manifests-'));
    await writeFile(
      join(dir, 'web.yaml'),
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  labels: {app: web}\nspec:\n  containers: [{name: c, image: busybox}]\n',
    );
    await writeFile(
      join(dir, 'job.json'),
      JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'job', namespace: 'kube-system' }, spec: { containers: [] } }),
    );
    await writeFile(join(dir, '.hidden.yaml'), 'kind: Pod\nmetadata: {name: hidden}\n');
    await writeFile(join(dir, 'bad.yaml'), 'kind: Service\nmetadata: {name: svc}\n');
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('reads every manifest as a pod named <name>-<node>, bound, hashed and annotated as upstream’s file source does', async () => {
    const { pods, errors } = await readStaticPods(dir, 'Node-A');
    assert.deepEqual([...pods.keys()].sort(), ['default/web-node-a', 'kube-system/job-node-a']);
    assert.deepEqual(errors, [`static pod ${join(dir, 'bad.yaml')}: not a Pod manifest with a name`]);
    const web = pods.get('default/web-node-a');
    assert.match(web?.metadata.uid ?? '', /^[0-9a-f]{32}$/);
    assert.deepEqual(web?.metadata.annotations, { 'kubernetes.io/config.hash': web?.metadata.uid, 'kubernetes.io/config.source': 'file' });
    assert.deepEqual(web?.metadata.labels, { app: 'web' });
    assert.deepEqual(web?.['spec'], {
      containers: [{ name: 'c', image: 'busybox' }],
      nodeName: 'Node-A',
      tolerations: [{ operator: 'Exists', effect: 'NoExecute' }],
    });
    assert.ok(web && isStaticPod(web) && !isMirrorPod(web));
    // the hash follows the content and the node
    const again = await readStaticPods(dir, 'Node-A');
    assert.equal(again.pods.get('default/web-node-a')?.metadata.uid, web?.metadata.uid);
    assert.notEqual((await readStaticPods(dir, 'node-b')).pods.get('default/web-node-b')?.metadata.uid, web?.metadata.uid);
  });

  it('reports the keys that appear, change and go away', async () => {
    const changed: string[] = [];
    const reports: string[] = [];
    const statics = new StaticPods({
      nodeName: 'n',
      dir,
      pods: undefined as never,
      nodeUID: () => undefined,
      onChange: (k) => changed.push(k),
      report: (m) => reports.push(m),
    });
    await statics.refresh();
    assert.deepEqual(changed.sort(), ['default/web-n', 'kube-system/job-n']);
    assert.equal(reports.length, 1);
    const seen = statics.get('default/web-n')?.metadata.annotations?.['kubernetes.io/config.seen'];
    assert.match(seen ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    changed.length = 0;
    await statics.refresh();
    assert.deepEqual(changed, []);
    assert.equal(
      statics.get('default/web-n')?.metadata.annotations?.['kubernetes.io/config.seen'],
      seen,
      'seen stays while the manifest does',
    );
    assert.equal(reports.length, 1, 'the same errors are reported once');
    await writeFile(
      join(dir, 'web.yaml'),
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers: [{name: c, image: other}]\n',
    );
    await rm(join(dir, 'job.json'));
    await statics.refresh();
    assert.deepEqual(changed.sort(), ['default/web-n', 'kube-system/job-n']);
    assert.equal(statics.get('kube-system/job-n'), undefined);
  });
});
