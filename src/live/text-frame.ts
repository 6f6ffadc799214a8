/**
 * One unmasked, final WebSocket text frame (RFC 6455 §5.2): header and payload
 * in one buffer. The hub writes the same message to thousands of sockets; `ws`
 * would frame it again for each and write header and payload as two chunks,
 * which costs a JavaScript array and a `writev` per socket. Framed once here,
 * each socket costs one plain `write`. (`ws` does not export its framing.)
 */
export function textFrame(text: string | Buffer): Buffer {
  const n = typeof text === 'string' ? Buffer.byteLength(text) : text.length;
  const head = n < 126 ? 2 : n < 0x10000 ? 4 : 10;
  const frame = Buffer.allocUnsafe(head + n);
  frame[0] = 0x81; // FIN + text
  if (n < 126) frame[1] = n;
  else if (n < 0x10000) {
    frame[1] = 126;
    frame.writeUInt16BE(n, 2);
  } else {
    frame[1] = 127;
    frame.writeBigUInt64BE(BigInt(n), 2);
  }
  if (typeof text === 'string') frame.write(text, head);
  else text.copy(frame, head);
  return frame;
}
