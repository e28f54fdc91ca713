// A Modbus line: one serial port or one TCP connection, shared by every device (slave / unit id)
// behind it. It carries exactly one transaction at a time, in arrival order, keeps the silent gap
// the line needs between transactions, fails waiting requests at once when the port or socket
// closes, and can report the raw frames of a transaction (the commissioning traffic log). The framing and the protocol checks are modbus-serial's.
import type ModbusRTU from 'modbus-serial';
import { LineClosedError, RequestTimeoutError } from './modbus-errors.ts';

export type ModbusRequest =
  | { functionCode: 1 | 2 | 3 | 4; unitId: number; address: number; count: number }
  | { functionCode: 5; unitId: number; address: number; value: boolean }
  | { functionCode: 6; unitId: number; address: number; value: number }
  | { functionCode: 15; unitId: number; address: number; values: boolean[] }
  | { functionCode: 16; unitId: number; address: number; values: number[] };

export interface ModbusResponse {
  /** register bytes as sent (2 per register, high byte first), for FC03/FC04 */
  registers?: Uint8Array;
  /** bit values for FC01/FC02 (as many as asked) */
  bits?: boolean[];
}

export interface TrafficRecord {
  direction: 'tx' | 'rx';
  bytes: Uint8Array;
  /** milliseconds since the epoch */
  at: number;
}

export interface TransactOptions {
  timeoutMs: number;
  /** extra silence the addressed device needs after this transaction */
  gapAfterMs?: number;
  /** receives the raw frames of this transaction (the commissioning traffic log) */
  trace?: (record: TrafficRecord) => void;
}

type Settle = (error: Error) => void;

export abstract class ModbusLine {
  /** identifies the line in the pool: "tcp:host:port" or "serial:/dev/ttyUSB0" */
  abstract readonly key: string;
  /** what the user calls it: "192.168.1.10:502" or "/dev/ttyUSB0" */
  abstract readonly description: string;

  private client: ModbusRTU | undefined;
  private opening: Promise<void> | undefined;
  private tail: Promise<unknown> = Promise.resolve();
  private failPending: Settle | undefined;
  private quietUntil = 0;
  private tracing: ((record: TrafficRecord) => void) | undefined;

  /** Creates and opens a modbus-serial client on the transport; rejects with a DriverError. */
  protected abstract openClient(): Promise<ModbusRTU>;
  /** Releases the transport (the client is already detached). */
  protected abstract closeTransport(): Promise<void>;
  /** The silence the line itself needs between two frames (t3.5 on serial lines). */
  protected abstract minimumGapMs(): number;

  get isOpen(): boolean {
    return this.client !== undefined;
  }

  /** Opens the line if it is not open; concurrent callers share one attempt. */
  open(): Promise<void> {
    if (this.client) return Promise.resolve();
    this.opening ??= this.openClient().then(
      (client) => {
        this.client = client;
        this.opening = undefined;
      },
      (error: unknown) => {
        this.opening = undefined;
        throw error;
      },
    );
    return this.opening;
  }

  async close(): Promise<void> {
    await this.opening?.catch(() => undefined);
    if (!this.client) return;
    this.detach('the line was closed');
    await this.closeTransport();
  }

  /** The transport reports it is gone (cable pulled, peer closed the socket). */
  protected closed(reason: string): void {
    if (!this.client) return;
    this.detach(reason);
    void this.closeTransport().catch(() => undefined);
  }

  private detach(reason: string): void {
    this.client = undefined;
    this.failPending?.(new LineClosedError(`${this.description}: ${reason}`));
  }

  /** The transport saw bytes go out or come in; passed on when the transaction is traced. */
  protected traffic(direction: 'tx' | 'rx', bytes: Uint8Array): void {
    this.tracing?.({ direction, bytes: Uint8Array.from(bytes), at: Date.now() });
  }

  /** Queues one request; it goes on the line when every earlier one has finished. */
  transact(request: ModbusRequest, options: TransactOptions): Promise<ModbusResponse> {
    const run = () => this.run(request, options);
    const result = this.tail.then(run, run);
    this.tail = result.catch(() => undefined);
    return result;
  }

  private async run(request: ModbusRequest, options: TransactOptions): Promise<ModbusResponse> {
    const wait = this.quietUntil - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const client = this.client;
    if (!client) throw new LineClosedError(`${this.description} is not open`);
    // Our own timeout decides, one event-loop turn late (setImmediate runs after pending I/O):
    // on a busy machine an answer that arrived in time must win over a timer that fired late.
    // modbus-serial's own timer is switched off (0); a late answer then finds its transaction
    // already settled and is dropped.
    client.setTimeout(0);
    this.tracing = options.trace;
    let timer: NodeJS.Timeout | undefined;
    try {
      return await new Promise<ModbusResponse>((resolve, reject) => {
        this.failPending = reject;
        timer = setTimeout(() => setImmediate(() => reject(new RequestTimeoutError())), options.timeoutMs);
        send(client, request, (error, response) => (error ? reject(error) : resolve(response)));
      });
    } finally {
      clearTimeout(timer);
      this.failPending = undefined;
      this.tracing = undefined;
      this.quietUntil = performance.now() + Math.max(this.minimumGapMs(), options.gapAfterMs ?? 0);
    }
  }
}

type Done = (error: Error | null, response: ModbusResponse) => void;

function send(client: ModbusRTU, request: ModbusRequest, done: Done): void {
  const { unitId, address } = request;
  switch (request.functionCode) {
    case 1:
    case 2: {
      const count = request.count;
      const read = request.functionCode === 1 ? client.writeFC1 : client.writeFC2;
      read.call(client, unitId, address, count, (error, result) =>
        done(error, { bits: error ? [] : result.data.slice(0, count) }),
      );
      return;
    }
    case 3:
    case 4: {
      const read = request.functionCode === 3 ? client.writeFC3 : client.writeFC4;
      read.call(client, unitId, address, request.count, (error, result) =>
        done(error, { registers: error ? new Uint8Array() : new Uint8Array(result.buffer) }),
      );
      return;
    }
    case 5:
      client.writeFC5(unitId, address, request.value, (error) => done(error, {}));
      return;
    case 6:
      client.writeFC6(unitId, address, request.value, (error) => done(error, {}));
      return;
    case 15:
      client.writeFC15(unitId, address, request.values, (error) => done(error, {}));
      return;
    case 16:
      client.writeFC16(unitId, address, request.values, (error) => done(error, {}));
      return;
  }
}
