import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import type { ReactNode } from 'react';
import { vi } from 'vitest';
import { type ProtocolMap, sendMessage } from '@/lib/messaging';

/**
 * For component tests that mock the messaging module; each such test file still declares
 * `vi.mock('@/lib/messaging', () => ({ sendMessage: vi.fn(), onMessage: vi.fn() }))` itself (vi.mock is hoisted per file).
 */

export type Handlers = { [K in keyof ProtocolMap]?: (input: Parameters<ProtocolMap[K]>[0]) => unknown };

/** The mocked sendMessage. */
export const send = vi.mocked(sendMessage);

/** Answers messages to the background with the given handlers; any other message is rejected. */
export function answer(handlers: Handlers) {
  send.mockImplementation(((type: keyof ProtocolMap, input: unknown) => {
    const handler = handlers[type] as ((input: unknown) => unknown) | undefined;
    if (!handler) return Promise.reject(new Error(`unexpected message ${type}`));
    return Promise.resolve(handler(input));
  }) as never);
}

/** Renders inside a fresh QueryClient that does not retry. */
export function renderWithClient(ui: ReactNode) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  return { client, ...render(<QueryClientProvider client={client}>{ui}</QueryClientProvider>) };
}
