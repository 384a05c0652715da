// Worker-thread entry for bench:ab: module hooks are per thread, so the worker registers tsx itself.
import { register } from 'tsx/esm/api';

register();
await import('./ab-worker.ts');
