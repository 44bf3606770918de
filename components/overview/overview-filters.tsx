import { useState, type Ref } from 'react';
import { STATUS_LABEL, type TBreakerStatus } from '../../lib/api/breaker-status';
import styles from './overview.module.css';

export interface OverviewFilterValues {
  search: string;
  service: string;
  status: TBreakerStatus | '';
  group: boolean;
}

/** Search, service and status filters and grouping; the page keeps them in the URL. `/` focuses the search (the page binds it). */
export function OverviewFilters({
  values,
  services,
  onChange,
  searchRef,
}: {
  values: OverviewFilterValues;
  services: string[];
  onChange(next: OverviewFilterValues): void;
  searchRef?: Ref<HTMLInputElement>;
}) {
  // What is being typed, until the URL catches up with it: the URL updates a moment later, and showing it
  // meanwhile would drop the letters typed in between.
  const [draft, setDraft] = useState<string | null>(null);
  if (draft !== null && draft === values.search) setDraft(null);
  const current = { ...values, search: draft ?? values.search };
  return (
    <div className={styles.filters} role="search">
      <label>
        Search
        <input
          ref={searchRef}
          type="search"
          value={current.search}
          placeholder="service or breaker  ( / )"
          aria-keyshortcuts="/"
          onChange={(event) => {
            setDraft(event.target.value);
            onChange({ ...current, search: event.target.value });
          }}
        />
      </label>
      <label>
        Service
        <select value={values.service} onChange={(event) => onChange({ ...current, service: event.target.value })}>
          <option value="">All services</option>
          {services.map((service) => (
            <option key={service} value={service}>
              {service}
            </option>
          ))}
        </select>
      </label>
      <label>
        State
        <select value={values.status} onChange={(event) => onChange({ ...current, status: event.target.value as OverviewFilterValues['status'] })}>
          <option value="">All states</option>
          {(Object.keys(STATUS_LABEL) as TBreakerStatus[]).map((status) => (
            <option key={status} value={status}>
              {STATUS_LABEL[status]}
            </option>
          ))}
        </select>
      </label>
      <label className={styles.checkbox}>
        <input type="checkbox" checked={values.group} onChange={(event) => onChange({ ...current, group: event.target.checked })} />
        Group by service
      </label>
    </div>
  );
}
