import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const rendererDir = fileURLToPath(new URL('.', import.meta.url));
const repoDir = fileURLToPath(new URL('..', import.meta.url));

// One SPA for the three windows. base './' so the built files load from file:// in Electron.
export default defineConfig({
  root: rendererDir,
  base: './',
  // Keep Vite's cache in the repository's node_modules, not a second one under renderer/.
  cacheDir: fileURLToPath(new URL('../node_modules/.vite-renderer', import.meta.url)),
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'chrome120',
    // Only index.html ships; fixture.html is a development page.
    rollupOptions: { input: { index: fileURLToPath(new URL('./index.html', import.meta.url)) } },
  },
  server: {
    host: '127.0.0.1',
    fs: { allow: [repoDir] },
  },
});
