// Where the drivers report what an operator may want to read later. console by default; the
// gateway's log files replace it once they exist.
export interface DriverLog {
  info(message: string): void;
  warn(message: string): void;
}

export const consoleDriverLog: DriverLog = {
  info: (message) => console.info(`[drivers] ${message}`),
  warn: (message) => console.warn(`[drivers] ${message}`),
};
