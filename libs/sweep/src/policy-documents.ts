import type { Recorded } from './trail-record';

/** Pure readers of the policy documents CloudTrail records as strings in requestParameters. */

const parse = (text: unknown): Recorded => {
  if (typeof text !== 'string') return typeof text === 'object' ? text : undefined;
  for (const candidate of [text, safeDecode(text)]) {
    try {
      return JSON.parse(candidate);
    } catch {
      // next
    }
  }
  return undefined;
};
const safeDecode = (text: string) => {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
};
const asList = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/** The AWS principals of the Allow statements of a policy document (trust or resource policy). */
export function allowedAwsPrincipals(document: unknown): string[] {
  const policy = parse(document);
  return asList<Recorded>(policy?.Statement)
    .filter((s) => s?.Effect === 'Allow')
    .flatMap((s) => (s.Principal === '*' ? ['*'] : asList<string>(s.Principal?.AWS)));
}

/** The account a principal names (`123456789012`, `arn:aws:iam::123456789012:root|user/x|role/y`), or `*`. */
export function accountOfPrincipal(principal: string): string {
  if (principal === '*') return '*';
  if (/^\d{12}$/.test(principal)) return principal;
  return /^arn:[\w-]+:(?:iam|sts)::(\d{12}):/.exec(principal)?.[1] ?? principal;
}

/** The principals of a policy that are outside `accountId` (another account, or anyone). */
export function outsidePrincipals(document: unknown, accountId: string | undefined): string[] {
  return allowedAwsPrincipals(document).filter((p) => accountOfPrincipal(p) !== accountId);
}

/** Whether a policy document has an Allow statement (a Deny-only policy grants nothing). */
export const allowsAnything = (document: unknown) => asList<Recorded>(parse(document)?.Statement).some((s) => s?.Effect === 'Allow');
