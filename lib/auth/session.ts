import { z } from 'zod';
import { ZRole } from './roles';
import { ZText } from '../protocol/storable';

/** The header that carries the session's CSRF token on every state-changing request. */
export const CSRF_HEADER = 'x-csrf-token';

/** The signed-in user as the browser sees it. */
export const ZSessionUser = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string().nullable(),
  role: ZRole,
});

/** The signed-in user as the browser sees it. */
export type TSessionUser = z.infer<typeof ZSessionUser>;

/** `GET /api/v1/auth/session` and the sign-in answer: who is signed in, and the token to send back. */
export const ZCurrentSession = z.object({
  user: ZSessionUser,
  csrfToken: z.string(),
  expiresAt: z.string(),
});

/** `GET /api/v1/auth/session` and the sign-in answer. */
export type TCurrentSession = z.infer<typeof ZCurrentSession>;

/**
 * `POST /api/v1/auth/sign-in` body. The e-mail is not format-checked here (the
 * first admin may be `admin@localhost`); length caps keep a huge password from
 * becoming a hashing DoS.
 */
export const ZSignInRequest = z.object({
  email: ZText.trim().toLowerCase().min(1).max(320),
  password: ZText.min(1).max(1024),
});

/** `POST /api/v1/auth/sign-in` body. */
export type TSignInRequest = z.infer<typeof ZSignInRequest>;

/**
 * The header on which the server hands the verified session to the pages it
 * renders (base64url JSON of TCurrentSession). The server deletes any copy a
 * client sends before setting its own, so a page may trust it.
 */
export const PAGE_SESSION_HEADER = 'x-breaker-panel-session';

/**
 * `POST /api/v1/auth/password` body: the current password proves it is the
 * user at the keyboard; the new one replaces it (the same rule as
 * ADMIN_PASSWORD: 12 characters or more) and signs out every other session.
 */
export const ZChangePassword = z
  .object({
    currentPassword: ZText.min(1).max(1024),
    newPassword: ZText.min(12, 'use 12 characters or more').max(1024),
  })
  .refine((body) => body.newPassword !== body.currentPassword, { message: 'the new password must differ from the current one', path: ['newPassword'] });

/** `POST /api/v1/auth/password` body. */
export type TChangePassword = z.infer<typeof ZChangePassword>;
