import { AuthForm } from './auth-form';

export default function SignIn({ query }: { query: URLSearchParams }) {
  return <AuthForm mode="signin" next={query.get('next')} />;
}
