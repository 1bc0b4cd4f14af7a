// A session's data as one worker exports it for another (`exportData` -> `importData`): the
// columns as typed arrays, whose buffers are moved with the message rather than copied.

/** The buffers of exported session data's typed arrays, for a message's transfer list. */
export function dataBuffers(data) {
  return data.columns.map((c) => (c.values || c.codes).buffer);
}
