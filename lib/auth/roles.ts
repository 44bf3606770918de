import { z } from 'zod';

/** The three roles, least to most: each can do everything the one before it can. */
export const ROLES = ['viewer', 'operator', 'admin'] as const;

/** A user's one role. */
export const ZRole = z.enum(ROLES);

/** A user's one role: viewer sees, operator also acts on breakers, admin also manages users and keys. */
export type TRole = z.infer<typeof ZRole>;

/** Whether `role` may do what `needed` may do; roles are strictly ordered, so a rank comparison suffices. */
export function roleAllows(role: TRole, needed: TRole): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(needed);
}
