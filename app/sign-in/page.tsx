import { safeNextPath } from '../../lib/auth/safe-next-path';
import { SignInScreen } from './sign-in-screen';

export const metadata = { title: 'Sign in · Breaker Panel' };

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { next } = await searchParams;
  // Judged here already, so the page never carries a hostile target into the browser.
  return <SignInScreen next={safeNextPath(next)} />;
}
