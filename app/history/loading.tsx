import { RouteLoading } from '../../components/route-states/route-loading';

export default function LoadingPage() {
  return <RouteLoading title="History" rows={6} chart />;
}
