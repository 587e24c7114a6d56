import type { Feature } from './runner';
import { usageColumns } from './usage-columns';

/** The ordered registry of dashboard features (one file each). */
export const features: Feature[] = [usageColumns];
