// A chart as a PNG, made in the browser: the chart's <svg> is drawn onto a canvas (as an image
// of itself), with a title line and a legend of the pens under it, because recharts' own text
// outside the svg would be lost.
export interface PngLegendEntry {
  label: string;
  color: string;
}

const LEGEND_ROW = 22;
const TITLE_HEIGHT = 30;

export async function chartPng(
  svg: SVGSVGElement,
  options: { title: string; legend: readonly PngLegendEntry[]; background: string; text: string },
): Promise<Blob> {
  const width = svg.width.baseVal.value || svg.clientWidth;
  const height = svg.height.baseVal.value || svg.clientHeight;
  const copy = svg.cloneNode(true) as SVGSVGElement;
  copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  copy.setAttribute('width', String(width));
  copy.setAttribute('height', String(height));
  // the page's font, so axis labels measure the same on the canvas
  copy.setAttribute('font-family', getComputedStyle(svg).fontFamily || 'sans-serif');
  const source = new XMLSerializer().serializeToString(copy);
  const url = URL.createObjectURL(new Blob([source], { type: 'image/svg+xml;charset=utf-8' }));
  try {
    const image = await loadImage(url);
    const scale = Math.max(1, Math.round(window.devicePixelRatio || 1));
    const columns = Math.max(1, Math.floor(width / 260));
    const legendHeight = Math.ceil(options.legend.length / columns) * LEGEND_ROW + 8;
    const canvas = document.createElement('canvas');
    canvas.width = width * scale;
    canvas.height = (TITLE_HEIGHT + height + legendHeight) * scale;
    const context = canvas.getContext('2d');
    if (!context) throw new Error('This browser cannot draw on a canvas.');
    context.scale(scale, scale);
    context.fillStyle = options.background;
    context.fillRect(0, 0, width, TITLE_HEIGHT + height + legendHeight);
    context.fillStyle = options.text;
    context.font = '600 14px sans-serif';
    context.textBaseline = 'middle';
    context.fillText(options.title, 12, TITLE_HEIGHT / 2);
    context.drawImage(image, 0, TITLE_HEIGHT, width, height);
    context.font = '13px sans-serif';
    options.legend.forEach((entry, i) => {
      const x = 12 + (i % columns) * 260;
      const y = TITLE_HEIGHT + height + 4 + Math.floor(i / columns) * LEGEND_ROW + LEGEND_ROW / 2;
      context.fillStyle = entry.color;
      context.fillRect(x, y - 2, 18, 4);
      context.fillStyle = options.text;
      context.fillText(entry.label, x + 24, y, 230);
    });
    return await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob(
        (blob) => (blob ? resolve(blob) : reject(new Error('The chart could not be encoded as PNG.'))),
        'image/png',
      ),
    );
  } finally {
    URL.revokeObjectURL(url);
  }
}

function loadImage(url: string): Promise<HTMLImageElement> {
  return new Promise((resolve, reject) => {
    const image = new Image();
    image.onload = () => resolve(image);
    image.onerror = () => reject(new Error('The chart could not be drawn as an image.'));
    image.src = url;
  });
}
