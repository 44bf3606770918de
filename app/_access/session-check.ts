import { safeNextPath } from '../../lib/auth/safe-next-path';

/**
 * After the server closed the socket (session revoked, expired, or the role
 * changed): back to sign-in when the session is gone, a reload when it lives
 * on with another role, else carry on.
 */
export async function recheckSession(role: string | null): Promise<'signed-out' | 'changed' | 'same'> {
  const response = await fetch('/api/v1/auth/session', { credentials: 'same-origin' }).catch(() => null);
  if (!response) return 'same';
  if (response.status === 401) {
    // A full load on purpose: the server renders the next page without the ended session.
    // eslint-disable-next-line @next/next/no-location-assign-relative-destination
    window.location.assign(`/sign-in?next=${encodeURIComponent(safeNextPath(window.location.pathname + window.location.search))}`);
    return 'signed-out';
  }
  const body = (await response.json().catch(() => null)) as { user?: { role?: string } } | null;
  if (role !== null && body?.user?.role && body.user.role !== role) {
    window.location.reload();
    return 'changed';
  }
  return 'same';
}
