/** Where estimated prices come from; a module of its own so views can name it without bundling the price data. */
export const PRICE_DATA = { source: '@pydantic/genai-prices', version: '0.1.8' } as const;
