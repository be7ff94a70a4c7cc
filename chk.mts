import { startRealNodeServer } from './test/support/real-node-server.ts';
import { execFileSync } from 'node:child_process';
const s = await startRealNodeServer({ clusterCIDR: '10.245.0.0/16', netns: { subnet: '10.245.255.0/30' }, args: process.argv.slice(2) });
try {
  await new Promise((r) => setTimeout(r, 3000));
  for (const a of [['link', 'add', 'k8tssvc0', 'type', 'bridge'], ['link', 'set', 'k8tssvc0', 'up'], ['route', 'add', '10.96.0.0/12', 'dev', 'k8tssvc0']]) console.log(await s.netns!.exec('ip', a).catch(String));
  await new Promise((r) => setTimeout(r, 3000));
  try { console.log(execFileSync('kubectl', ['--kubeconfig', s.server.kubeconfig, 'get', 'nodes'], { encoding: 'utf8' })); } catch (e) { console.log(String(e)); }
} finally {
  console.log(s.server.stderr()); console.log('exit', s.server.process.exitCode, s.server.process.signalCode); console.log('left', await s.stop());
}
