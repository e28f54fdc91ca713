// A Modbus TCP connection to one host:port, shared by every unit id behind it (a PLC, or a
// TCP-to-RTU gateway with several slaves). We open the socket ourselves so that connect errors
// and timeouts become sentences, TCP_NODELAY is ours to choose and keep-alive notices a peer that
// vanished; modbus-serial's TcpPort then does the MBAP framing over it (linkTCP).
import net from 'node:net';
import ModbusRTU from 'modbus-serial';
import { DriverError } from '../driver-contract.ts';
import { ModbusLine } from './modbus-line.ts';

export interface TcpLineOptions {
  host: string;
  port: number;
  noDelay: boolean;
  connectTimeoutMs: number;
}

export class TcpLine extends ModbusLine {
  readonly key: string;
  readonly description: string;
  private socket: net.Socket | undefined;

  constructor(readonly options: TcpLineOptions) {
    super();
    this.key = tcpLineKey(options.host, options.port);
    this.description = options.host.includes(':')
      ? `[${options.host}]:${options.port}`
      : `${options.host}:${options.port}`;
  }

  protected minimumGapMs(): number {
    return 0;
  }

  protected async openClient(): Promise<ModbusRTU> {
    const socket = await this.connectSocket();
    socket.setNoDelay(this.options.noDelay);
    socket.setKeepAlive(true, 10_000);
    this.traceSocket(socket);
    const client = new ModbusRTU();
    await client.linkTCP(socket, { port: this.options.port });
    socket.once('close', () => this.closed('the connection was closed'));
    this.socket = socket;
    return client;
  }

  protected closeTransport(): Promise<void> {
    const socket = this.socket;
    this.socket = undefined;
    if (!socket || socket.destroyed) return Promise.resolve();
    return new Promise((resolve) => {
      socket.once('close', () => resolve());
      socket.end();
      // a peer that never answers the FIN must not hold us up
      setTimeout(() => socket.destroy(), 1000).unref();
    });
  }

  private connectSocket(): Promise<net.Socket> {
    const { host, port, connectTimeoutMs } = this.options;
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host, port });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(
          new DriverError(
            'unreachable',
            `No answer from ${this.description} within ${connectTimeoutMs} ms: check the address, the network and that the device is on`,
          ),
        );
      }, connectTimeoutMs);
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        resolve(socket);
      });
      socket.once('error', (error: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        socket.destroy();
        reject(describeConnectError(error, this.description, port));
      });
    });
  }

  /** Reports the bytes on the wire (MBAP header included) to traffic listeners. */
  private traceSocket(socket: net.Socket): void {
    socket.on('data', (chunk: Buffer) => this.traffic('rx', chunk));
    const write = socket.write.bind(socket) as (chunk: Uint8Array, ...rest: unknown[]) => boolean;
    socket.write = ((chunk: Uint8Array, ...rest: unknown[]) => {
      this.traffic('tx', chunk);
      return write(chunk, ...rest);
    }) as typeof socket.write;
  }
}

export function tcpLineKey(host: string, port: number): string {
  return `tcp:${host.toLowerCase()}:${port}`;
}

export function describeConnectError(error: NodeJS.ErrnoException, target: string, port: number): DriverError {
  const sentence: Record<string, string> = {
    ECONNREFUSED: `${target} refused the connection: is the device on, and is Modbus TCP enabled on port ${port}?`,
    EHOSTUNREACH: `${target} cannot be reached: check the network cable, the IP address and the subnet`,
    ENETUNREACH: `${target} cannot be reached: this computer has no route to that network`,
    ENOTFOUND: `${target}: the host name is unknown (check the spelling, or use the IP address)`,
    EAI_AGAIN: `${target}: the host name could not be looked up right now (no DNS server reachable?)`,
    ECONNRESET: `${target} reset the connection: the device may accept fewer connections`,
    ETIMEDOUT: `No answer from ${target}: check the address, the network and that the device is on`,
  };
  return new DriverError(
    'unreachable',
    sentence[error.code ?? ''] ?? `Cannot connect to ${target}: ${error.message}`,
    undefined,
    { cause: error },
  );
}
