// The labels a tag's samples carry in InfluxDB (device_data's tags: device_id, device_name,
// tag_name, protocol, location, unit), read from the relational store in one query and cached:
// the historian writes thousands of points per second and must not ask the database per point.
// An unknown tag (created since the last load) triggers a reload, at most every few seconds;
// renames show up at the next periodic reload.

export interface TagLabels {
  tagId: string;
  deviceId: string;
  deviceName: string;
  tagName: string;
  protocol: string;
  location: string;
  unit: string;
}

export type TagLabelSource = () => Promise<TagLabels[]>;

export interface TagCatalogOptions {
  /** Reload everything after this long (default 60 s). */
  maxAgeMs?: number;
  /** Reload for an unknown tag at most this often (default 5 s). */
  missReloadMs?: number;
  now?: () => number;
}

export class TagCatalog {
  private byId = new Map<string, TagLabels>();
  private loadedAt = -Infinity;
  private loading: Promise<void> | undefined;
  private readonly maxAgeMs: number;
  private readonly missReloadMs: number;
  private readonly now: () => number;

  constructor(
    private readonly source: TagLabelSource,
    options: TagCatalogOptions = {},
  ) {
    this.maxAgeMs = options.maxAgeMs ?? 60_000;
    this.missReloadMs = options.missReloadMs ?? 5_000;
    this.now = options.now ?? Date.now;
  }

  /**
   * Labels for each tag id. A tag the relational store does not know (deleted, or published by
   * a driver without a tag row) is labelled with its id as tag_name, so its samples stay apart.
   */
  async labels(tagIds: Iterable<string>, deviceOf?: (tagId: string) => string): Promise<Map<string, TagLabels>> {
    const ids = [...new Set(tagIds)];
    const age = this.now() - this.loadedAt;
    if (age > this.maxAgeMs || (age > this.missReloadMs && ids.some((id) => !this.byId.has(id)))) {
      await this.reload();
    }
    const result = new Map<string, TagLabels>();
    for (const id of ids) {
      result.set(
        id,
        this.byId.get(id) ?? {
          tagId: id,
          deviceId: deviceOf?.(id) ?? '',
          deviceName: '',
          tagName: id,
          protocol: '',
          location: '',
          unit: '',
        },
      );
    }
    return result;
  }

  /** Forgets the cache (after tags or devices changed). */
  invalidate(): void {
    this.loadedAt = -Infinity;
  }

  private reload(): Promise<void> {
    this.loading ??= (async () => {
      try {
        const rows = await this.source();
        this.byId = new Map(rows.map((row) => [row.tagId, row]));
        this.loadedAt = this.now();
      } finally {
        this.loading = undefined;
      }
    })();
    return this.loading;
  }
}
