// One InfluxDB write request's line protocol as bytes, each line ending in '\n', with where each
// line starts (a batch refused as a whole is halved to find its bad lines). device_data lines are
// written straight into the bytes: a tag's series key is encoded once, and per point the fields
// and the time are written digit by digit, with no string built per line (measured: joining a
// template string and encoding it cost more than formatting the numbers themselves). The
// buffers come from a pool and go back once their request is answered: a fresh 1.3 MB buffer per
// request made the garbage collector run far more often.

export class LineBatch {
  constructor(
    /** the lines, each ending in '\n' */
    readonly bytes: Buffer,
    /** where each line starts in `bytes`, then bytes.length */
    private readonly starts: readonly number[],
    /** gives the buffer back to its pool; the batch (and its slices) must not be read after */
    readonly release: () => void = () => undefined,
  ) {}

  static of(lines: readonly string[]): LineBatch {
    const starts: number[] = [];
    let at = 0;
    for (const line of lines) {
      starts.push(at);
      at += Buffer.byteLength(line) + 1;
    }
    starts.push(at);
    return new LineBatch(Buffer.from(lines.length === 0 ? '' : `${lines.join('\n')}\n`), starts);
  }

  get count(): number {
    return this.starts.length - 1;
  }

  /** Line `index` as text, without its newline. */
  line(index: number): string {
    return this.bytes.toString('utf8', this.starts[index], this.starts[index + 1]! - 1);
  }

  /** Lines [from, to) as a batch of their own (over the same bytes). */
  slice(from: number, to: number): LineBatch {
    const first = this.starts[from]!;
    return new LineBatch(
      this.bytes.subarray(first, this.starts[to]),
      this.starts.slice(from, to + 1).map((start) => start - first),
    );
  }
}

/** Buffers of one size, reused: a batch's buffer comes back when its request is answered. */
export class LineBufferPool {
  private readonly free: Buffer[] = [];

  constructor(
    /** bytes per buffer (a buffer that had to grow is dropped, not pooled) */
    readonly size: number,
    /** buffers kept at most */
    private readonly keep = 16,
  ) {}

  take(): Buffer {
    return this.free.pop() ?? Buffer.allocUnsafe(this.size);
  }

  give(buffer: Buffer): void {
    if (buffer.length === this.size && this.free.length < this.keep) this.free.push(buffer);
  }
}

/** The most bytes one line's fields and time take after its prefix (numbers are ≤ 25 characters). */
const FIELDS_RESERVE = 256;

/** The most digits after the point LineBatchBuilder.float writes without String(). */
const SHORT_DECIMALS = 6;

/**
 * Builds LineBatches line by line into pooled buffers: startLine(prefix), then the line's ASCII
 * (names, numbers), then endLine(). Room for FIELDS_RESERVE bytes after the prefix is made in
 * startLine, so the writes in between need no checks.
 */
export class LineBatchBuilder {
  private bytes: Buffer;
  private at = 0;
  private starts: number[] = [];
  /** the last time written, and its digits in timeDigits[0, timeLength) */
  private lastTime = -1n;
  private timeDigits = Buffer.allocUnsafe(20);
  private timeLength = 0;

  constructor(private readonly pool: LineBufferPool) {
    this.bytes = pool.take();
  }

  get count(): number {
    return this.starts.length;
  }

  /** Starts a line with `prefix` (encoded bytes: measurement, tags and the space after them). */
  startLine(prefix: Buffer): void {
    const needed = this.at + prefix.length + FIELDS_RESERVE;
    if (needed > this.bytes.length) this.grow(needed);
    this.starts.push(this.at);
    this.at += prefix.copy(this.bytes, this.at);
  }

  /** Text of code points below 256 (callers write ASCII: names, numbers), a byte each. */
  ascii(text: string): void {
    const bytes = this.bytes;
    let at = this.at;
    for (let i = 0; i < text.length; i++) bytes[at++] = text.charCodeAt(i);
    this.at = at;
  }

  /** An integer, as digits. */
  integer(value: number): void {
    if (value < 0) {
      this.bytes[this.at++] = 0x2d; // '-'
      value = -value;
    }
    if (value >= 1e15) {
      this.ascii(String(value));
      return;
    }
    this.digits(value, 1);
  }

  /** A non-negative integer below 1e15 as at least `minDigits` digits (zeros in front). */
  private digits(value: number, minDigits: number): void {
    let digits = 1;
    for (let power = 10; power <= value; power *= 10) digits++;
    if (digits < minDigits) digits = minDigits;
    const bytes = this.bytes;
    const end = this.at + digits;
    for (let at = end - 1; at >= this.at; at--) {
      const rest = Math.floor(value / 10);
      bytes[at] = 0x30 + value - rest * 10;
      value = rest;
    }
    this.at = end;
  }

  /** A finite number as JavaScript prints it (the shortest text that reads back as the same double). */
  float(value: number): void {
    // whole numbers (most register values) without making a string
    if (Number.isInteger(value) && value > -1e15 && value < 1e15) this.integer(value);
    else if (!this.shortDecimal(value)) this.ascii(String(value));
  }

  /**
   * A number with at most SHORT_DECIMALS digits after the point (a scaled register value: 21.5,
   * 0.125), as String() writes it but without the string (~4× faster); false, with nothing
   * written, for any other number.
   */
  private shortDecimal(value: number): boolean {
    const magnitude = value < 0 ? -value : value;
    // String() writes these ranges in fixed notation; scaled, they stay below 2^53
    if (!(magnitude >= 1e-6 && magnitude < 1e9)) return false;
    for (let digits = 1, scale = 10; digits <= SHORT_DECIMALS; digits++, scale *= 10) {
      const scaled = Math.round(magnitude * scale);
      // Exact: the division is correctly rounded, as is reading the text back, so the text reads
      // back as this double. Below 1e9 two texts of `digits` decimals are further apart than
      // two doubles, so it is the one String() picks, and fewer digits did not read back.
      if (scaled / scale !== magnitude) continue;
      if (value < 0) this.bytes[this.at++] = 0x2d; // '-'
      const whole = Math.floor(magnitude);
      this.integer(whole);
      this.bytes[this.at++] = 0x2e; // '.'
      this.digits(scaled - whole * scale, digits);
      return true;
    }
    return false;
  }

  /** A time in nanoseconds; the points of one poll share theirs, so its digits are kept for the next. */
  time(ns: bigint): void {
    if (ns !== this.lastTime) {
      const text = String(ns);
      if (text.length > this.timeDigits.length) this.timeDigits = Buffer.allocUnsafe(text.length);
      for (let i = 0; i < text.length; i++) this.timeDigits[i] = text.charCodeAt(i);
      this.timeLength = text.length;
      this.lastTime = ns;
    }
    const bytes = this.bytes;
    const digits = this.timeDigits;
    let at = this.at;
    for (let i = 0; i < this.timeLength; i++) bytes[at++] = digits[i]!;
    this.at = at;
  }

  endLine(): void {
    this.bytes[this.at++] = 0x0a;
  }

  /** The lines added since the last take(); the next lines go into another pooled buffer. */
  take(): LineBatch {
    this.starts.push(this.at);
    const bytes = this.bytes;
    const pool = this.pool;
    let released = false;
    const batch = new LineBatch(bytes.subarray(0, this.at), this.starts, () => {
      if (released) return;
      released = true;
      pool.give(bytes);
    });
    this.bytes = pool.take();
    this.at = 0;
    this.starts = [];
    return batch;
  }

  /** Gives back the buffer of lines not taken (the builder is not used after). */
  discard(): void {
    this.pool.give(this.bytes);
    this.starts = [];
    this.at = 0;
  }

  private grow(needed: number): void {
    const bigger = Buffer.allocUnsafe(Math.max(needed, this.bytes.length * 2));
    this.bytes.copy(bigger, 0, 0, this.at);
    this.pool.give(this.bytes);
    this.bytes = bigger;
  }
}
