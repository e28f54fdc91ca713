import { useEffect, useState } from 'react';
import { createApiClient } from './api/api-client.ts';

type Health = { state: 'loading' } | { state: 'ok'; database: string } | { state: 'offline' };
type Access = { state: 'loading' } | { state: 'first-start' } | { state: 'sign-in' } | { state: 'unreachable' };

// A placeholder until the workstation UI arrives: whether the gateway runs, and whether it waits
// for its first administrator (over the same API the UI will use).
export function App() {
  const [health, setHealth] = useState<Health>({ state: 'loading' });
  const [access, setAccess] = useState<Access>({ state: 'loading' });
  useEffect(() => {
    fetch('/healthz')
      .then((response) => response.json() as Promise<{ database: string }>)
      .then((body) => setHealth({ state: 'ok', database: body.database }))
      .catch(() => setHealth({ state: 'offline' }));
    createApiClient()
      .auth.setupStatus.query()
      .then((status) => setAccess({ state: status.needsFirstAdmin ? 'first-start' : 'sign-in' }))
      .catch(() => setAccess({ state: 'unreachable' }));
  }, []);
  return (
    <main style={{ fontFamily: 'system-ui, sans-serif', padding: 32 }}>
      <h1>Gateway Workstation</h1>
      <p role="status">
        {health.state === 'loading' && 'Connecting to the gateway…'}
        {health.state === 'ok' &&
          `Gateway running (${health.database === 'pglite' ? 'embedded database' : 'PostgreSQL'})`}
        {health.state === 'offline' && 'The gateway is not reachable.'}
      </p>
      <p aria-live="polite" data-testid="access">
        {access.state === 'first-start' && 'First start: no administrator account exists yet.'}
        {access.state === 'sign-in' && 'Sign-in required.'}
        {access.state === 'unreachable' && 'The gateway API is not reachable.'}
      </p>
    </main>
  );
}
