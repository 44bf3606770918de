'use client';

import { useState, type FormEvent } from 'react';
import { ROLES, type TRole } from '../../lib/auth/roles';
import type { TUserListItem } from '../../lib/auth/users';
import styles from './admin.module.css';
import { formatTime } from './format-time';

export interface UsersSectionProps {
  users: TUserListItem[];
  currentUserId: string;
  onInvite: (email: string, role: TRole) => void;
  onChangeRole: (id: string, role: TRole) => void;
  onDisable: (id: string) => void;
  onResetPassword: (id: string) => void;
}

/** Users: invite with a role, change a role, reset a lost password, disable. */
export function UsersSection({ users, currentUserId, onInvite, onChangeRole, onDisable, onResetPassword }: UsersSectionProps) {
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<TRole>('viewer');
  const invite = (event: FormEvent) => {
    event.preventDefault();
    onInvite(email, role);
    setEmail('');
  };
  return (
    <section className={styles.section} aria-labelledby="users-heading">
      <h2 id="users-heading">Users</h2>
      <form className={styles.form} onSubmit={invite} aria-label="Invite a user">
        <label>
          E-mail
          <input type="email" required value={email} onChange={(event) => setEmail(event.target.value)} />
        </label>
        <label>
          Role
          <select value={role} onChange={(event) => setRole(event.target.value as TRole)}>
            {ROLES.map((option) => (
              <option key={option}>{option}</option>
            ))}
          </select>
        </label>
        <button type="submit" className={styles.button}>
          Invite
        </button>
      </form>
      <table className={styles.table}>
        <thead>
          <tr>
            <th>E-mail</th>
            <th>Role</th>
            <th>Last sign-in</th>
            <th>Status</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {users.map((user) => (
            <tr key={user.id}>
              <td>{user.email}</td>
              <td>
                <select
                  aria-label={`Role of ${user.email}`}
                  value={user.role}
                  disabled={Boolean(user.disabledAt) || user.id === currentUserId}
                  onChange={(event) => onChangeRole(user.id, event.target.value as TRole)}
                >
                  {ROLES.map((option) => (
                    <option key={option}>{option}</option>
                  ))}
                </select>
              </td>
              <td className={styles.muted}>{formatTime(user.lastSignInAt)}</td>
              <td>{user.disabledAt ? <span className={styles.muted}>disabled</span> : 'active'}</td>
              <td>
                {!user.disabledAt && user.id !== currentUserId ? (
                  <>
                    <button
                      type="button"
                      className={styles.button}
                      aria-label={`Reset the password of ${user.email}`}
                      title="A new temporary password; their sessions end"
                      onClick={() => onResetPassword(user.id)}
                    >
                      Reset password
                    </button>{' '}
                    <button type="button" className={`${styles.button} ${styles.danger}`} aria-label={`Disable ${user.email}`} onClick={() => onDisable(user.id)}>
                      Disable
                    </button>
                  </>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
