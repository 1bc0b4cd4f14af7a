// How much of a file the page shows: the summaries of at most SHOWN_COLUMNS columns and the first
// rows of at most PREVIEW_COLUMNS (every column can still be given a role), with cells, examples
// and names shortened to SHOWN_CHARACTERS. The worker trims a file's overview to this before sending it, so a file with
// thousands of columns or a 50 MB cell never reaches the page's main thread. No DOM here: the
// worker imports it too.

export const SHOWN_COLUMNS = 200;

export const PREVIEW_COLUMNS = 50;

export const SHOWN_CHARACTERS = 80;

/** `text` shortened to SHOWN_CHARACTERS, with an ellipsis. */
export function shorten(text) {
  const s = String(text);
  return s.length > SHOWN_CHARACTERS ? `${s.slice(0, SHOWN_CHARACTERS - 1)}…` : s;
}

/**
 * The engine's overview of a file as the page needs it: every column's name, the summaries of the
 * first SHOWN_COLUMNS columns with shortened examples, and the preview rows cut to the first
 * PREVIEW_COLUMNS columns with shortened cells.
 */
export function shownOverview(overview) {
  const columns = overview.columns.map((c, j) => (j < SHOWN_COLUMNS ? { ...c, examples: c.examples.map(shorten) } : { name: c.name }));
  const { preview } = overview;
  return {
    ...overview,
    columns,
    preview: {
      ...preview,
      names: preview.names.slice(0, PREVIEW_COLUMNS),
      rows: preview.rows.map((r) => r.slice(0, PREVIEW_COLUMNS).map((c) => (c === null ? null : shorten(c)))),
    },
  };
}
