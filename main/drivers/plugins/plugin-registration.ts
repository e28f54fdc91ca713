// Registering a plugin driver (the seed's driver_registry row for the Custom protocol): an
// administrator names the vendor's file and the sha256 the vendor published. The file must
// have that hash; it is copied into the data folder's plugins/ under its hash, loaded once in a
// worker to read what it declares (apiVersion, name, version, createDriver), and recorded. The
// drivers pick it up at their next start.
import { pathToFileURL } from 'node:url';
import type { DriverRegistration } from '../../db/repositories/driver-registry-repository.ts';
import type { Repositories } from '../../db/repositories/repositories.ts';
import { OperationRefusedError } from '../../gateway/operation-refused-error.ts';
import { DRIVER_API_VERSION } from '../driver-manager.ts';
import { installPluginFile, PluginHashError, verifyPluginFile } from './plugin-file.ts';
import { PluginWorker } from './plugin-worker.ts';

interface PluginDeclaration {
  apiVersion: unknown;
  name?: string;
  version?: string;
  description?: string;
  hasCreateDriver: boolean;
}

export class PluginRegistration {
  constructor(
    private readonly repos: Repositories,
    private readonly folder: string,
  ) {}

  current(): Promise<DriverRegistration | undefined> {
    return this.repos.driverRegistry.get('Custom');
  }

  async register(input: { filePath: string; fileHash: string }): Promise<DriverRegistration> {
    const fileHash = input.fileHash.toLowerCase();
    try {
      await verifyPluginFile(input.filePath, fileHash);
    } catch (error) {
      if (!(error instanceof PluginHashError)) throw error;
      const unreadable = /cannot be read/.test(error.message);
      throw new OperationRefusedError(
        'invalid',
        unreadable
          ? error.message
          : `the sha256 of ${input.filePath} is not the one given: the file is not the vendor's`,
        { field: unreadable ? 'filePath' : 'fileHash', reason: 'PLUGIN_HASH_MISMATCH' },
      );
    }
    const installed = await installPluginFile(input.filePath, fileHash, this.folder);
    const worker = new PluginWorker(pathToFileURL(installed).href, 128);
    let declared: PluginDeclaration;
    try {
      declared = await worker.call<PluginDeclaration>('describe', [], 5000);
    } catch (error) {
      throw new OperationRefusedError('invalid', `the plugin cannot be loaded: ${(error as Error).message}`, {
        field: 'filePath',
        reason: 'PLUGIN_LOAD_FAILED',
      });
    } finally {
      await worker.terminate();
    }
    if (declared.apiVersion !== DRIVER_API_VERSION) {
      throw new OperationRefusedError(
        'invalid',
        `the plugin declares apiVersion ${JSON.stringify(declared.apiVersion)}; this gateway's driver API is ${DRIVER_API_VERSION}`,
        { field: 'filePath', reason: 'PLUGIN_API_VERSION' },
      );
    }
    if (!declared.hasCreateDriver) {
      throw new OperationRefusedError('invalid', 'the plugin exports no createDriver() function', {
        field: 'filePath',
        reason: 'PLUGIN_NO_DRIVER',
      });
    }
    return this.repos.driverRegistry.upsert({
      protocol: 'Custom',
      name: declared.name?.trim() || 'Plugin driver',
      version: declared.version?.trim() || '0.0.0',
      description: declared.description ?? null,
      filePath: installed,
      fileHash,
      apiVersion: DRIVER_API_VERSION,
      capabilities: ['read', 'write', 'polling', 'plugin', 'worker-thread'],
      metadata: { builtIn: false, sourceFile: input.filePath },
      status: 'LOADED',
      errorMessage: null,
    });
  }

  async unregister(): Promise<void> {
    await this.repos.driverRegistry.unregister('Custom');
  }
}
