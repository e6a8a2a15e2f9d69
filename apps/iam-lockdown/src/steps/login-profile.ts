import { defineStepKind, isNoSuchEntity } from '@lockdown/containment';
import { object, string } from 'zod/mini';
import type { PrincipalApi } from '../adapters/iam-principal-api';
import type { ObservedPrincipal } from '../domain/observed';

/**
 * The console password deleted (option deleteLoginProfile). IAM cannot give a password back: the
 * release says so, and what an administrator must do.
 */
export const loginProfile = defineStepKind<PrincipalApi, ObservedPrincipal, { userName: string }>({
  kind: 'login-profile',
  params: object({ userName: string() }),
  apply: (api) => api.deleteLoginProfile(),
  undo: async (_api, p) =>
    `the console password was deleted and cannot be restored: an administrator sets a new one (aws iam create-login-profile --user-name ${p.userName} --password <temporary> --password-reset-required) and gives it to the user, who must choose a new one at sign-in`,
  inEffect: (state) => state.loginProfile === false,
  // Deleted already (by the user's administrators, or a redelivery): what containment wanted.
  skipReason: (error) => (isNoSuchEntity(error) ? 'the user has no console password any more' : undefined),
});
