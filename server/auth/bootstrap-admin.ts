import type { AccessConfig } from './access-config';
import type { Users } from './users';

export interface BootstrappedAdmin {
  email: string;
  /** Set only when generated here: the one time it exists outside a hash. */
  generatedPassword: string | null;
}

const DEFAULT_EMAIL = 'admin@localhost';

/**
 * On a database without users, creates the first admin: from ADMIN_EMAIL /
 * ADMIN_PASSWORD when given, else with a random password that the caller
 * prints once. There is never a default password. With users present it does
 * nothing, whatever the environment says. Two processes starting at once are
 * safe: the e-mail is unique, and the loser sees the winner's user.
 */
export async function bootstrapFirstAdmin({ users, config }: { users: Users; config: AccessConfig }): Promise<BootstrappedAdmin | null> {
  if ((await users.count()) > 0) return null;
  const email = config.bootstrapAdmin.email ?? DEFAULT_EMAIL;
  const given = config.bootstrapAdmin.password;
  try {
    const result = await users.invite({ email, role: 'admin', name: 'Administrator', password: given }, null);
    if (!result.ok) return null;
    return { email, generatedPassword: given ? null : result.password };
  } catch (error) {
    if ((await users.count()) > 0) return null;
    throw error;
  }
}
