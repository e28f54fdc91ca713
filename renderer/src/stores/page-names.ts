// The workstation's screens, by the name they have in the address (#/devices).
export const PAGES = [
  'overview',
  'devices',
  'drivers',
  'tags',
  'trends',
  'alerts',
  'commissioning',
  'users',
  'audit',
  'account',
] as const;
export type Page = (typeof PAGES)[number];
