import { queryOptions } from '@tanstack/react-query';
import { sendMessage } from './messaging';

/** TanStack Query factories: every view reads through these, and every queryFn asks the background. */
export const orgsQuery = () => queryOptions({ queryKey: ['orgs'], queryFn: () => sendMessage('orgs:list', undefined) });
