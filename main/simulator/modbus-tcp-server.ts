// The simulator's Modbus TCP server. Written on node:net instead of modbus-serial's ServerTCP,
// which answers each request after a setTimeout(0) and so caps near 750 requests/s: here every
// complete MBAP frame is answered in the same tick, with TCP_NODELAY, so the simulator is never
// the bottleneck of a benchmark. Unit ids without a slave get exception 0B (gateway target failed
// to respond), as a TCP-to-RTU gateway answers for an absent slave.
import net from 'node:net';
import { exceptionPdu } from './modbus-request-handler.ts';
import type { SimulatedSlave } from './simulated-slave.ts';

const MBAP = 7; // transaction id (2), protocol id (2), length (2), unit id (1)

export interface ModbusTcpServer {
  port: number;
  host: string;
  close(): Promise<void>;
}

export function frameTcpResponse(request: Buffer, offset: number, pdu: Buffer): Buffer {
  const response = Buffer.allocUnsafe(MBAP + pdu.length);
  request.copy(response, 0, offset, offset + 4); // transaction and protocol id
  response.writeUInt16BE(pdu.length + 1, 4);
  response[6] = request[offset + 6] as number;
  pdu.copy(response, MBAP);
  return response;
}

export function startModbusTcpServer(
  slaves: ReadonlyMap<number, SimulatedSlave>,
  options: { host: string; port: number },
): Promise<ModbusTcpServer> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer({ noDelay: true }, (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let pending: Buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      let offset = 0;
      while (pending.length - offset >= MBAP) {
        const length = pending.readUInt16BE(offset + 4);
        if (length < 2 || length > 254) {
          socket.destroy(); // not Modbus: a real device drops the connection too
          return;
        }
        const end = offset + 6 + length;
        if (pending.length < end) break;
        answer(socket, slaves, pending, offset, end);
        offset = end;
      }
      pending = offset === pending.length ? Buffer.alloc(0) : pending.subarray(offset);
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      const { port } = server.address() as net.AddressInfo;
      resolve({
        port,
        host: options.host,
        close: () =>
          new Promise<void>((done) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}

function answer(
  socket: net.Socket,
  slaves: ReadonlyMap<number, SimulatedSlave>,
  request: Buffer,
  offset: number,
  end: number,
): void {
  const unitId = request[offset + 6] as number;
  const pdu = request.subarray(offset + MBAP, end);
  const slave = slaves.get(unitId);
  if (!slave) {
    socket.write(frameTcpResponse(request, offset, exceptionPdu(pdu[0] as number, 0x0b)));
    return;
  }
  const response = slave.respond(pdu);
  if (!response) return;
  const frame = frameTcpResponse(request, offset, response);
  const delay = slave.faults.responseDelayMs ?? 0;
  if (delay > 0) setTimeout(() => socket.destroyed || socket.write(frame), delay);
  else socket.write(frame);
}
