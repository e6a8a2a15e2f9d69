import type { ObservedIdentityCenterUser } from '../domain/observed';
import { deniesSessions, sessionDenySid, sessionDenyStatement, withStatement, withoutStatement } from '../domain/session-deny';
import * as kinds from '../domain/step-kinds';
import type { IdentityCenterContext } from './context';

export const sessionDeny = kinds.sessionDeny.implement<IdentityCenterContext, ObservedIdentityCenterUser>({
  apply: async ({ api }, p) => {
    const current = await api.inlinePolicy(p.instanceArn, p.permissionSetArn);
    await api.setInlinePolicy(p.instanceArn, p.permissionSetArn, withStatement(current, sessionDenyStatement(p.userId)));
  },
  // Only lockdown's statement is taken back (or narrowed): whatever else the policy gained since stays.
  undo: async ({ api }, p) => {
    const current = await api.inlinePolicy(p.instanceArn, p.permissionSetArn);
    if (!p.keepOnRelease) {
      await api.setInlinePolicy(p.instanceArn, p.permissionSetArn, withoutStatement(current, sessionDenySid(p.userId)));
      return;
    }
    const releasedAt = new Date().toISOString();
    await api.setInlinePolicy(p.instanceArn, p.permissionSetArn, withStatement(current, sessionDenyStatement(p.userId, releasedAt)));
    return `kept for sessions issued before ${releasedAt} (keepIdentityCenterSessionDeny): statement ${sessionDenySid(p.userId)} of permission set ${p.permissionSetName}'s inline policy; delete it when the investigation is over`;
  },
  inEffect: (state, p) => deniesSessions(state.permissionSets[p.permissionSetArn]?.inlinePolicy ?? null, p.userId),
});
