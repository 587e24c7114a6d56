import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';

// Unit and component tests (fast, no browser). The Chromium e2e suite has its own config.
export default defineConfig({
  plugins: [WxtVitest()],
  test: {
    environment: 'happy-dom',
    setupFiles: ['./test/setup.ts'],
    include: ['test/**/*.test.{ts,tsx}'],
    exclude: ['test/e2e/**', 'node_modules/**'],
    restoreMocks: true,
    reporters: ['default', ['json', { outputFile: 'test-results/unit.json' }]],
    // Processed by Vite so their webextension-polyfill import resolves to WXT's fake browser.
    server: { deps: { inline: ['@webext-core/messaging', 'webextension-polyfill'] } },
  },
});
