import { RouteLoading } from '../../components/route-states/route-loading';

export default function LoadingPage() {
  return <RouteLoading title="Sign in" rows={2} />;
}
