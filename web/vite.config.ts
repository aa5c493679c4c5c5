import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The dashboard builds to web/dist, which the auth Worker serves as static assets ([assets] in
// wrangler.toml) and Cloudflare Pages serves in production (docs/deploy.md).
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    reportCompressedSize: false,
  },
  server: {
    // `vite` in web/ for UI work: the API stays same-origin through the proxy.
    proxy: Object.fromEntries(
      [
        '/v1',
        '/api',
        '/.well-known',
        '/authorize',
        '/token',
        '/register',
        '/login',
        '/logout',
        '/consent',
      ].map((p) => [p, { target: 'http://127.0.0.1:8787', ws: true }]),
    ),
  },
});
