import { SignInScreen } from './sign-in-screen';

export const metadata = { title: 'Sign in · Breaker Panel' };

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { next } = await searchParams;
  return <SignInScreen next={typeof next === 'string' ? next : null} />;
}
