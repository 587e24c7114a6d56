import { QueryClient } from '@tanstack/react-query';
import { mountPage } from '@/components/mount-page';
import { UsagePanelPage } from '@/components/usage-panel';
import '@/components/panel.css';

// Framed by the content script below "Top API keys" (unlisted page: /usage-panel.html#from=…&to=…).
mountPage(<UsagePanelPage />, new QueryClient({ defaultOptions: { queries: { staleTime: 30_000, refetchOnWindowFocus: false } } }));
