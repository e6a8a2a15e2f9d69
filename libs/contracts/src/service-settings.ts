import type { ZodMiniObject, z } from 'zod/mini';
import { formatIssues } from './zod-issues';

/** What the settings mapping needs of a service descriptor: its name and its settings' schema. */
export interface SettingsOwner<Settings extends ZodMiniObject = ZodMiniObject> {
  readonly name: string;
  readonly settings: Settings;
}

/** A setting's environment variable: its cdk.json key in upper snake case (`untrackedWindowSeconds` is `UNTRACKED_WINDOW_SECONDS`). */
export const settingVariable = (key: string) => key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();

// Plain text when it cannot be read as JSON (`targeted`), JSON otherwise (`60`, `true`, `["arn:..."]`, `"0123"`).
const JSON_LIKE = /^[[{"]|^(true|false|null|-?\d+(\.\d+)?([eE][+-]?\d+)?)$/;
const encode = (value: unknown) => (typeof value === 'string' && !JSON_LIKE.test(value) ? value : JSON.stringify(value));
function decode(text: string): unknown {
  if (!JSON_LIKE.test(text)) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * The function's environment for a service's settings, read from the whole configuration with the
 * descriptor's schema (its defaults filled in). The stack and the local drill set exactly this;
 * `settingsFromEnvironment` reads it back.
 */
export function settingsEnvironment(owner: SettingsOwner, config: Readonly<Record<string, unknown>>): Record<string, string> {
  const values = owner.settings.parse(config) as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries(values)
      .filter(([, value]) => value !== undefined)
      .map(([key, value]) => [settingVariable(key), encode(value)]),
  );
}

/**
 * A service's settings, parsed from its environment with its descriptor's schema: the only place a
 * handler's settings are read. An unset (or empty) variable takes the default; a bad one stops the
 * cold start with an error naming the variable and its value.
 */
export function settingsFromEnvironment<Settings extends ZodMiniObject>(
  owner: SettingsOwner<Settings>,
  env: Readonly<Record<string, string | undefined>>,
): z.output<Settings> {
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(owner.settings.shape)) {
    const text = env[settingVariable(key)];
    if (text !== undefined && text !== '') raw[key] = decode(text);
  }
  const parsed = owner.settings.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue) => {
    const [key, ...rest] = issue.path;
    const variable = settingVariable(String(key));
    return { ...issue, path: [variable, ...rest], message: `${issue.message} (got ${JSON.stringify(env[variable])})` };
  });
  throw new Error(`${owner.name} is not configured: ${formatIssues({ issues })}`);
}
