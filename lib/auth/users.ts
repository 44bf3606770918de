import { z } from 'zod';
import { ZRole } from './roles';
import { ZText } from '../protocol/storable';

/** `POST /api/v1/users` body: invites a user with a role; the answer holds a one-time password. */
export const ZInviteUser = z.object({
  email: ZText.trim().toLowerCase().max(320).pipe(z.email()),
  name: ZText.trim().min(1).max(200).optional(),
  role: ZRole,
});

/** `POST /api/v1/users` body. */
export type TInviteUser = z.infer<typeof ZInviteUser>;

/** `PATCH /api/v1/users/:id` body: a new role, or disabling (which signs the user out everywhere). */
export const ZUpdateUser = z
  .object({
    role: ZRole.optional(),
    disabled: z.literal(true).optional(),
  })
  .refine((body) => body.role !== undefined || body.disabled !== undefined, { message: 'give a role or disabled: true' });

/** `PATCH /api/v1/users/:id` body. */
export type TUpdateUser = z.infer<typeof ZUpdateUser>;

/** One row of `GET /api/v1/users`; times are ISO strings. */
export const ZUserListItem = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string().nullable(),
  role: ZRole,
  createdAt: z.string(),
  lastSignInAt: z.string().nullable(),
  disabledAt: z.string().nullable(),
});

/** One row of `GET /api/v1/users`. */
export type TUserListItem = z.infer<typeof ZUserListItem>;

/** `POST /api/v1/users` answer: the temporary password is shown once and never stored in clear. */
export const ZInvitedUser = z.object({ user: ZUserListItem, temporaryPassword: z.string() });

/** `POST /api/v1/users` answer. */
export type TInvitedUser = z.infer<typeof ZInvitedUser>;

/** `POST /api/v1/users/:id/password-reset` answer: a new temporary password, shown once; the user's sessions are ended. */
export const ZPasswordReset = z.object({ user: ZUserListItem, temporaryPassword: z.string() });

/** `POST /api/v1/users/:id/password-reset` answer. */
export type TPasswordReset = z.infer<typeof ZPasswordReset>;
