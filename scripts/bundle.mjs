// Bundles the k8ts command into one ES module (dist/k8ts.mjs): loading one file instead of
// hundreds of modules is most of the server's start time. The server's components thread gets
// its own, smaller bundle (dist/k8ts-components.mjs). better-sqlite3 stays external (a native addon),
// and so does @grpc/proto-loader: @grpc/grpc-js requires it (with its own protobufjs) only for the
// channelz and ORCA services, which the CRI client never uses.
// Whitespace and syntax are minified (names are kept for stack traces; dist/*.map maps positions
// back): the parsed source and bytecode are a good part of idle memory.
import { build } from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  external: ['better-sqlite3', '@grpc/proto-loader'],
  banner: {
    js: "import { createRequire as __k8tsCreateRequire } from 'node:module'; const require = __k8tsCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
  minifyWhitespace: true,
  minifySyntax: true,
};
await Promise.all([
  build({ ...common, entryPoints: ['src/cli/main.ts'], outfile: 'dist/k8ts.mjs' }),
  // the worker thread of the scheduler, controllers and simulated nodes (src/cli/components-thread.ts)
  build({ ...common, entryPoints: ['src/cli/components-entry.ts'], outfile: 'dist/k8ts-components.mjs' }),
]);
