import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const webRoot = fileURLToPath(new URL('.', import.meta.url));

/**
 * Builds the checkout page and the operators' live view into web/dist, which the BFF serves at
 * `/` and `/ops`. `vite --config
 * web/vite.config.ts` serves it for development, with the API and sockets sent to the BFF
 * at PAYFLOW_BFF_URL (default http://127.0.0.1:3000).
 */
export default defineConfig({
  root: webRoot,
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    rollupOptions: {
      input: { checkout: `${webRoot}index.html`, ops: `${webRoot}ops/index.html` },
    },
  },
  server: {
    proxy: {
      '/api': process.env['PAYFLOW_BFF_URL'] ?? 'http://127.0.0.1:3000',
      '/ops/session': process.env['PAYFLOW_BFF_URL'] ?? 'http://127.0.0.1:3000',
      '/ops/api': process.env['PAYFLOW_BFF_URL'] ?? 'http://127.0.0.1:3000',
      '/socket.io': { target: process.env['PAYFLOW_BFF_URL'] ?? 'http://127.0.0.1:3000', ws: true },
    },
  },
});
