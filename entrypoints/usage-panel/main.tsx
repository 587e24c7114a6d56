import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { UsagePanelPage } from '@/components/usage-panel';
import '@/components/panel.css';

// Framed by the content script below "Top API keys" (unlisted page: /usage-panel.html#from=…&to=…).
const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { staleTime: 30_000, refetchOnWindowFocus: false } } })}>
        <UsagePanelPage />
      </QueryClientProvider>
    </StrictMode>,
  );
}
