// A loopback TCP proxy that holds every connection until the test opens it, then joins them to
// the real server: a database that is slow to answer, for as long as a test needs to look at a
// gateway that is still starting.
import { createConnection, createServer, type Socket } from 'node:net';

export interface ConnectionGate {
  port: number;
  /** lets the held connections, and all later ones, through to the target */
  open(): void;
  close(): Promise<void>;
}

export async function connectionGate(targetPort: number): Promise<ConnectionGate> {
  let opened = false;
  const held: Socket[] = [];
  const sockets = new Set<Socket>();
  const pass = (client: Socket): void => {
    const upstream = createConnection({ host: '127.0.0.1', port: targetPort });
    sockets.add(upstream);
    upstream.once('close', () => sockets.delete(upstream));
    client.pipe(upstream).pipe(client);
    upstream.on('error', () => client.destroy());
  };
  const server = createServer((client) => {
    sockets.add(client);
    client.once('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    // Nothing is read until the gate opens; what the client sent waits in its buffer.
    client.pause();
    if (opened) pass(client);
    else held.push(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as { port: number }).port,
    open() {
      opened = true;
      for (const client of held.splice(0)) pass(client);
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
