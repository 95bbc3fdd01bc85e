import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';

// Draws the two icons Teams asks for: a 192×192 full-colour icon and a 32×32 outline icon
// (white on transparent). The motif is the group: six members around a shared centre.
// Run with `npx tsx scripts/teams-icons.ts`; the PNGs are committed.

const OUT = fileURLToPath(new URL('../manifests/teams/', import.meta.url));
const ACCENT = [0x2b, 0x5d, 0x8c] as const;

type Rgba = readonly [number, number, number, number];

function draw(size: number, pixel: (x: number, y: number) => Rgba): Buffer {
  const png = new PNG({ width: size, height: size });
  for (let y = 0; y < size; y += 1) {
    for (let x = 0; x < size; x += 1) {
      const [r, g, b, a] = pixel(x + 0.5, y + 0.5);
      const i = (y * size + x) * 4;
      png.data[i] = r;
      png.data[i + 1] = g;
      png.data[i + 2] = b;
      png.data[i + 3] = a;
    }
  }
  return PNG.sync.write(png);
}

/** Six dots on a ring and one in the middle, in a unit square centred on (0.5, 0.5). */
function onMotif(u: number, v: number, dot: number): boolean {
  const centres: [number, number][] = [[0.5, 0.5]];
  for (let k = 0; k < 6; k += 1) {
    const angle = (Math.PI / 3) * k - Math.PI / 2;
    centres.push([0.5 + 0.3 * Math.cos(angle), 0.5 + 0.3 * Math.sin(angle)]);
  }
  return centres.some(([cx, cy]) => Math.hypot(u - cx, v - cy) <= dot);
}

export function colorIcon(): Buffer {
  const size = 192;
  return draw(size, (x, y) => {
    const u = x / size;
    const v = y / size;
    return onMotif(u, v, 0.09) ? [255, 255, 255, 255] : [ACCENT[0], ACCENT[1], ACCENT[2], 255];
  });
}

export function outlineIcon(): Buffer {
  const size = 32;
  return draw(size, (x, y) => (onMotif(x / size, y / size, 0.1) ? [255, 255, 255, 255] : [0, 0, 0, 0]));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  mkdirSync(OUT, { recursive: true });
  writeFileSync(`${OUT}color.png`, colorIcon());
  writeFileSync(`${OUT}outline.png`, outlineIcon());
  process.stdout.write(`Wrote ${OUT}color.png and ${OUT}outline.png\n`);
}
