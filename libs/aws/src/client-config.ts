/**
 * Settings every SDK client lockdown builds shares. No endpoint is ever set here: the SDK's own
 * `AWS_ENDPOINT_URL` / `AWS_ENDPOINT_URL_<SERVICE>` settings decide where calls go.
 */
export interface ClientSettings {
  maxAttempts: number;
}

export const DEFAULT_MAX_ATTEMPTS = 3;

export function clientSettings(maxAttempts = DEFAULT_MAX_ATTEMPTS) {
  return { maxAttempts, retryMode: 'standard' as const };
}
