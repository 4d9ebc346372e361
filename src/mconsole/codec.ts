// Pure codec for the UML management console wire format (arch/um/drivers/mconsole.h).
// All fields are u32 in host byte order (little-endian on x86_64). No I/O here.

export const MCONSOLE_MAGIC = 0xcafebabe;
export const MCONSOLE_VERSION = 2;
/** Size of the data area of every packet; a request's text must be shorter (it is NUL-terminated). */
export const MCONSOLE_MAX_DATA = 512;
export const REQUEST_HEADER_BYTES = 12;
export const REPLY_HEADER_BYTES = 12;
export const NOTIFY_HEADER_BYTES = 16;

export class RequestTooLargeError extends Error {
  readonly kind = 'too-large' as const;
  constructor(readonly bytes: number) {
    super(`request is ${bytes} bytes; mconsole accepts at most ${MCONSOLE_MAX_DATA - 1}`);
    this.name = 'RequestTooLargeError';
  }
}

export class BadPacketError extends Error {
  readonly kind = 'bad-packet' as const;
  constructor(
    message: string,
    readonly bytes: Buffer,
  ) {
    super(message);
    this.name = 'BadPacketError';
  }
}

/** Encode a request; throws RequestTooLargeError before anything is sent. */
export function encodeRequest(command: string): Buffer {
  const text = Buffer.from(command, 'utf8');
  if (text.length >= MCONSOLE_MAX_DATA) throw new RequestTooLargeError(text.length);
  if (text.includes(0)) throw new BadPacketError('request contains a NUL byte', text);
  // 12 + len bytes, no padding: the kernel NUL-terminates at data[len].
  const packet = Buffer.alloc(REQUEST_HEADER_BYTES + text.length);
  packet.writeUInt32LE(MCONSOLE_MAGIC, 0);
  packet.writeUInt32LE(MCONSOLE_VERSION, 4);
  packet.writeUInt32LE(text.length, 8);
  text.copy(packet, REQUEST_HEADER_BYTES);
  return packet;
}

export interface DecodedRequest {
  magic: number;
  version: number;
  command: string;
}

export function decodeRequest(packet: Buffer): DecodedRequest {
  if (packet.length < REQUEST_HEADER_BYTES)
    throw new BadPacketError(`request of ${packet.length} bytes is shorter than its 12-byte header`, packet);
  const magic = packet.readUInt32LE(0);
  const version = packet.readUInt32LE(4);
  const len = packet.readUInt32LE(8);
  if (magic !== MCONSOLE_MAGIC) throw new BadPacketError(`wrong magic 0x${magic.toString(16)}`, packet);
  if (len >= MCONSOLE_MAX_DATA || REQUEST_HEADER_BYTES + len > packet.length)
    throw new BadPacketError(`request length ${len} does not fit the packet`, packet);
  return {
    magic,
    version,
    command: packet.subarray(REQUEST_HEADER_BYTES, REQUEST_HEADER_BYTES + len).toString('utf8'),
  };
}

export interface ReplyPacket {
  /** Driver status, decoded as int32: 0 OK, 1 generic error, negative errno from config/remove. */
  err: number;
  /** Nonzero on every packet of a reply but the last. */
  more: boolean;
  /** Text carried by this packet (NUL and everything after it removed). */
  text: string;
  /** The same bytes undecoded: the kernel cuts long replies at byte counts, through UTF-8 characters. */
  data: Buffer;
}

/** Decode one reply datagram. Throws BadPacketError for anything that is not a well-formed reply. */
export function decodeReply(packet: Buffer): ReplyPacket {
  if (packet.length < REPLY_HEADER_BYTES) {
    throw new BadPacketError(
      `reply of ${packet.length} bytes is shorter than its 12-byte header (truncated packet)`,
      packet,
    );
  }
  const err = packet.readInt32LE(0);
  const moreWord = packet.readUInt32LE(4);
  const len = packet.readUInt32LE(8);
  if (packet.readUInt32LE(0) === MCONSOLE_MAGIC) {
    throw new BadPacketError('packet carries the request magic 0xcafebabe: not a reply', packet);
  }
  if (moreWord > 1)
    throw new BadPacketError(`reply 'more' field is ${moreWord}, expected 0 or 1 (wrong format?)`, packet);
  if (len > MCONSOLE_MAX_DATA) throw new BadPacketError(`reply length ${len} exceeds ${MCONSOLE_MAX_DATA}`, packet);
  if (REPLY_HEADER_BYTES + len > packet.length) {
    throw new BadPacketError(
      `reply says ${len} data bytes but the packet holds ${packet.length - REPLY_HEADER_BYTES} (truncated packet)`,
      packet,
    );
  }
  const whole = packet.subarray(REPLY_HEADER_BYTES, REPLY_HEADER_BYTES + len);
  const nul = whole.indexOf(0);
  const data = nul === -1 ? whole : whole.subarray(0, nul);
  return { err, more: moreWord === 1, text: data.toString('utf8'), data };
}

export function encodeReply(reply: { err?: number; more?: boolean; text: string }): Buffer {
  const text = Buffer.from(reply.text, 'utf8');
  if (text.length >= MCONSOLE_MAX_DATA) throw new RequestTooLargeError(text.length);
  const packet = Buffer.alloc(REPLY_HEADER_BYTES + text.length + 1);
  packet.writeInt32LE(reply.err ?? 0, 0);
  packet.writeUInt32LE(reply.more ? 1 : 0, 4);
  packet.writeUInt32LE(text.length + 1, 8);
  text.copy(packet, REPLY_HEADER_BYTES);
  return packet;
}

/** A whole reply, reassembled from its packets. */
export interface Reply {
  ok: boolean;
  err: number;
  text: string;
  packets: number;
}

/**
 * Reassembles a multi-packet reply. The kernel sets `err` only on the first packet and ends a reply
 * with a packet whose `more` is 0. Feed packets in arrival order; `push` returns the Reply when done.
 */
export class ReplyAssembler {
  // bytes, decoded once whole: a character cut between two packets is one character again
  private parts: Buffer[] = [];
  private firstErr: number | undefined;
  private lastErr = 0;
  packets = 0;

  push(packet: ReplyPacket): Reply | undefined {
    this.packets += 1;
    if (this.firstErr === undefined) this.firstErr = packet.err;
    if (packet.err !== 0) this.lastErr = packet.err;
    this.parts.push(packet.data);
    if (packet.more) return undefined;
    const err = this.firstErr !== 0 ? this.firstErr : this.lastErr;
    return { ok: err === 0, err, text: Buffer.concat(this.parts).toString('utf8'), packets: this.packets };
  }

  /** What arrived so far, for an incomplete reply. */
  partialText(): string {
    return Buffer.concat(this.parts).toString('utf8');
  }
  get bytes(): number {
    return this.parts.reduce((n, p) => n + p.length, 0);
  }
}

export const NOTIFY_TYPES = ['socket', 'panic', 'hang', 'user'] as const;
export type NotifyType = (typeof NOTIFY_TYPES)[number] | 'unknown';

export interface Notification {
  type: NotifyType;
  typeCode: number;
  /** Payload text; the kernel NUL-terminates some types, user notifications are raw bytes. */
  text: string;
  /** Set when the packet used uml_watchdog's 64-bit-magic layout. */
  watchdogLayout: boolean;
}

/** Decode a notification datagram sent to a `mconsole=notify:PATH` socket. */
export function decodeNotify(packet: Buffer): Notification {
  if (packet.length < NOTIFY_HEADER_BYTES)
    throw new BadPacketError(`notification of ${packet.length} bytes is shorter than its 16-byte header`, packet);
  const magic = packet.readUInt32LE(0);
  if (magic !== MCONSOLE_MAGIC)
    throw new BadPacketError(`notification has wrong magic 0x${magic.toString(16)}`, packet);
  // uml_watchdog writes `unsigned long magic`: magic u64, version @8, type @12, len @16, 24 bytes.
  if (packet.length === 24 && packet.readUInt32LE(4) === 0 && packet.readUInt32LE(8) === MCONSOLE_VERSION) {
    const typeCode = packet.readUInt32LE(12);
    return { type: notifyTypeName(typeCode), typeCode, text: '', watchdogLayout: true };
  }
  const version = packet.readUInt32LE(4);
  if (version !== MCONSOLE_VERSION)
    throw new BadPacketError(`notification version ${version}, expected ${MCONSOLE_VERSION}`, packet);
  const typeCode = packet.readUInt32LE(8);
  const len = packet.readUInt32LE(12);
  if (len > MCONSOLE_MAX_DATA || NOTIFY_HEADER_BYTES + len > packet.length) {
    throw new BadPacketError(
      `notification says ${len} data bytes but the packet holds ${packet.length - NOTIFY_HEADER_BYTES}`,
      packet,
    );
  }
  const data = packet.subarray(NOTIFY_HEADER_BYTES, NOTIFY_HEADER_BYTES + len);
  const nul = data.indexOf(0);
  return {
    type: notifyTypeName(typeCode),
    typeCode,
    text: (nul === -1 ? data : data.subarray(0, nul)).toString('utf8'),
    watchdogLayout: false,
  };
}

export function encodeNotify(typeCode: number, text: string): Buffer {
  const data = Buffer.from(text, 'utf8');
  const packet = Buffer.alloc(NOTIFY_HEADER_BYTES + data.length);
  packet.writeUInt32LE(MCONSOLE_MAGIC, 0);
  packet.writeUInt32LE(MCONSOLE_VERSION, 4);
  packet.writeUInt32LE(typeCode, 8);
  packet.writeUInt32LE(data.length, 12);
  data.copy(packet, NOTIFY_HEADER_BYTES);
  return packet;
}

function notifyTypeName(code: number): NotifyType {
  return NOTIFY_TYPES[code] ?? 'unknown';
}
