import { bulkEnableTracking } from './bulk-enable-tracking';
import type { Feature } from './runner';
import { usageColumns } from './usage-columns';
import { usagePanel } from './usage-panel';
import { zeroSetupSnapshots } from './zero-setup-snapshots';

/** The ordered registry of dashboard features (one file each). */
export const features: Feature[] = [usageColumns, usagePanel, zeroSetupSnapshots, bulkEnableTracking];
