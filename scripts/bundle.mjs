// Bundles the k8ts command into one ES module (dist/k8ts.mjs): loading one file instead of
// hundreds of modules is most of the server's start time. better-sqlite3 stays external
// (a native addon).
import { build } from 'esbuild';

await build({
  entryPoints: ['src/cli/main.ts'],
  outfile: 'dist/k8ts.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  external: ['better-sqlite3'],
  banner: {
    js: "import { createRequire as __k8tsCreateRequire } from 'node:module'; const require = __k8tsCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
