#!/usr/bin/env node
// Runs the TypeScript CLI through tsx, so there is no separate build step for the server side.
import { register } from 'tsx/esm/api';

register();
await import('../cli/main.ts');
