#!/usr/bin/env node
// The installed `nps` command: runs the TypeScript CLI through tsx's loader, so no build step.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
