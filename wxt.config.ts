import { defineConfig } from 'wxt';

// Permissions are least-privilege; the README explains each one.
export default defineConfig({
  modules: ['@wxt-dev/module-react'],
  manifest: ({ browser }) => ({
    name: 'Keymeter',
    description: 'Token and cost columns per API key on the OpenAI platform dashboard, with local history and finance exports.',
    permissions: ['storage', 'alarms', 'notifications'],
    host_permissions: ['https://api.openai.com/*'],
    // Only the usage panel page may be framed, and only by the dashboard.
    web_accessible_resources: [{ resources: ['usage-panel.html'], matches: ['https://platform.openai.com/*'] }],
    // Chrome 140 is the first that can close storage.local to content scripts (lib/storage-access.ts),
    // which keeps the admin key out of their reach.
    ...(browser !== 'firefox' && { minimum_chrome_version: '140' }),
    ...(browser === 'firefox' && {
      browser_specific_settings: {
        gecko: { id: 'keymeter@keymeter.dev', data_collection_permissions: { required: ['none'] } },
      },
    }),
  }),
});
