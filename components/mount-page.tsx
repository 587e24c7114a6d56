import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { type ReactNode, StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { onMessage } from '@/lib/messaging';

/**
 * Boots one of Keymeter's extension pages: React in #root with its own query client, which
 * re-reads everything it shows when the background says history changed (a sync landed…).
 */
export function mountPage(page: ReactNode, client = new QueryClient()): void {
  const root = document.getElementById('root');
  if (!root) return;
  onMessage('history:changed', () => void client.invalidateQueries());
  createRoot(root).render(
    <StrictMode>
      <QueryClientProvider client={client}>{page}</QueryClientProvider>
    </StrictMode>,
  );
}
