import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The web app lives in web/; `npm start` serves web/dist from the API's port.
export default defineConfig({
  root: 'web',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2020',
    sourcemap: false,
  },
  server: {
    proxy: {
      '/api': { target: 'http://127.0.0.1:8787', ws: true },
    },
  },
});
