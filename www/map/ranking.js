// The map's values as words and as a ranked list, all from the engine: each item's score as shown
// (`shown`: the calculator's one number format) and its rank (`rank`, `rank_shown`: 1 is the
// steepest, tied scores share a rank, the two LAs with very few children are not ranked).

/** "1.48 (1.40 to 1.57)", or the score alone when it has no interval. */
export function valueText(item) {
  if (!item || !item.shown) return 'no value';
  const { value, ci_low: low, ci_high: high } = item.shown;
  return low !== null && high !== null ? `${value} (${low} to ${high})` : value;
}

/** What a screen reader hears for an area: "Blackpool: 1.26, ranked 147 of 149", and any flag. */
export function areaLabel(name, item, rankedCount) {
  if (!item) return `${name}: no value`;
  const rank = item.rank_shown ? `, ranked ${item.rank_shown} of ${rankedCount}` : ', not ranked (very few children)';
  return `${name}: ${valueText(item)}${rank}${item.extrapolated ? ', outside the range the tables print' : ''}`;
}

/** Items in rank order (ties by name), then the unranked ones by name. */
export function ranked(items) {
  const byName = (a, b) => (a.name || a.la_name || '').localeCompare(b.name || b.la_name || '');
  const withRank = items.filter((it) => it.rank !== null && it.rank !== undefined).sort((a, b) => a.rank - b.rank || byName(a, b));
  const without = items.filter((it) => it.rank === null || it.rank === undefined).sort(byName);
  return [...withRank, ...without];
}
