import { IdentityPolicy } from './authorization';
import { boundaryPolicies, identityPolicies } from './policy';
import { IamPrincipalState, IamUserState } from './state';

/** What IAM authorizes a principal's requests with: its identity policies, its boundary, its tags, its keys' statuses. */
export interface AuthorizationInputs {
  policies: IdentityPolicy[];
  boundary?: IdentityPolicy[];
  tags: Map<string, string>;
  keys: Map<string, string>;
}

export const authorizationInputs = (principal: IamPrincipalState): AuthorizationInputs => ({
  policies: identityPolicies(principal),
  boundary: boundaryPolicies(principal.boundary),
  tags: new Map(principal.tags),
  keys: new Map([...((principal as IamUserState).keys ?? new Map())].map(([id, key]) => [id, key.status])),
});

/**
 * IAM's eventual consistency: a change to a principal's policies, boundary, tags or keys is accepted at once
 * (reads show it) but authorization sees it only `delayMs` later (AWS documents "changes can take
 * time to propagate"; about 4 s measured in us-east-1 and eu-central-1). A time-indexed history of
 * each principal's authorization inputs, consulted at `now - delayMs`.
 */
export class IamPropagation {
  private readonly history = new Map<string, Array<{ at: number; inputs: AuthorizationInputs }>>();

  constructor(readonly delayMs: number) {}

  /** Before a change: what authorization has seen of this principal so far (recorded once, as of always). */
  before(arn: string, principal: IamPrincipalState | undefined): void {
    if (principal && !this.history.has(arn))
      this.history.set(arn, [{ at: Number.NEGATIVE_INFINITY, inputs: authorizationInputs(principal) }]);
  }

  /** After a change at `at`: the principal's new inputs, which authorization sees from `at + delayMs`. */
  after(arn: string, principal: IamPrincipalState | undefined, at: number): void {
    if (!principal) return;
    const entries = this.history.get(arn) ?? [];
    entries.push({ at, inputs: authorizationInputs(principal) });
    // Only the newest entry already in effect, and those after it, can still be seen.
    const inEffect = entries.findLastIndex((e) => e.at <= at - this.delayMs);
    this.history.set(arn, inEffect > 0 ? entries.slice(inEffect) : entries);
  }

  /**
   * The inputs authorization uses at `at`: the newest recorded at least `delayMs` earlier; a
   * principal created less than `delayMs` ago is authorized as created (creation is not modelled).
   */
  asOf(arn: string, principal: IamPrincipalState, at: number): AuthorizationInputs {
    const entries = this.history.get(arn);
    if (!entries) return authorizationInputs(principal);
    return (entries.findLast((e) => e.at <= at - this.delayMs) ?? entries[0]!).inputs;
  }
}
