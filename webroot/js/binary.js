// Messages in the binary encoding (/ws?encoding=binary, docs/protocol.md "Encodings"): every message is a binary
// frame that starts with its JSON fields. A metrics or history message then has, after a newline at a multiple
// of 4 bytes, its points as columns: a u32 per point (its iteration minus the message's `from`), then each lane
// of the point schema as float32, little-endian; compressed with raw DEFLATE after splitting the words into four
// byte planes when `binary.compressed`. decode() gives back the message as the JSON encoding has it, points as
// objects, so that the rest of the page does not know which encoding came.

const NEWLINE = 10;

/** Whether this browser can read the binary encoding (raw DEFLATE needs DecompressionStream). */
export function binarySupported() {
  return typeof DecompressionStream === 'function' && typeof TextDecoder === 'function';
}

/** The point columns of hello.schema, kept from the last hello, for the messages after it. */
let columns = [];

function widthOf(kind, depth) {
  return kind === 'run' ? 1 : kind === 'weightLayer' ? depth : Math.max(0, depth - 1);
}

async function inflate(bytes) {
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** The words' bytes back in place from four planes: all byte 0s, then all byte 1s, 2s and 3s. */
function unplane(planes) {
  const n = planes.length / 4;
  const words = new Uint8Array(planes.length);
  for (let b = 0; b < 4; b++) {
    const plane = b * n;
    for (let i = 0; i < n; i++) {
      words[4 * i + b] = planes[plane + i];
    }
  }
  return words;
}

function finite(x) {
  return Number.isNaN(x) ? null : x;
}

function points(words, binary, from) {
  const n = binary.count;
  const view = new DataView(words.buffer, words.byteOffset, words.byteLength);
  const out = new Array(n);
  for (let p = 0; p < n; p++) {
    out[p] = { iteration: from + view.getUint32(4 * p, true) };
  }
  let lane = 0;
  const laneAt = (k) => 4 * n * (1 + k);
  for (const column of columns) {
    const width = widthOf(column.kind, binary.depth);
    for (let p = 0; p < n; p++) {
      if (column.kind === 'run') {
        const x = view.getFloat32(laneAt(lane) + 4 * p, true);
        if (!(column.optional && Number.isNaN(x))) {
          out[p][column.name] = finite(x);
        }
      } else {
        const values = new Array(width);
        for (let k = 0; k < width; k++) {
          values[k] = finite(view.getFloat32(laneAt(lane + k) + 4 * p, true));
        }
        out[p][column.name] = values;
      }
    }
    lane += width;
  }
  if (lane !== binary.lanes) {
    throw new Error('a message of ' + binary.lanes + ' lanes, the schema has ' + lane);
  }
  return out;
}

/** A message as the JSON encoding has it, from a text frame (a string) or a binary frame (an ArrayBuffer). */
export async function decode(data) {
  if (typeof data === 'string') {
    return remember(JSON.parse(data));
  }
  const bytes = new Uint8Array(data);
  const newline = bytes.indexOf(NEWLINE);
  const text = new TextDecoder().decode(newline < 0 ? bytes : bytes.subarray(0, newline));
  const message = JSON.parse(text);
  if (newline < 0 || !message.binary) {
    return remember(message);
  }
  const payload = bytes.subarray(newline + 1);
  const words = message.binary.compressed ? unplane(await inflate(payload)) : payload;
  message.points = points(words, message.binary, message.from);
  delete message.binary;
  return message;
}

function remember(message) {
  if (message.type === 'hello' && Array.isArray(message.schema)) {
    columns = message.schema;
  }
  return message;
}
