// Reading the map asset's paths: `M x y l dx dy dx dy ... z` per ring, whole numbers.

/** The absolute points of every ring of a path. */
export function pathPoints(d) {
  return [...d.matchAll(/M(-?\d+) ?(-?\d+)l([^z]*)z/g)].flatMap(([, x0, y0, rest]) => {
    let [x, y] = [Number(x0), Number(y0)];
    const steps = rest.match(/-?\d+/g).map(Number);
    const points = [[x, y]];
    for (let i = 0; i < steps.length; i += 2) points.push([(x += steps[i]), (y += steps[i + 1])]);
    return points;
  });
}

/** [minX, minY, maxX, maxY] of a set of paths. */
export function boundsOf(paths) {
  const points = paths.flatMap(pathPoints);
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}
