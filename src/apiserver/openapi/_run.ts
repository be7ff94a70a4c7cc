import '../../api/schema/all-types.js';
import { coreResources } from '../../api/core/resources.js';
import { appsResources } from '../../api/apps/resources.js';
import { OpenApiService } from './service.js';
import { startFakeApiServer } from './testing/fake-apiserver.js';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { writeFileSync } from 'node:fs';
const run = promisify(execFile);
const resources = [...coreResources, ...appsResources];
const s = new OpenApiService({ resources });
const srv = await startFakeApiServer(s, resources);
const bin = process.argv[2]!;
const args = process.argv.slice(3);
writeFileSync(srv.dir + '/cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm1\ndata:\n  a: b\n');
try {
  const r = await run(bin, ['--kubeconfig', srv.kubeconfig, '--cache-dir', srv.dir + '/cache', ...args.map(a => a.replace('CM', srv.dir + '/cm.yaml'))], { maxBuffer: 1 << 24 });
  console.log(r.stdout.slice(0, 3000)); console.log('ERR', r.stderr.slice(0, 3000));
} catch (e: any) { console.log('FAIL', e.stdout?.slice(0, 2000), e.stderr?.slice(0, 3000)); }
for (const q of srv.requests) console.log(q.method, q.url, q.status, q.accept.slice(0, 80));
await srv.close();
