import { features } from '@/lib/features';
import { createFeatureRunner } from '@/lib/features/runner';

// Thin boot: run the registered features now and again after each client-side route change.
export default defineContentScript({
  matches: ['https://platform.openai.com/*'],
  runAt: 'document_idle',
  main(ctx) {
    const root = document.documentElement;
    const runner = createFeatureRunner(ctx, features, {
      onRun: (url, ids) => {
        root.dataset.keymeterRoute = url.pathname;
        root.dataset.keymeterFeatures = ids.join(' ');
      },
    });
    runner.run(new URL(location.href));
    ctx.addEventListener(window, 'wxt:locationchange', ({ newUrl }) => runner.run(newUrl));
  },
});
