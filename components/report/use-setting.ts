import { useCallback, useEffect, useState } from 'react';
import type { z } from 'zod';

interface Item<T> {
  getValue(): Promise<T>;
  setValue(value: T): Promise<void>;
  watch(cb: (value: T | null) => void): () => void;
  fallback: T;
}

/** A settings item (lib/settings.ts) as React state: validated on read, followed when another page changes it. */
export function useSetting<T>(item: Item<T>, schema: z.ZodType<T>): [T | null, (value: T) => Promise<void>] {
  const [value, setValue] = useState<T | null>(null);
  useEffect(() => {
    let live = true;
    const accept = (raw: unknown) => {
      const parsed = schema.safeParse(raw);
      if (live) setValue(parsed.success ? parsed.data : item.fallback);
    };
    void item.getValue().then(accept);
    const unwatch = item.watch((next) => accept(next ?? item.fallback));
    return () => {
      live = false;
      unwatch();
    };
  }, [item, schema]);
  const save = useCallback(
    async (next: T) => {
      await item.setValue(next);
      setValue(next);
    },
    [item],
  );
  return [value, save];
}
