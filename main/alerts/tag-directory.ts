// How an expression's names become tags: a bare name means a tag on the rule's own device if it
// has one of that name, otherwise the one tag of that name in the gateway; tag("Device", "Tag")
// says which when the name is not unique. Lookups go through Maps, never through objects, so no
// name can reach a prototype.
import type { TagName } from '../db/repositories/alert-engine-repository.ts';
import type { TagReference } from './condition-expression.ts';

export class TagDirectory {
  private readonly byName = new Map<string, TagName[]>();
  private readonly byDeviceAndName = new Map<string, TagName>();
  private readonly deviceNames = new Set<string>();
  readonly byId = new Map<string, TagName>();

  constructor(tags: readonly TagName[]) {
    for (const tag of tags) {
      this.byId.set(tag.id, tag);
      this.deviceNames.add(tag.deviceName);
      this.byDeviceAndName.set(`${tag.deviceName}\u0000${tag.name}`, tag);
      const same = this.byName.get(tag.name);
      if (same) same.push(tag);
      else this.byName.set(tag.name, [tag]);
    }
  }

  /** The tag an expression names, seen from a rule on `ruleDeviceId`; or why there is none. */
  find(reference: TagReference, ruleDeviceId: string | null): TagName | string {
    if (reference.device !== undefined) {
      const tag = this.byDeviceAndName.get(`${reference.device}\u0000${reference.name}`);
      if (tag) return tag;
      if (!this.deviceNames.has(reference.device)) return `there is no device named '${reference.device}' with tags`;
      return `device '${reference.device}' has no tag named '${reference.name}'`;
    }
    const candidates = this.byName.get(reference.name) ?? [];
    const own = candidates.find((tag) => tag.deviceId === ruleDeviceId);
    if (own) return own;
    if (candidates.length === 1) return candidates[0] as TagName;
    if (candidates.length === 0) return `unknown tag '${reference.name}': no tag of that name exists`;
    const devices = candidates.map((tag) => `'${tag.deviceName}'`).join(', ');
    return `the tag name '${reference.name}' exists on devices ${devices}: write tag("${(candidates[0] as TagName).deviceName}", "${reference.name}")`;
  }
}
