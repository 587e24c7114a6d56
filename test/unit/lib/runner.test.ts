import { describe, expect, it, vi } from 'vitest';
import { ContentScriptContext } from 'wxt/utils/content-script-context';
import { createFeatureRunner, defineFeature } from '@/lib/features/runner';
import { isApiKeysPage, isUsagePage } from '@/lib/openai/pages';

const usage = new URL('https://platform.openai.com/usage');
const keys = new URL('https://platform.openai.com/api-keys');
const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('feature runner', () => {
  it('runs only the features whose page predicate matches', async () => {
    const onUsage = vi.fn();
    const onKeys = vi.fn();
    const runner = createFeatureRunner(new ContentScriptContext('test'), [
      defineFeature({ id: 'a', include: [isUsagePage], init: onUsage }),
      defineFeature({ id: 'b', include: [isApiKeysPage], init: onKeys }),
    ]);
    runner.run(usage);
    await flush();
    expect(onUsage).toHaveBeenCalledOnce();
    expect(onKeys).not.toHaveBeenCalled();
  });

  it('aborts the previous run when the route changes', async () => {
    const signals: AbortSignal[] = [];
    const runner = createFeatureRunner(new ContentScriptContext('test'), [
      defineFeature({ id: 'a', include: [isUsagePage, isApiKeysPage], init: (_ctx, s) => void signals.push(s) }),
    ]);
    runner.run(usage);
    await flush();
    runner.run(keys);
    await flush();
    expect(signals.map((s) => s.aborted)).toEqual([true, false]);
  });

  it('contains a failing feature and reports it once', async () => {
    const onError = vi.fn();
    const healthy = vi.fn();
    const runner = createFeatureRunner(
      new ContentScriptContext('test'),
      [
        defineFeature({
          id: 'broken',
          include: [isUsagePage],
          init: () => {
            throw new Error('selector gone');
          },
        }),
        defineFeature({ id: 'healthy', include: [isUsagePage], init: healthy }),
      ],
      { onError },
    );
    runner.run(usage);
    runner.run(usage);
    await flush();
    expect(healthy).toHaveBeenCalledTimes(2);
    expect(onError).toHaveBeenCalledOnce();
    expect(onError.mock.calls[0]?.[0]).toBe('broken');
  });

  it('aborts everything when the content script context is invalidated (extension update or unload)', async () => {
    const signals: AbortSignal[] = [];
    const ctx = new ContentScriptContext('test');
    const runner = createFeatureRunner(ctx, [defineFeature({ id: 'a', include: [isUsagePage], init: (_ctx, s) => void signals.push(s) })]);
    runner.run(usage);
    await flush();
    ctx.notifyInvalidated();
    expect(signals[0]?.aborted).toBe(true);
  });
});
