import { Link } from '../router';

export default function NotFound() {
  return (
    <div className="narrow">
      <h1>Page not found</h1>
      <p>
        There is nothing at <code>{location.pathname}</code>. Go to{' '}
        <Link href="/servers">your servers</Link> or <Link href="/docs">the docs</Link>.
      </p>
    </div>
  );
}
