// The map's values as words and as a ranked list.
import { fmt } from '../dom.js';

/** "1.48 (1.40 to 1.57)", or the estimate alone when the interval is not available. */
export function valueText(item) {
  if (!item || !Number.isFinite(item.estimate)) return 'no value';
  const ci = Number.isFinite(item.ci_low) && Number.isFinite(item.ci_high) ? ` (${fmt(item.ci_low)} to ${fmt(item.ci_high)})` : '';
  return `${fmt(item.estimate)}${ci}`;
}

/** What a screen reader hears for an area: "Blackpool: 1.48 (1.40 to 1.57)", plus any extrapolation. */
export function areaLabel(name, item) {
  return `${name}: ${valueText(item)}${item && item.extrapolated ? ', extrapolated' : ''}`;
}

/**
 * Items from the highest estimate to the lowest, each with its rank: 1 + the number of items with a
 * strictly higher estimate (tied items share a rank). Items without a value come last, unranked.
 */
export function ranked(items) {
  const valued = items.filter((it) => Number.isFinite(it.estimate)).sort((a, b) => b.estimate - a.estimate);
  const rows = valued.map((it) => ({ ...it, rank: 0 }));
  rows.forEach((row, i) => {
    row.rank = i > 0 && rows[i - 1].estimate === row.estimate ? rows[i - 1].rank : i + 1;
  });
  return [...rows, ...items.filter((it) => !Number.isFinite(it.estimate)).map((it) => ({ ...it, rank: null }))];
}
