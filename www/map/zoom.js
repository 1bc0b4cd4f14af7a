// Zooming and panning the map, for areas too small to see or touch on a phone: buttons (and + / −
// on the keyboard) scale the SVG's viewBox about a point, dragging moves it once zoomed, and the
// view follows the keyboard's focus. Nothing is redrawn: only the viewBox changes.

/** The largest magnification: Blackpool, 3 by 7 px on a phone, becomes 24 by 56. */
export const MAX_ZOOM = 8;

export class MapZoom {
  /**
   * `svg`: the map; `base`: its whole viewBox [x, y, w, h]; `onChange(scale)` hears every change.
   */
  constructor(svg, base, onChange = () => {}) {
    this.svg = svg;
    this.base = base;
    this.onChange = onChange;
    this.scale = 1;
    this.centre = [base[0] + base[2] / 2, base[1] + base[3] / 2];
    this.dragged = false;
    this.listen();
  }

  /** The viewBox now: the base, `scale` times smaller, about `centre`, kept inside the base. */
  view() {
    const [bx, by, bw, bh] = this.base;
    const [w, hh] = [bw / this.scale, bh / this.scale];
    const x = Math.min(Math.max(this.centre[0] - w / 2, bx), bx + bw - w);
    const y = Math.min(Math.max(this.centre[1] - hh / 2, by), by + bh - hh);
    return [x, y, w, hh];
  }

  apply() {
    const v = this.view();
    this.centre = [v[0] + v[2] / 2, v[1] + v[3] / 2];
    this.svg.setAttribute('viewBox', v.map((n) => Math.round(n)).join(' '));
    this.svg.classList.toggle('zoomed', this.scale > 1);
    this.onChange(this.scale);
  }

  /** Multiplies the magnification by `factor` (kept between 1 and MAX_ZOOM), about `point` if given. */
  zoom(factor, point = null) {
    const next = Math.min(MAX_ZOOM, Math.max(1, this.scale * factor));
    if (point) this.centre = point;
    this.scale = next;
    this.apply();
  }

  reset() {
    this.scale = 1;
    this.centre = [this.base[0] + this.base[2] / 2, this.base[1] + this.base[3] / 2];
    this.apply();
  }

  /** Brings `point` (viewBox units) into view, centring on it if it is outside. */
  show(point) {
    if (this.scale === 1 || !point) return;
    const [x, y, w, hh] = this.view();
    const margin = 0.1;
    const inside = point[0] > x + margin * w && point[0] < x + (1 - margin) * w && point[1] > y + margin * hh && point[1] < y + (1 - margin) * hh;
    if (!inside) {
      this.centre = point;
      this.apply();
    }
  }

  /** Dragging pans the zoomed map; a drag of more than a few pixels is not a click. */
  listen() {
    let start = null;
    this.svg.addEventListener('pointerdown', (e) => {
      this.dragged = false;
      if (this.scale === 1 || e.button !== 0) return;
      start = { x: e.clientX, y: e.clientY, centre: [...this.centre], id: e.pointerId };
    });
    this.svg.addEventListener('pointermove', (e) => {
      if (!start || e.pointerId !== start.id) return;
      const dx = e.clientX - start.x;
      const dy = e.clientY - start.y;
      if (!this.dragged && Math.hypot(dx, dy) < 6) return;
      if (!this.dragged) this.svg.setPointerCapture?.(e.pointerId);
      this.dragged = true;
      const box = this.svg.getBoundingClientRect();
      const [, , w] = this.view();
      const unitsPerPixel = w / box.width;
      this.centre = [start.centre[0] - dx * unitsPerPixel, start.centre[1] - dy * unitsPerPixel];
      this.apply();
    });
    const end = () => { start = null; };
    this.svg.addEventListener('pointerup', end);
    this.svg.addEventListener('pointercancel', end);
    // A click that ends a drag does not choose an area.
    this.svg.addEventListener('click', (e) => {
      if (this.dragged) {
        e.stopImmediatePropagation();
        this.dragged = false;
      }
    }, true);
  }
}
