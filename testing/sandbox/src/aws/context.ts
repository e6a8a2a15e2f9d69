import { randomBytes } from 'node:crypto';
import { AccountState } from './state';

/** Who is calling and where, as the sandbox resolves it from the client's credentials and region. */
export interface CallContext {
  account: AccountState;
  region: string;
  /** Role session name of the caller (from AssumeRole), if any. */
  sessionName?: string;
  now: Date;
}

export type Operation = (input: any, context: CallContext) => unknown;
export type ServiceHandlers = Record<string, Operation>;

/** A unique id in AWS's style, e.g. `AIDA...` or `i-...`. */
export function newId(prefix: string, length = 17, alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const byte of bytes) out += alphabet[byte % alphabet.length];
  return `${prefix}${out}`;
}
