// A session's data as one worker exports it for another (`exportData` -> `importData`): numeric
// columns as Float64Arrays, text columns as codes plus their distinct labels packed in one UTF-8
// buffer with the end of each, every buffer moved with the message rather than copied.

/** The buffers of exported session data's typed arrays, for a message's transfer list. */
export function dataBuffers(data) {
  return data.columns.flatMap((c) => (c.values ? [c.values.buffer] : [c.codes.buffer, c.text.buffer, c.ends.buffer]));
}
