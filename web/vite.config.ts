import { defineConfig } from 'vite';

// Built with `vite build web`: root is web/, output web/dist, served by the ctfg server at `/`
// with hashed files under /assets/. No plugin is needed for Preact: oxc compiles JSX directly.
export default defineConfig({
  base: '/',
  oxc: {
    jsx: { runtime: 'automatic', importSource: 'preact' },
  },
  build: {
    outDir: 'dist',
    // The server's CSP may not allow data: URLs, so every asset stays a real file.
    assetsInlineLimit: 0,
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 400,
  },
});
