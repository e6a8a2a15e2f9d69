import { startsWith, string } from 'zod/mini';

/** An environment variable that must hold an ARN; its errors name the variable and what it is for. */
export const arnSetting = (name: string, what: string) =>
  string({ error: `${name} is not set` }).check(startsWith('arn:', { error: `${name} must be ${what}` }));
