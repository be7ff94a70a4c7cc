/** Entry of the components' worker thread (bundled apart from the CLI: it needs no API server code). */
import { runComponentsThread } from './components-thread.js';

runComponentsThread().catch((err: unknown) => {
  console.error(`k8ts components: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
