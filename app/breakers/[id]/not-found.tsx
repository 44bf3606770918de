import { NotFoundNotice } from '../../../components/route-states/not-found-notice';

export default function BreakerNotFound() {
  return (
    <NotFoundNotice title="Breaker not found">
      <p>No breaker with this id is known to the panel.</p>
      <p>A breaker appears once a service reports it; one removed from the catalog is no longer listed.</p>
    </NotFoundNotice>
  );
}
