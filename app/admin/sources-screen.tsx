'use client';

import { useCallback, useEffect, useState } from 'react';
import type { TSourceView } from '../../lib/sources/source';
import { SourcesSection, type NewSource } from '../../components/admin/sources-section';
import { useSession } from '../_access/access-provider';
import { ApiError, callApi } from '../_access/api-client';
import { changeThenReload } from '../_access/change-then-reload';

// The sources' status changes with every read: the list is read again this often while the page is open.
const REFRESH_MS = 5_000;

/** The sources list, refreshed while shown, and the changes an admin makes to it. */
export function SourcesScreen() {
  const { csrfToken } = useSession();
  const [sources, setSources] = useState<TSourceView[]>([]);
  const [error, setError] = useState<string | null>(null);

  const reload = useCallback(
    () =>
      callApi<{ sources: TSourceView[] }>('/api/v1/sources').then(
        (list) => setSources(list.sources),
        (caught: unknown) => setError(caught instanceof ApiError ? caught.message : 'Could not load the sources'),
      ),
    [],
  );
  useEffect(() => {
    void reload();
    const timer = setInterval(() => void reload(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [reload]);

  const run = (change: () => Promise<unknown>) => changeThenReload(change, reload, setError);
  const create = (source: NewSource) => run(() => callApi('/api/v1/sources', { method: 'POST', body: source, csrfToken }));
  const toggle = (id: string, enabled: boolean) => run(() => callApi(`/api/v1/sources/${id}`, { method: 'PATCH', body: { enabled }, csrfToken }));
  const remove = (id: string) => run(() => callApi(`/api/v1/sources/${id}`, { method: 'DELETE', csrfToken }));

  return (
    <>
      {error ? <p role="alert">{error}</p> : null}
      <SourcesSection sources={sources} onCreate={create} onToggle={toggle} onDelete={remove} />
    </>
  );
}
