import { crc32, deflateSync, inflateSync } from "node:zlib";

/**
 * The connector's icon, drawn here: a white person (an identity) on a solid brand-colour square, 230x230 as Power
 * Platform asks. Node only (node:zlib); the service itself never needs it.
 */

const ICON_SIZE = 230;

type Rgb = [number, number, number];

export function parseHexColor(hex: string): Rgb {
  const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!match) throw new Error(`Not a #rrggbb colour: ${hex}`);
  return [parseInt(match[1]!, 16), parseInt(match[2]!, 16), parseInt(match[3]!, 16)];
}

/** Whether a point belongs to the glyph: a round head over rounded shoulders, centred, with a gap between them. */
function inGlyph(x: number, y: number): boolean {
  const head = (x - 115) ** 2 + (y - 86) ** 2 <= 34 ** 2;
  const shoulders = y <= 176 && ((x - 115) / 66) ** 2 + ((y - 196) / 62) ** 2 <= 1;
  return head || shoulders;
}

/** Rows of RGB pixels; edges are smoothed by sampling each pixel 4x4 times. */
function drawIcon(background: Rgb, glyph: Rgb = [255, 255, 255]): Uint8Array[] {
  const rows: Uint8Array[] = [];
  for (let y = 0; y < ICON_SIZE; y++) {
    const row = new Uint8Array(ICON_SIZE * 3);
    for (let x = 0; x < ICON_SIZE; x++) {
      let covered = 0;
      for (let sy = 0; sy < 4; sy++) for (let sx = 0; sx < 4; sx++) if (inGlyph(x + (sx + 0.5) / 4, y + (sy + 0.5) / 4)) covered++;
      for (let channel = 0; channel < 3; channel++) {
        row[x * 3 + channel] = Math.round(background[channel]! + ((glyph[channel]! - background[channel]!) * covered) / 16);
      }
    }
    rows.push(row);
  }
  return rows;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** An 8-bit RGB PNG (colour type 2, no filtering): signature, IHDR, one IDAT, IEND. */
function encodePng(rows: Uint8Array[]): Buffer {
  const width = rows[0]!.length / 3;
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(rows.length, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const raw = Buffer.concat(rows.flatMap((row) => [Buffer.from([0]), row]));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(raw, { level: 9 })),
    chunk("IEND", new Uint8Array()),
  ]);
}

/** Reads back what encodePng writes (no other PNG): width, height and RGB rows. */
export function decodePng(png: Buffer): { width: number; height: number; rows: Uint8Array[] } {
  let offset = 8;
  let width = 0;
  let height = 0;
  const idat: Buffer[] = [];
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString("latin1", offset + 4, offset + 8);
    const data = png.subarray(offset + 8, offset + 8 + length);
    if (type === "IHDR") {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      if (data[8] !== 8 || data[9] !== 2) throw new Error("Only 8-bit RGB PNGs are read here.");
    } else if (type === "IDAT") idat.push(data);
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * 3 + 1;
  const rows = Array.from({ length: height }, (_, y) => {
    if (raw[y * stride] !== 0) throw new Error("Only unfiltered PNG rows are read here.");
    return new Uint8Array(raw.subarray(y * stride + 1, (y + 1) * stride));
  });
  return { width, height, rows };
}

export function connectorIcon(brandColor: string): Buffer {
  return encodePng(drawIcon(parseHexColor(brandColor)));
}
