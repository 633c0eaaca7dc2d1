// Vite build for the admin UI: static files in dist/, the API URL comes from /config.json at runtime.
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [vue()],
  // Relative asset URLs would break deep links served through the index.html fallback, so keep '/'.
  base: '/',
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, target: 'es2022' },
  server: { host: '127.0.0.1', port: 5173, strictPort: true },
});
