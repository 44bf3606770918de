'use client';

import { useState, type FormEvent } from 'react';
import styles from './auth.module.css';

/** E-mail and password; the parent signs in and tells what went wrong. */
export function SignInForm({ onSubmit, error, pending }: { onSubmit: (email: string, password: string) => void; error: string | null; pending: boolean }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit(email, password);
  };
  return (
    <form className={styles.signIn} onSubmit={submit} aria-label="Sign in">
      <h1 className={styles.title}>Breaker Panel</h1>
      <label className={styles.field}>
        E-mail
        <input type="text" name="email" autoComplete="username" required value={email} onChange={(event) => setEmail(event.target.value)} />
      </label>
      <label className={styles.field}>
        Password
        <input type="password" name="password" autoComplete="current-password" required value={password} onChange={(event) => setPassword(event.target.value)} />
      </label>
      {error ? (
        <p role="alert" className={styles.error}>
          {error}
        </p>
      ) : null}
      <button type="submit" className={styles.primary} disabled={pending}>
        {pending ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}
