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
    ...(browser === 'firefox' && {
      browser_specific_settings: {
        gecko: { id: 'keymeter@keymeter.dev', data_collection_permissions: { required: ['none'] } },
      },
    }),
  }),
});
