import type { Feature } from './runner';

/** The ordered registry of dashboard features (one file each). */
export const features: Feature[] = [];
