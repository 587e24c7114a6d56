import { defineWebExtConfig } from 'wxt';

// `wxt dev` would otherwise launch /usr/bin/chromium itself and crash on headless machines.
export default defineWebExtConfig({ disabled: true });
