import { RouteLoading } from '../../../components/route-states/route-loading';

export default function LoadingPage() {
  return <RouteLoading title="Breaker" rows={4} chart />;
}
