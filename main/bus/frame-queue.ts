// A FIFO of frames with O(1) push and shift (Array#shift is O(n) on long queues).
import type { Frame } from '../frames/frame.ts';

export class FrameQueue {
  private items: (Frame | undefined)[] = new Array(64);
  private head = 0;
  private size = 0;

  get length(): number {
    return this.size;
  }

  push(frame: Frame): void {
    if (this.size === this.items.length) this.grow();
    this.items[(this.head + this.size) % this.items.length] = frame;
    this.size++;
  }

  shift(): Frame | undefined {
    if (this.size === 0) return undefined;
    const frame = this.items[this.head];
    this.items[this.head] = undefined;
    this.head = (this.head + 1) % this.items.length;
    this.size--;
    return frame;
  }

  clear(): void {
    this.items = new Array(64);
    this.head = 0;
    this.size = 0;
  }

  private grow(): void {
    const items = new Array<Frame | undefined>(this.items.length * 2);
    for (let i = 0; i < this.size; i++) items[i] = this.items[(this.head + i) % this.items.length];
    this.items = items;
    this.head = 0;
  }
}
