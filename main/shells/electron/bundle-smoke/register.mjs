// `node --import ./register.mjs out/main/index.js`: runs the built Electron entry under plain Node, with
// `electron` resolved to electron-stub.mjs. Used by bundle-smoke.test.ts only.
import { register } from 'node:module';

register('./hooks.mjs', import.meta.url);
