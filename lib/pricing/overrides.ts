import { z } from 'zod';

/** A user's negotiated price for a model from a date on. Apart from the price data so settings views need not load it. */
export const priceOverrideSchema = z.object({
  /** Exact model id, or a prefix ending in "*" (e.g. "gpt-4o-*"). */
  model: z.string().min(1),
  /** First UTC day (YYYY-MM-DD) the negotiated price applies. */
  from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  inputPerMTok: z.number().nonnegative(),
  cachedInputPerMTok: z.number().nonnegative().optional(),
  outputPerMTok: z.number().nonnegative(),
});
export type PriceOverride = z.infer<typeof priceOverrideSchema>;
