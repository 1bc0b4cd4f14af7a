// Keyboard movement between areas of the map: from one area's label point to the nearest area in
// the direction of an arrow key.

export const DIRECTIONS = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };

/**
 * Index of the area to move to from `from` in direction `dir` ([dx, dy], y growing downwards), or
 * -1 if there is none. For each other point, `along` is its distance in that direction and
 * `across` its distance sideways; points ahead within 45° of the direction are preferred, then any
 * point ahead, and the cost `along + 2 |across|` picks the nearest one that lies most straight ahead.
 */
export function neighbourInDirection(points, from, [dx, dy]) {
  const [x0, y0] = points[from];
  let best = -1;
  let bestKey = null;
  points.forEach(([x, y], i) => {
    if (i === from) return;
    const along = (x - x0) * dx + (y - y0) * dy;
    const across = Math.abs((x - x0) * dy - (y - y0) * dx);
    if (along <= 0) return;
    const key = [across <= along ? 0 : 1, along + 2 * across];
    if (!bestKey || key[0] < bestKey[0] || (key[0] === bestKey[0] && key[1] < bestKey[1])) {
      best = i;
      bestKey = key;
    }
  });
  return best;
}
