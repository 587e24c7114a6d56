import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import type { PagePredicate } from '../openai/pages';

/**
 * One dashboard feature: where it applies and how to start it. `init` registers every listener
 * and observer with `signal` (aborted on route change); `ctx` is the content script's context,
 * for WXT's UI helpers.
 */
export interface Feature {
  id: string;
  include: PagePredicate[];
  init(ctx: ContentScriptContext, signal: AbortSignal): void | Promise<void>;
}

export function defineFeature(feature: Feature): Feature {
  return feature;
}

export interface RunnerOptions {
  /** Reported once per feature id and page load. */
  onError?: (featureId: string, error: unknown) => void;
  onRun?: (url: URL, featureIds: string[]) => void;
}

/**
 * Runs the features that apply to a URL; `run` again (on a route change) aborts the previous
 * run's listeners and observers first. Each init runs on its own so that one broken feature
 * never stops the others ("do not await", as refined-github's feature manager says).
 */
export function createFeatureRunner(ctx: ContentScriptContext, features: readonly Feature[], options: RunnerOptions = {}) {
  let current: AbortController | undefined;
  const reported = new Set<string>();
  const report = (id: string, error: unknown) => {
    if (reported.has(id)) return;
    reported.add(id);
    (options.onError ?? ((featureId, e) => console.error(`[keymeter] feature ${featureId} failed:`, e)))(id, error);
  };

  return {
    run(url: URL) {
      current?.abort();
      const controller = new AbortController();
      current = controller;
      ctx.signal.addEventListener('abort', () => controller.abort(), { once: true, signal: controller.signal });
      const active = features.filter((feature) => feature.include.some((matches) => matches(url)));
      options.onRun?.(
        url,
        active.map((f) => f.id),
      );
      for (const feature of active) {
        Promise.resolve()
          .then(() => feature.init(ctx, controller.signal))
          .catch((error: unknown) => report(feature.id, error));
      }
    },
    stop() {
      current?.abort();
    },
  };
}
