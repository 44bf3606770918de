'use client';

import { useState, type FormEvent } from 'react';
import styles from './auth.module.css';

const MIN_LENGTH = 12;

/** Current password, the new one twice; the parent saves it and says how it went. */
export function ChangePasswordForm({ onSubmit, error, done, pending }: { onSubmit: (currentPassword: string, newPassword: string) => void; error: string | null; done: boolean; pending: boolean }) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const mismatch = again.length > 0 && again !== next;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (mismatch) return;
    onSubmit(current, next);
  };
  return (
    <form className={styles.signIn} onSubmit={submit} aria-label="Change password">
      <h2 className={styles.title}>Change your password</h2>
      <label className={styles.field}>
        Current password
        <input type="password" name="current-password" autoComplete="current-password" required value={current} onChange={(event) => setCurrent(event.target.value)} />
      </label>
      <label className={styles.field}>
        New password ({MIN_LENGTH} characters or more)
        <input type="password" name="new-password" autoComplete="new-password" required minLength={MIN_LENGTH} value={next} onChange={(event) => setNext(event.target.value)} />
      </label>
      <label className={styles.field}>
        New password again
        <input type="password" name="new-password-again" autoComplete="new-password" required value={again} onChange={(event) => setAgain(event.target.value)} aria-invalid={mismatch} />
      </label>
      {mismatch ? <p className={styles.error}>The two new passwords differ.</p> : null}
      {error ? (
        <p role="alert" className={styles.error}>
          {error}
        </p>
      ) : null}
      {done ? <p role="status">Password changed. Your other sessions were signed out.</p> : null}
      <button type="submit" className={styles.primary} disabled={pending || mismatch}>
        {pending ? 'Saving…' : 'Change password'}
      </button>
    </form>
  );
}
