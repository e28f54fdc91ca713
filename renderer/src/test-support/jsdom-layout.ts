// jsdom lays nothing out: for component tests of virtualized lists, every element gets the sizes a
// browser would give the list's scroller, scrollTop is kept per element, and scrollTo moves it and
// says so (a scroll event). For a test file's duration: call the returned function to undo it.

export interface LayoutSizes {
  clientHeight: number;
  clientWidth: number;
  offsetHeight: number;
  /** offsetWidth too, when given */
  offsetWidth?: number;
  scrollHeight: number;
}

export function stubLayout(sizes: LayoutSizes): () => void {
  const restore: Array<() => void> = [];
  const stub = (prototype: object, name: string, descriptor: PropertyDescriptor) => {
    const before = Object.getOwnPropertyDescriptor(prototype, name);
    Object.defineProperty(prototype, name, { configurable: true, ...descriptor });
    restore.push(() => {
      if (before) Object.defineProperty(prototype, name, before);
      else delete (prototype as Record<string, unknown>)[name];
    });
  };
  stub(HTMLElement.prototype, 'clientHeight', { get: () => sizes.clientHeight });
  stub(HTMLElement.prototype, 'clientWidth', { get: () => sizes.clientWidth });
  stub(HTMLElement.prototype, 'offsetHeight', { get: () => sizes.offsetHeight });
  if (sizes.offsetWidth !== undefined) stub(HTMLElement.prototype, 'offsetWidth', { get: () => sizes.offsetWidth });
  stub(Element.prototype, 'scrollHeight', { get: () => sizes.scrollHeight });
  const scrollTops = new WeakMap<Element, number>();
  stub(Element.prototype, 'scrollTop', {
    get(this: Element) {
      return scrollTops.get(this) ?? 0;
    },
    set(this: Element, top: number) {
      scrollTops.set(this, top);
    },
  });
  stub(Element.prototype, 'scrollTo', {
    value(this: Element, options: ScrollToOptions) {
      this.scrollTop = options.top ?? this.scrollTop;
      this.dispatchEvent(new Event('scroll'));
    },
  });
  return () => restore.reverse().forEach((undo) => undo());
}
