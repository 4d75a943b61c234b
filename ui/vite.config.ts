/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// Tauri expects a fixed port in dev and a relative build output it can embed.
export default defineConfig(({ mode }) => ({
  plugins: [svelte()],
  clearScreen: false,
  base: './',
  server: { port: 1420, strictPort: true },
  build: {
    outDir: 'dist',
    target: 'es2022',
    // No inline scripts or eval: the app runs under a strict CSP.
    modulePreload: { polyfill: false },
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.ts'],
  },
  // Component tests mount Svelte components in jsdom: use Svelte's browser build there.
  resolve: mode === 'test' ? { conditions: ['browser'] } : undefined,
}));
