import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// Build configuration (runs in Node at build time; kept outside renderer/, which
// never imports Node). The renderer is its own Vite root; it imports the contract
// from preload/ and the sounds from resources/, so the dev server may read the repository.
const rendererRoot = fileURLToPath(new URL('./renderer/', import.meta.url));
const repoRoot = fileURLToPath(new URL('.', import.meta.url));
export default defineConfig({
  root: rendererRoot,
  base: './',
  publicDir: false,
  plugins: [react()],
  server: {
    host: '127.0.0.1',
    fs: { allow: [repoRoot] },
  },
  build: {
    outDir: fileURLToPath(new URL('./out/renderer', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    // Never inline sounds as data: URLs (the CSP allows media only from 'self' and blob:).
    assetsInlineLimit: (file) => (/\.(wav|mp3|ogg)$/i.test(file) ? false : undefined),
  },
});
