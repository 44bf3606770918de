import styles from './controls.module.css';

/** How long a trip or force closed may last, as the dialogs offer it. */
export const EXPIRY_CHOICES = [
  { label: '15 minutes', seconds: 900 },
  { label: '1 hour', seconds: 3600 },
  { label: '4 hours', seconds: 4 * 3600 },
  { label: '24 hours', seconds: 24 * 3600 },
];

/** The fields every action dialog asks for: the expiry (for overrides) and the reason, which is required. */
export function ReasonAndExpiry({
  withExpiry,
  expiresIn,
  onExpiresIn,
  reason,
  onReason,
}: {
  withExpiry: boolean;
  expiresIn: number;
  onExpiresIn(seconds: number): void;
  reason: string;
  onReason(text: string): void;
}) {
  return (
    <>
      {withExpiry && (
        <label className={styles.field}>
          Ends after
          <select value={expiresIn} onChange={(event) => onExpiresIn(Number(event.target.value))}>
            {EXPIRY_CHOICES.map((choice) => (
              <option key={choice.seconds} value={choice.seconds}>
                {choice.label}
              </option>
            ))}
          </select>
        </label>
      )}
      <label className={styles.field}>
        Reason (required)
        <textarea value={reason} onChange={(event) => onReason(event.target.value)} rows={2} required minLength={3} placeholder="e.g. payments provider outage, INC-1234" />
      </label>
    </>
  );
}

/** The error, if any, and the two buttons at the foot of an action dialog. */
export function DialogFooter({ error, submitLabel, disabled, danger, onCancel }: { error: string | null; submitLabel: string; disabled: boolean; danger: boolean; onCancel(): void }) {
  return (
    <>
      {error && (
        <p role="alert" className={styles.error}>
          {error}
        </p>
      )}
      <div className={styles.buttons}>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" disabled={disabled} data-danger={danger || undefined}>
          {submitLabel}
        </button>
      </div>
    </>
  );
}
