// Worker bootstrap: loads the TypeScript batch worker through tsx, as bin/juki.mjs does (no build step).
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
