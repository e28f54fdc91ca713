// Which driver configuration a device uses when it names none: the first enabled row of its
// protocol, by name. One rule for the gateway (which polls by it) and the device form (which
// says which configuration that is, so nobody is surprised by a scan interval they did not pick).

interface DriverConfigLike {
  name: string;
  protocol: string;
  enabled: boolean;
}

/** The configuration a device of `protocol` without config.driverConfig uses, or undefined (the seed's defaults). */
export function defaultDriverConfigFor<T extends DriverConfigLike>(
  protocol: string,
  configs: readonly T[],
): T | undefined {
  let chosen: T | undefined;
  for (const config of configs) {
    if (config.protocol !== protocol || !config.enabled) continue;
    if (!chosen || config.name < chosen.name) chosen = config;
  }
  return chosen;
}
