import { defineConfig } from 'vite';

/**
 * Built at install time into dashboard/dist, served by the server under /dashboard/
 * (src/dashboard/serve.ts): every asset is local, nothing comes from a CDN.
 * esbuild compiles the JSX; no React plugin is needed for a production build.
 */
export default defineConfig({
  base: '/dashboard/',
  esbuild: { jsx: 'automatic' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    rollupOptions: {
      // TanStack Query marks its modules "use client" (for React Server Components); meaningless in a SPA bundle.
      onwarn: (warning, warn) => (warning.code === 'MODULE_LEVEL_DIRECTIVE' ? undefined : warn(warning)),
    },
  },
});
