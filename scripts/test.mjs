// Runs the linter and formatter check (Biome), the build, then every test, compiled, with the node
// test runner: unit tests beside their files (src/**/*.test.ts) and end-to-end tests
// (test/**/*.test.ts). Arguments narrow the run to matching paths.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

function find(dir, out, wanted = (name) => name.endsWith('.test.ts')) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) find(p, out, wanted);
    else if (wanted(name)) out.push(p);
  }
  return out;
}

const filters = process.argv.slice(2);
// the end-to-end files first: they are the longest, and the unit tests fill the runners' gaps
// after them instead of leaving one long file running alone at the end
const files = [...find('test', []).sort(), ...find('src', []).sort(), ...find('bench', []).sort()].filter(
  (f) => filters.length === 0 || filters.some((x) => f.includes(x)),
);
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
const lint = spawnSync('npm', ['run', '--silent', 'lint'], { stdio: 'inherit' });
if (lint.status !== 0) process.exit(lint.status ?? 1);
const build = spawnSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
// TAP as before, then each file's time (scripts/file-durations.mjs): the CI budget is spent per file
const reporters = ['--test-reporter=tap', '--test-reporter-destination=stdout'];
reporters.push('--test-reporter=./scripts/file-durations.mjs', '--test-reporter-destination=stdout');
// the build compiled the tests too (tsconfig includes test/ and bench/): running dist/'s JavaScript
// spares each file tsx's start and transforms (~0.4-1 s of CPU per file, ~380 files)
// what the tests read beside themselves (testdata, fixtures) goes beside their compiled files
for (const asset of ['test', 'src', 'bench'].flatMap((d) => find(d, [], (name) => !name.endsWith('.ts')))) {
  mkdirSync(dirname(join('dist', asset)), { recursive: true });
  copyFileSync(asset, join('dist', asset));
}
const compiled = files.map((f) => join('dist', f.replace(/\.ts$/, '.js')));
const run = spawnSync(process.execPath, ['--test', '--test-concurrency=3', ...reporters, ...compiled], {
  stdio: 'inherit',
});
process.exit(run.status ?? 1);
