#!/usr/bin/env node
// The k8ts command: runs the bundled CLI that `npm run build` produces (dist/k8ts.mjs).
import '../dist/k8ts.mjs';
