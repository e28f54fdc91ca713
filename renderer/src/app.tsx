import { useEffect, useState } from 'react';

type Health = { state: 'loading' } | { state: 'ok'; database: string } | { state: 'offline' };

export function App() {
  const [health, setHealth] = useState<Health>({ state: 'loading' });
  useEffect(() => {
    fetch('/healthz')
      .then((response) => response.json() as Promise<{ database: string }>)
      .then((body) => setHealth({ state: 'ok', database: body.database }))
      .catch(() => setHealth({ state: 'offline' }));
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
    </main>
  );
}
