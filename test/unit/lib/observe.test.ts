import { describe, expect, it, vi } from 'vitest';
import { observe } from '@/lib/dom/observe';

describe('observe', () => {
  it('reports existing and later elements once each, and stops on abort', async () => {
    document.body.innerHTML = '<div class="x"></div>';
    const seen = vi.fn();
    const controller = new AbortController();
    observe(document.body, '.x', seen, controller.signal);
    expect(seen).toHaveBeenCalledTimes(1);
    const later = document.createElement('div');
    later.className = 'x';
    document.body.append(later);
    document.body.append(document.createElement('span')); // unrelated change: no duplicate report
    await vi.waitFor(() => expect(seen).toHaveBeenCalledTimes(2));
    controller.abort();
    const afterAbort = document.createElement('div');
    afterAbort.className = 'x';
    document.body.append(afterAbort);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(seen).toHaveBeenCalledTimes(2);
  });
});
