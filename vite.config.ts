import { resolve } from 'node:path';
import { defineConfig } from 'vite';

/**
 * The web app: two entries built into dist/web and served by the API process
 * (api/plugins/web-app.ts). `index.html` is the staff app (sign-in, inbox, task page);
 * `link.html` serves the pages a mail's signed link opens (customers, mail actions), a separate
 * bundle so that nothing of the staff app is reachable or downloaded from them.
 */
export default defineConfig({
  root: resolve(import.meta.dirname, 'web'),
  base: '/',
  // Vite 8 compiles JSX/TSX itself (Oxc); the automatic runtime needs no React import per file.
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: resolve(import.meta.dirname, 'dist/web'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      // antd marks its modules 'use client' (for React Server Components); a bundle for the
      // browser drops the directive by design, so the hundreds of warnings about it say nothing.
      onwarn(warning, warn) {
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
      input: {
        index: resolve(import.meta.dirname, 'web/index.html'),
        link: resolve(import.meta.dirname, 'web/link.html'),
      },
    },
  },
  server: {
    port: 5173,
    // During development the API runs beside (npm start) and Vite proxies it.
    proxy: { '/api': 'http://127.0.0.1:3000', '/docs': 'http://127.0.0.1:3000' },
  },
});
