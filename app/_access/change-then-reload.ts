import { ApiError } from './api-client';

/**
 * What the admin screens do with every change: clear the last error, make the
 * change, reload the lists; a refusal's message (or a generic one) is shown.
 */
export async function changeThenReload(change: () => Promise<unknown>, reload: () => Promise<unknown>, showError: (message: string | null) => void): Promise<void> {
  showError(null);
  try {
    await change();
    await reload();
  } catch (caught) {
    showError(caught instanceof ApiError ? caught.message : 'The change failed; try again.');
  }
}
