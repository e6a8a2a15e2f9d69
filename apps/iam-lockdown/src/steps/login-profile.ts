import { isNoSuchEntity } from '@lockdown/containment';
import type { PrincipalApi } from '../adapters/iam-principal-api';
import type { ObservedPrincipal } from '../domain/observed';
import * as kinds from '../domain/step-kinds';

export const loginProfile = kinds.loginProfile.implement<PrincipalApi, ObservedPrincipal>({
  apply: (api) => api.deleteLoginProfile(),
  undo: async (_api, p) =>
    `the console password was deleted and cannot be restored: an administrator sets a new one (aws iam create-login-profile --user-name ${p.userName} --password <temporary> --password-reset-required) and gives it to the user, who must choose a new one at sign-in`,
  inEffect: (state) => state.loginProfile === false,
  // Deleted already (by the user's administrators, or a redelivery): what containment wanted.
  skipReason: (error) => (isNoSuchEntity(error) ? 'the user has no console password any more' : undefined),
});
