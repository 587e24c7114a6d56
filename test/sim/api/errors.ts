/** OpenAI's error envelope {error:{message,type,param,code}} and the messages the mock sends. */

export interface ApiError {
  status: number;
  message: string;
  type: string;
  param: string | null;
  code: string | null;
  headers?: Record<string, string>;
}

export const errorBody = (e: ApiError): { error: { message: string; type: string; param: string | null; code: string | null } } => ({
  error: { message: e.message, type: e.type, param: e.param, code: e.code },
});

const invalid = (status: number, message: string, param: string | null = null, code: string | null = null): ApiError => ({
  status,
  message,
  type: 'invalid_request_error',
  param,
  code,
});

/** Shows a secret's first characters (up to 8) and last 4, the middle as '*', like OpenAI's 401 message. */
export function redactSecret(secret: string): string {
  if (secret.length < 16) return '*'.repeat(secret.length);
  return `${secret.slice(0, 8)}${'*'.repeat(secret.length - 12)}${secret.slice(-4)}`;
}

export const errors = {
  missingKey: (): ApiError =>
    invalid(
      401,
      "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY). You can obtain an API key from https://platform.openai.com/account/api-keys.",
    ),
  incorrectKey: (secret: string): ApiError =>
    invalid(
      401,
      `Incorrect API key provided: ${redactSecret(secret)}. You can find your API key at https://platform.openai.com/account/api-keys.`,
      null,
      'invalid_api_key',
    ),
  missingScope: (scope: string): ApiError =>
    invalid(
      403,
      `You have insufficient permissions for this operation. Missing scopes: ${scope}. Check that you have the correct role in your organization (Reader, Writer, Owner) and project (Member, Owner), and if you're using a restricted API key, that it has the necessary scopes.`,
    ),
  invalidUrl: (method: string, path: string): ApiError => invalid(404, `Invalid URL (${method} ${path})`),
  notFound: (what: string, id: string, param: string): ApiError => invalid(404, `No such ${what}: '${id}'`, param),
  missingParam: (name: string): ApiError => invalid(400, `Missing required parameter: '${name}'.`, name, 'missing_required_parameter'),
  unknownParam: (name: string): ApiError => invalid(400, `Unrecognized request argument supplied: ${name}`, name, 'unknown_parameter'),
  invalidValue: (name: string, detail: string): ApiError => invalid(400, `Invalid value for '${name}': ${detail}`, name, 'invalid_value'),
  rateLimited: (retryAfter: number | null): ApiError => ({
    status: 429,
    message: 'Rate limit reached for requests to the organization usage API. Please try again later.',
    type: 'requests',
    param: null,
    code: 'rate_limit_exceeded',
    headers: retryAfter == null ? {} : { 'retry-after': String(retryAfter) },
  }),
  serverError: (): ApiError => ({
    status: 500,
    message: 'The server had an error while processing your request. Sorry about that!',
    type: 'server_error',
    param: null,
    code: null,
  }),
};
