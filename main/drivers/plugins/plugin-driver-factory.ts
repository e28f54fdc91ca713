// The seed's Custom protocol: the plugin registered in driver_registry (one per gateway: the
// registry is keyed by protocol). Each start reads the registration, checks the file's hash and
// api_version, and only then offers the driver; the registry row keeps the vendor's name,
// version and file.
import { TAG_DATA_TYPES, type TagDataType } from '../../../common/enums.ts';
import type { DriverRegistration } from '../../db/repositories/driver-registry-repository.ts';
import type { Repositories } from '../../db/repositories/repositories.ts';
import type { DriverCapabilities, DriverFactory } from '../driver-contract.ts';
import type { DriverLog } from '../driver-log.ts';
import { DRIVER_API_VERSION } from '../driver-manager.ts';
import { PluginHashError, verifyPluginFile } from './plugin-file.ts';
import { PluginDriver } from './plugin-driver.ts';

function capabilitiesOf(row: DriverRegistration | undefined): DriverCapabilities {
  const dataTypes = (row?.metadata?.dataTypes as TagDataType[] | undefined) ?? TAG_DATA_TYPES;
  return { read: true, write: true, polling: true, dataTypes, features: ['plugin', 'worker-thread'] };
}

export function pluginDriverFactory(repos: Repositories, log: DriverLog): DriverFactory {
  let row: DriverRegistration | undefined;
  const health = {
    failed(message: string) {
      log.warn(`plugin driver: ${message}`);
      repos.driverRegistry.setStatus('Custom', 'ERROR', message).catch(() => undefined);
    },
    recovered() {
      repos.driverRegistry.setStatus('Custom', 'RUNNING').catch(() => undefined);
    },
  };
  return {
    protocol: 'Custom',
    get name() {
      return row?.name ?? 'Plugin driver';
    },
    get version() {
      return row?.version ?? '0.0.0';
    },
    get description() {
      return row?.description ?? 'A vendor driver module, run in a worker thread (none registered)';
    },
    get capabilities() {
      return capabilitiesOf(row);
    },
    get apiVersion() {
      return row?.apiVersion;
    },
    get metadata() {
      return { ...row?.metadata, builtIn: false };
    },
    async unavailableReason() {
      row = await repos.driverRegistry.get('Custom');
      if (!row?.filePath || !row.fileHash) return 'no plugin driver is registered (an administrator registers one)';
      if (row.apiVersion !== DRIVER_API_VERSION) {
        return `the plugin was written for driver API ${row.apiVersion}; this gateway speaks ${DRIVER_API_VERSION}`;
      }
      try {
        await verifyPluginFile(row.filePath, row.fileHash);
      } catch (error) {
        if (error instanceof PluginHashError) return error.message;
        throw error;
      }
      return undefined;
    },
    create() {
      if (!row?.filePath || !row.fileHash) throw new Error('no plugin driver is registered');
      return new PluginDriver(
        { filePath: row.filePath, fileHash: row.fileHash, capabilities: capabilitiesOf(row) },
        health,
      );
    },
  };
}
