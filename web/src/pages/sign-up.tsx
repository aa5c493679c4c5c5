import { AuthForm } from './auth-form';

export default function SignUp({ query }: { query: URLSearchParams }) {
  return <AuthForm mode="signup" next={query.get('next')} />;
}
