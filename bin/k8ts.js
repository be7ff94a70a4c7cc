#!/usr/bin/env node
// The k8ts command: runs the compiled CLI (npm run build produces dist/).
import '../dist/src/cli/main.js';
