import {
  DeleteRolePolicyCommand,
  GetRolePolicyCommand,
  IAMClient,
  ListRolePoliciesCommand,
  PutRolePolicyCommand,
  TagRoleCommand,
  UntagRoleCommand,
} from '@aws-sdk/client-iam';
import { GUARD_TAG, LOCKDOWN_NAME_PREFIX } from '@lockdown/contracts';

import { ForeignNameError, isNotFound } from '@lockdown/containment';
import { sameDocument } from './own-inline-policy';

/**
 * The names one deny of lockdown's may take on a role, in order: its own name, then suffixed ones.
 * lockdown's names are public, so an attacker can take one first (a harmless policy named
 * `lockdown-deny-session-<its session>`): lockdown never overwrites it, and never gives up for it
 * either: the deny goes under the next free name.
 */
export const denyPolicyNames = (name: string) => [name, ...[2, 3, 4, 5].map((n) => `${name}-${n}`)];

const holdsDocument = (stored: string | undefined, document: string) =>
  stored !== undefined && sameDocument(decodeURIComponent(stored), document);

/** lockdown's inline policies on a role (the credential denies of functions, instances and sessions). */
export class RoleInlinePolicies {
  constructor(private readonly iam: IAMClient) {}

  /**
   * Puts the deny under its name, or the next one free, never over a policy lockdown did not write;
   * only when every name is taken by someone else is it refused (ForeignNameError).
   */
  async put(RoleName: string, PolicyName: string, PolicyDocument: string): Promise<void> {
    for (const name of denyPolicyNames(PolicyName)) {
      const stored = await this.document(RoleName, name);
      if (stored !== undefined && !holdsDocument(stored, PolicyDocument)) continue;
      await this.iam.send(new PutRolePolicyCommand({ RoleName, PolicyName: name, PolicyDocument }));
      return;
    }
    throw new ForeignNameError(
      `role ${RoleName} already has inline policies named ${denyPolicyNames(PolicyName).join(', ')} that lockdown did not write: lockdown keeps them as they are (never overwrites nor deletes them) and cannot place its deny`,
    );
  }

  /**
   * Whether lockdown's deny is on the role, under its name or the next ones (read until a free name:
   * lockdown would have taken that one). `first`, when given, is the document under the name itself,
   * already read (in parallel with another read).
   */
  async holds(RoleName: string, PolicyName: string, PolicyDocument: string, first?: string): Promise<boolean> {
    for (const [i, name] of denyPolicyNames(PolicyName).entries()) {
      const stored = i === 0 && first !== undefined ? first : await this.document(RoleName, name);
      if (stored === undefined) return false;
      if (holdsDocument(stored, PolicyDocument)) return true;
    }
    return false;
  }

  /** The stored document (URL-encoded, as IAM returns it), or undefined when there is no such policy. */
  async document(RoleName: string, PolicyName: string): Promise<string | undefined> {
    try {
      return (await this.iam.send(new GetRolePolicyCommand({ RoleName, PolicyName }))).PolicyDocument ?? '';
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  /**
   * Deletes lockdown's policy, under whichever of its names it is; a policy of one of those names
   * that lockdown did not write is kept (the answer says so). Nothing of lockdown's there (or no role)
   * answers not-found: the executor counts that undo as done.
   */
  async removeOwn(RoleName: string, PolicyName: string, document: string): Promise<string | undefined> {
    const names = denyPolicyNames(PolicyName);
    const stored = await Promise.all(names.map((name) => this.document(RoleName, name)));
    const ours = names.filter((_, i) => holdsDocument(stored[i], document));
    await Promise.all(ours.map((name) => this.iam.send(new DeleteRolePolicyCommand({ RoleName, PolicyName: name }))));
    const theirs = names.filter((_, i) => stored[i] !== undefined && !holdsDocument(stored[i], document));
    return theirs.length > 0
      ? `the inline polic${theirs.length > 1 ? 'ies' : 'y'} ${theirs.join(', ')} on role ${RoleName} ${theirs.length > 1 ? 'are' : 'is'} not the one lockdown wrote: kept as ${theirs.length > 1 ? 'they are' : 'it is'}`
      : undefined;
  }

  /** Marks the role for the organization guard (its policies are frozen while a lockdown deny is on it). */
  async guard(RoleName: string): Promise<void> {
    await this.iam.send(new TagRoleCommand({ RoleName, Tags: [{ Key: GUARD_TAG, Value: 'true' }] }));
  }

  /** Removes the guard mark unless another containment's deny is still on the role. */
  async unguardUnlessOtherDenies(RoleName: string, ownPolicyName: string): Promise<void> {
    const names: string[] = [];
    let Marker: string | undefined;
    do {
      const page = await this.iam.send(new ListRolePoliciesCommand({ RoleName, Marker }));
      names.push(...(page.PolicyNames ?? []));
      Marker = page.IsTruncated ? page.Marker : undefined;
    } while (Marker);
    const own = denyPolicyNames(ownPolicyName);
    if (names.some((name) => name.startsWith(`${LOCKDOWN_NAME_PREFIX}deny-`) && !own.includes(name))) return;
    await this.iam.send(new UntagRoleCommand({ RoleName, TagKeys: [GUARD_TAG] }));
  }
}
