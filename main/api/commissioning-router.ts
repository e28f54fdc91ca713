// Commissioning tools, for ENGINEER roles (access level 'commission'): the serial ports of this
// computer, one-off Modbus requests to any device with the frames on the wire, and the decode
// assistant. OPC UA browse and MQTT sniffing live with their drivers.
import { z } from 'zod';
import { decodeAssistant, DecodeQuestionError } from '../drivers/modbus/decode-assistant.ts';
import { OneShotRequestError, oneShotRequestSchema } from '../drivers/modbus/modbus-commissioning.ts';
import { listSerialPorts, SerialPortListError } from '../drivers/modbus/serial-port-list.ts';
import { ApiError, sentence } from './api-errors.ts';
import { double, oneOf } from './api-schemas.ts';
import { procedure, router } from './trpc.ts';

const MODBUS_TABLES = ['coil', 'discrete-input', 'input-register', 'holding-register'] as const;

/** "count: …" → field "count", message "…" */
function requestError(error: { field: string; message: string }): ApiError {
  const message = error.message.startsWith(`${error.field}: `)
    ? error.message.slice(error.field.length + 2)
    : error.message;
  return new ApiError({ code: 'BAD_REQUEST', message: sentence(`${error.field}: ${message}`), field: error.field });
}

export const commissioningRouter = router({
  /** The serial ports of this computer (USB-RS485 adapters) for the port picker. */
  serialPorts: procedure('commission').query(async () => {
    try {
      return await listSerialPorts();
    } catch (error) {
      if (!(error instanceof SerialPortListError)) throw error;
      throw new ApiError({ code: 'PRECONDITION_FAILED', message: sentence(error.message), reason: 'SERIAL_PORTS' });
    }
  }),

  /**
   * One Modbus request (FC 1–6, 15, 16) to any device, like Modbus Poll: the answer, or why there
   * was none, with the frames sent and received. Shares the line with polling (it waits its turn).
   */
  modbus: procedure('commission', { resourceType: 'commissioning' })
    .input(oneShotRequestSchema)
    .mutation(async ({ ctx, input }) => {
      try {
        const result = await ctx.services.commissioning.execute(input);
        ctx.audit.details = { endpoint: input.endpoint, functionCode: input.functionCode, ok: result.ok };
        if (!result.ok) ctx.audit.outcome = { success: false, errorMessage: result.error };
        return result;
      } catch (error) {
        if (error instanceof OneShotRequestError) throw requestError(error);
        throw error;
      }
    }),

  /**
   * Which data type, word order and scaling turn these registers into the value the device's
   * display shows; the plainest explanations first, with the tag address to type.
   */
  decode: procedure('commission')
    .input(
      z.object({
        registers: z.array(z.int().min(0).max(0xffff)).min(1).max(125),
        /** as text it also gives the display's precision ("21.50") */
        displayed: z.union([double, z.string().trim().min(1).max(40)]),
        table: oneOf(MODBUS_TABLES).optional(),
        firstOffset: z.int().min(0).max(0xffff).optional(),
        tolerance: double.min(0).optional(),
      }),
    )
    .query(({ input }) => {
      try {
        return decodeAssistant(input).slice(0, 50);
      } catch (error) {
        if (!(error instanceof DecodeQuestionError)) throw error;
        const field = /^(\w+)/.exec(error.message)?.[1] ?? '';
        throw new ApiError({ code: 'BAD_REQUEST', message: sentence(error.message), field });
      }
    }),
});
