import { RouteLoading } from '../components/route-states/route-loading';

export default function LoadingPage() {
  return <RouteLoading title="Breaker Panel" rows={8} />;
}
