import { NotFoundNotice } from '../components/route-states/not-found-notice';

export default function NotFound() {
  return (
    <NotFoundNotice title="Page not found">
      <p>There is no page at this address in Breaker Panel.</p>
    </NotFoundNotice>
  );
}
