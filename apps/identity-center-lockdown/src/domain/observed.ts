/** What identity-center-lockdown reads of a identity-center-user before and after containing it. */
export interface ObservedIdentityCenterLockdown {
  arn: string;
  name: string;
  tags: Record<string, string>;
}
