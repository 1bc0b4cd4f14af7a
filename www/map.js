// England at a glance: the 151 upper-tier local authorities as an inline SVG map, each coloured by
// its predicted social gradient, with London and Scilly enlarged, a legend, tooltips, keyboard movement and a
// ranked table of all of them as the accessible alternative. Picking an area (click, Enter or
// Space) dispatches `calculator:pick-la` on the document.
import { h, afterNextPaint } from './dom.js';
import { rampStops, scaleFor } from './map/colour.js';
import { DIRECTIONS, neighbourInDirection } from './map/navigation.js';
import { boundsOf } from './map/path.js';
import { areaLabel, ranked, valueText } from './map/ranking.js';
import { MapZoom, MAX_ZOOM } from './map/zoom.js';

/** How many neighbouring areas are offered after a pick ("not the one you meant?"). */
const NEARBY = 6;

const SVG = 'http://www.w3.org/2000/svg';
const ASSET_URL = 'england-las.json';
const NO_VALUE = '#d0d4d8';
/**
 * Enlarged copies of areas too small to see or touch: each box is [x, y, width] in the map's
 * viewBox, placed over the sea (London in the North Sea, Scilly beside Cornwall).
 */
const INSETS = [
  { label: 'London', box: (w) => [w * 0.7 - 20, 20, w * 0.3], codes: (code) => code.startsWith('E09') },
  { label: 'Isles of Scilly', box: () => [40, 3080, 560], codes: (code) => code === 'E06000053' },
];
/** Height of an inset's title strip and its text, in viewBox units. */
const INSET_TITLE = 120;

/**
 * How values are coloured and worded: the predicted social gradient by default; a colouring
 * from elsewhere (the real figures, www/rates/map-modes.js) passes its own as `data.display`.
 */
const GRADIENT_DISPLAY = {
  scale: scaleFor,
  stops: () => rampStops(),
  ends: ['less steep', 'steeper'],
  most: 'Steepest',
  least: 'Least steep',
  /** What rank 1 is, and why an LA has no rank. */
  first: '1 is the steepest',
  unranked: 'not ranked: very few children',
  header: (data) => (data.any_interval ? 'Score (95% CI)' : 'Score'),
  order: 'from the steepest gradient to the least steep',
  tickDecimals: null,
  valueText,
  areaLabel,
};

/** An SVG element with attributes and children. */
function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs)) if (value !== null && value !== undefined) el.setAttribute(key, String(value));
  el.append(...children);
  return el;
}

/** Pale diagonal stripes 28 units apart (times `scale`), laid over the colour of extrapolated areas. */
function hatchPattern(id, scale) {
  const size = 28 * scale;
  return s('pattern', { id, patternUnits: 'userSpaceOnUse', width: size, height: size, patternTransform: 'rotate(45)' },
    s('rect', { width: 9 * scale, height: size, fill: '#fff', 'fill-opacity': 0.75 }));
}

/** The map geometry (www/static/england-las.json), fetched from the page's own origin. */
async function fetchGeometry() {
  const response = await fetch(ASSET_URL);
  if (!response.ok) throw new Error(`the map could not be loaded (${response.status})`);
  return response.json();
}

export class EnglandMap {
  /**
   * `root`: the element to draw into. The geometry is fetched on `load()`, which the map calls itself
   * when it comes near the viewport or shortly after the first `update`, so it never delays the page.
   */
  constructor(root, { loadGeometry = fetchGeometry } = {}) {
    this.root = root;
    this.loadGeometry = loadGeometry;
    this.geometry = null;
    this.data = null;
    this.focusCode = null;
    this.build();
    if ('IntersectionObserver' in window) {
      const observer = new IntersectionObserver((entries) => {
        if (entries.some((e) => e.isIntersecting)) {
          observer.disconnect();
          this.load();
        }
      }, { rootMargin: '300px' });
      observer.observe(root);
    }
  }

  /** The static parts: frame, tooltip, legend, notes and the table's disclosure. */
  build() {
    this.frame = h('div', { class: 'map-frame' }, h('p', { class: 'map-loading muted' }, 'Loading the map…'));
    this.tooltip = h('div', { class: 'map-tooltip', 'aria-hidden': 'true', hidden: true });
    this.frame.append(this.tooltip);
    this.legend = h('div', { class: 'map-legend' });
    this.reading = h('p', { class: 'map-reading' });
    this.chosen = h('p', { class: 'map-chosen', 'aria-live': 'polite' });
    this.nearby = h('div', { class: 'map-nearby', 'data-testid': 'map-nearby' });
    this.tableBox = h('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': 'All 151 local authorities, ranked' });
    const zoomButton = (label, testid, onclick) => h('button', { type: 'button', 'data-testid': testid, onclick }, label);
    this.zoomIn = zoomButton('Zoom in', 'map-zoom-in', () => this.zoom?.zoom(2, this.zoomPoint()));
    this.zoomOut = zoomButton('Zoom out', 'map-zoom-out', () => this.zoom?.zoom(0.5));
    this.zoomReset = zoomButton('Whole map', 'map-zoom-reset', () => this.zoom?.reset());
    this.zoomBar = h('div', { class: 'map-zoom', role: 'group', 'aria-label': 'Zoom the map' }, this.zoomIn, this.zoomOut, this.zoomReset,
      h('span', { class: 'hint' }, 'Zoomed in, drag to move the map.'));
    this.root.replaceChildren(
      h('div', { class: 'map-layout' },
        h('div', { class: 'map-main' }, this.frame, this.zoomBar),
        h('div', { class: 'map-side' },
          this.legend,
          this.chosen,
          this.nearby,
          this.reading,
          h('p', { class: 'hint' }, 'Point at an area to see its value; click or tap it to choose it, or zoom in first. With the keyboard: Tab to the map, move with the arrow keys, Enter to choose, + and − to zoom.'),
          h('p', { class: 'map-credit' }, ''))),
      h('details', { class: 'map-table' },
        h('summary', {}, 'All 151 local authorities, ranked (table)'),
        this.tableBox));
    this.credit = this.root.querySelector('.map-credit');
  }

  /** A message in place of the values, when they could not be computed. */
  showError(message) {
    this.chosen.replaceChildren(h('span', { class: 'error' }, message));
  }

  /** Fetches the geometry once and draws; later calls return the same promise. */
  load() {
    if (!this.loading) {
      this.loading = this.loadGeometry()
        .then((geometry) => {
          this.geometry = geometry;
          this.draw();
          if (this.data) this.render();
        })
        .catch((e) => {
          this.frame.replaceChildren(h('p', { class: 'error' }, `The map could not be drawn: ${e.message || e}.`));
        });
    }
    return this.loading;
  }

  /** New values: `{ items, label, unit, source, table, selected }`, items one per LA. */
  update(data) {
    this.data = { ...data, byCode: new Map(data.items.map((it) => [it.code, it])) };
    if (this.geometry) this.render();
    else if (!this.loading) setTimeout(() => this.load(), 300);
    this.renderTable();
  }

  /** The SVG: areas, extrapolation hatching, outlines and the London inset, made once. */
  draw() {
    const g = this.geometry;
    const width = g.viewBox[2];
    this.names = new Map(g.las.map((la) => [la.code, la.name]));
    this.codes = g.las.map((la) => la.code);
    this.points = g.las.map((la) => la.c);
    this.paths = new Map();
    // The group itself is no tab stop (Chromium would give a listbox group one, where arrows and
    // Enter do nothing): the keyboard's one stop is the area with tabindex 0.
    const areas = s('g', { class: 'map-areas', role: 'listbox', 'aria-label': 'Local authorities of England', tabindex: -1 });
    for (const la of g.las) {
      const path = s('path', { id: `england-la-${la.code}`, d: la.d, 'data-code': la.code, role: 'option', tabindex: -1, 'aria-selected': 'false' });
      this.paths.set(la.code, path);
      areas.append(path);
    }
    const overlay = (attrs) => s('g', { ...attrs, 'aria-hidden': 'true', 'pointer-events': 'none' });
    this.hatches = overlay({ class: 'map-hatches' });
    this.selectedOutline = overlay({ class: 'map-selected' });
    this.focusOutline = overlay({ class: 'map-focus' });
    this.svg = s('svg', { class: 'map-svg', viewBox: g.viewBox.join(' '), role: 'group', 'aria-roledescription': 'map', 'aria-label': 'Map of England' },
      s('defs', {},
        hatchPattern('england-hatch', 1)),
      areas, this.hatches, this.selectedOutline, this.focusOutline);
    this.insets = [];
    for (const inset of INSETS) this.svg.append(this.inset(inset, width));
    this.frame.replaceChildren(this.svg, this.tooltip);
    this.zoom = new MapZoom(this.svg, g.viewBox, (scale) => {
      this.zoomIn.disabled = scale >= MAX_ZOOM;
      this.zoomOut.disabled = scale <= 1;
      this.zoomReset.disabled = scale <= 1;
      this.hideTooltip();
    });
    this.zoom.apply();
    this.setTabStop(this.codes[0]);
    this.credit.textContent = `Boundaries: ${g.attribution}.`;
    this.listen(areas);
  }

  /**
   * The areas chosen by `inset.codes` again, enlarged in a titled box. Their copies (<use>) take
   * pointer events like the areas themselves; hatching and outlines get their own copies here.
   */
  inset({ label, box, codes }, width) {
    const las = this.geometry.las.filter((la) => codes(la.code));
    const [minX, minY, maxX, maxY] = boundsOf(las.map((la) => la.d));
    const [bx, by, boxW] = box(width);
    const pad = 0.06 * boxW;
    // Enlarged to fill the box's width, or to a height of at most 0.6 of it, centred.
    const k = Math.min((boxW - 2 * pad) / (maxX - minX), (0.6 * boxW) / (maxY - minY));
    const x0 = bx + (boxW - (maxX - minX) * k) / 2;
    const boxH = INSET_TITLE + (maxY - minY) * k + 2 * pad;
    const overlay = () => s('g', { 'pointer-events': 'none' });
    // Hatching as fine as on the main map: the pattern's own copy, shrunk by the enlargement.
    const pattern = `england-hatch-${this.insets.length}`;
    this.svg.querySelector('defs').append(hatchPattern(pattern, 1 / k));
    const parts = { codes, pattern, hatch: overlay(), selected: overlay(), focus: overlay() };
    parts.selected.setAttribute('class', 'map-selected');
    parts.focus.setAttribute('class', 'map-focus');
    const inner = s('g', { class: 'map-inset-areas', transform: `translate(${x0 - minX * k} ${by + INSET_TITLE + pad - minY * k}) scale(${k})` },
      ...las.map((la) => s('use', { href: `#england-la-${la.code}`, 'data-code': la.code })),
      parts.hatch, parts.selected, parts.focus);
    this.insets.push(parts);
    return s('g', { class: 'map-inset', 'aria-hidden': 'true' },
      s('rect', { x: bx, y: by, width: boxW, height: boxH, class: 'map-inset-box' }),
      s('text', { x: bx + pad * 0.5, y: by + INSET_TITLE * 0.75, class: 'map-inset-label' }, label),
      inner);
  }

  /** How the current data are coloured and worded. */
  display() {
    return { ...GRADIENT_DISPLAY, ...(this.data && this.data.display) };
  }

  /** Colours, labels, hatching, outline of the chosen area and the side panel, from the current data. */
  render() {
    const { byCode, items, label, unit, selected } = this.data;
    const display = this.display();
    const scale = display.scale(items.map((it) => it.estimate));
    const hatched = [];
    for (const [code, path] of this.paths) {
      const item = byCode.get(code);
      const valued = item && Number.isFinite(item.estimate);
      path.setAttribute('fill', valued ? scale.colour(item.estimate) : NO_VALUE);
      path.setAttribute('aria-label', display.areaLabel(this.names.get(code), item, this.data.ranked_count));
      path.setAttribute('aria-selected', String(code === selected));
      if (item && item.extrapolated) hatched.push(code);
    }
    const hatch = (codes, pattern) => codes.map((code) => s('path', { d: this.paths.get(code).getAttribute('d'), fill: `url(#${pattern})` }));
    this.hatches.replaceChildren(...hatch(hatched, 'england-hatch'));
    for (const inset of this.insets) inset.hatch.replaceChildren(...hatch(hatched.filter(inset.codes), inset.pattern));
    this.outline('selected', selected, ['map-halo', 'map-line']);
    const areasGroup = this.svg.querySelector('.map-areas');
    areasGroup.setAttribute('aria-label', `${label}, by local authority. Arrow keys move between neighbouring areas; Enter chooses one.`);
    if (!this.focusCode || !this.paths.has(this.focusCode)) this.focusCode = this.paths.has(selected) ? selected : this.codes[0];
    this.setTabStop(this.focusCode);
    this.renderLegend(scale, label, unit, hatched.length, this.data.range_note);
    this.renderSide(items);
  }

  /** Copies of one area's outline, one per class (drawn in order), as the `kind` ('selected' or 'focus') outline. */
  outline(kind, code, classes) {
    const path = code && this.paths.get(code);
    const copies = () => (path ? classes.map((c) => s('path', { d: path.getAttribute('d'), class: c })) : []);
    (kind === 'selected' ? this.selectedOutline : this.focusOutline).replaceChildren(...copies());
    for (const inset of this.insets) inset[kind].replaceChildren(...(code && inset.codes(code) ? copies() : []));
  }

  renderLegend(scale, label, unit, extrapolatedCount, rangeNote) {
    const gradientId = 'england-ramp';
    const display = this.display();
    const at = (v) => (scale.hi > scale.lo ? scale.t(v) * 100 : 50);
    const step = scale.ticks.length > 1 ? scale.ticks[1] - scale.ticks[0] : 1;
    const decimals = display.tickDecimals ?? Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
    const ends = [...this.data.items].filter((it) => Number.isFinite(it.estimate)).sort((a, b) => a.estimate - b.estimate);
    const bar = s('svg', { class: 'map-legend-bar', role: 'img', 'aria-label': `Colour scale from ${ends[0]?.shown?.value} (${display.ends[0]}) to ${ends.at(-1)?.shown?.value} (${display.ends[1]})` },
      s('defs', {}, s('linearGradient', { id: gradientId }, ...display.stops(scale).map(([o, c]) => s('stop', { offset: o, 'stop-color': c })))),
      s('rect', { x: 0, y: 0, width: '100%', height: 22, fill: `url(#${gradientId})` }),
      ...scale.ticks.map((v) => s('line', { x1: `${at(v)}%`, x2: `${at(v)}%`, y1: 0, y2: 30, class: 'map-tick' })),
      ...scale.ticks.map((v) => {
        const p = at(v);
        const anchor = p < 6 ? 'start' : p > 94 ? 'end' : 'middle';
        return s('text', { x: `${p}%`, y: 50, 'text-anchor': anchor, class: 'map-tick-label' }, v.toFixed(decimals));
      }));
    this.legend.replaceChildren(
      h('p', { class: 'map-legend-title' }, label),
      h('p', { class: 'map-legend-unit' }, unit),
      bar,
      h('p', { class: 'map-legend-ends' }, h('span', {}, display.ends[0]), h('span', {}, display.ends[1])),
      extrapolatedCount > 0
        ? h('p', { class: 'map-legend-note' }, h('span', { class: 'map-hatch-key', 'aria-hidden': 'true' }),
          `Hatched: ${extrapolatedCount} local authorit${extrapolatedCount === 1 ? 'y lies' : 'ies lie'} ${rangeNote || 'outside the range the tables print'}.`)
        : '');
  }

  renderSide(items) {
    const { selected, source, table, ranked_count: count, unranked_note: unranked } = this.data;
    const display = this.display();
    const rows = ranked(items).filter((r) => r.rank !== null);
    const ends = (rank) => {
      const at = rows.filter((r) => r.rank === rank);
      return at.length ? `${at.map((r) => this.nameOf(r)).join(' and ')} (${display.valueText(at[0])})` : '';
    };
    this.reading.textContent = rows.length
      ? `${display.most}: ${ends(1)}. ${display.least}: ${ends(rows.at(-1).rank)}. Ranks are out of ${count}: ${unranked} ${source}, ${table}.`
      : '';
    const pick = items.find((r) => r.code === selected);
    const rankWords = (r) => (r.rank_shown ? ` — ranked ${r.rank_shown} of ${count} (${display.first})` : ` — ${display.unranked}`);
    this.chosen.replaceChildren(...(pick
      ? [h('strong', {}, `${this.nameOf(pick)}: ${display.valueText(pick)}`), `${rankWords(pick)}${pick.extrapolated ? '; outside the range the tables print' : ''}.`]
      : ['Choose a local authority on the map or in the table.']));
    this.renderNearby(selected);
  }

  /** After a pick, the areas around it as buttons, for a finger that landed on the wrong small area. */
  renderNearby(code) {
    const i = this.codes ? this.codes.indexOf(code) : -1;
    if (i < 0) {
      this.nearby.replaceChildren();
      return;
    }
    const [x0, y0] = this.points[i];
    const near = this.codes
      .map((c, j) => ({ c, d: Math.hypot(this.points[j][0] - x0, this.points[j][1] - y0) }))
      .filter((n) => n.c !== code)
      .sort((a, b) => a.d - b.d)
      .slice(0, NEARBY);
    this.nearby.replaceChildren(
      h('p', { class: 'map-nearby-title', id: 'map-nearby-title' }, 'Not the one you meant? Nearby:'),
      h('ul', { 'aria-labelledby': 'map-nearby-title' }, near.map((n) => h('li', {},
        h('button', { type: 'button', 'data-code': n.c, onclick: () => this.pick(n.c) }, this.names.get(n.c))))));
  }

  nameOf(item) {
    return (this.names && this.names.get(item.code)) || item.name || item.code;
  }

  /** The ranked table: rank, name (a button that chooses it), score (with its 95% CI where there is one), note. */
  renderTable() {
    const { items, label, selected, ranked_count: count, unranked_note: unranked } = this.data;
    const display = this.display();
    const valueText = display.valueText;
    const rows = ranked(items);
    const note = (r) => [r.rank === null ? display.unranked : '', r.extrapolated ? 'outside the range the tables print' : ''].filter(Boolean).join('; ');
    this.tableBox.replaceChildren(h('table', { class: 'data map-ranking' },
      h('caption', {}, `${label}: ${count} local authorities ranked ${display.order} (tied values share a rank, marked =). ${unranked}`),
      h('thead', {}, h('tr', {}, ['Rank', 'Local authority', display.header(this.data), 'Note'].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, rows.map((r) => h('tr', { class: r.code === selected ? 'selected' : null, 'aria-current': r.code === selected ? 'true' : null },
        h('td', {}, r.rank_shown ?? '–'),
        h('th', { scope: 'row', class: 'text' }, h('button', { type: 'button', class: 'link', 'data-code': r.code, onclick: () => this.pick(r.code) }, this.nameOf(r))),
        h('td', {}, valueText(r)),
        h('td', { class: 'text' }, note(r)))))));
  }

  /** Where to zoom in: the area the keyboard is on, else the chosen one, else the middle of the view. */
  zoomPoint() {
    const code = this.svg?.contains(document.activeElement) ? this.focusCode : this.data?.selected || this.focusCode;
    const i = this.codes ? this.codes.indexOf(code) : -1;
    return i >= 0 ? this.points[i] : null;
  }

  /** Pointer and keyboard handling on the areas (and, for the pointer, their inset copies). */
  listen(areas) {
    const codeAt = (target) => target.closest && target.closest('[data-code]')?.getAttribute('data-code');
    this.svg.addEventListener('pointermove', (e) => {
      const code = codeAt(e.target);
      if (code) this.showTooltip(code, e.clientX, e.clientY);
      else this.hideTooltip();
    });
    this.svg.addEventListener('pointerleave', () => this.hideTooltip());
    window.addEventListener('scroll', () => {
      if (!this.svg.contains(document.activeElement)) this.hideTooltip();
    }, { passive: true });
    this.svg.addEventListener('click', (e) => {
      const code = codeAt(e.target);
      if (!code) return;
      this.pick(code);
      this.showTooltip(code, e.clientX, e.clientY);
    });
    areas.addEventListener('focusin', (e) => {
      const code = codeAt(e.target);
      if (!code) return;
      this.focusCode = code;
      this.setTabStop(code);
      this.outline('focus', code, ['map-focus-edge', 'map-focus-line']);
      const box = this.paths.get(code).getBoundingClientRect();
      this.showTooltip(code, box.left + box.width / 2, box.top + box.height / 2);
    });
    areas.addEventListener('focusout', () => {
      this.outline('focus', null, []);
      this.hideTooltip();
    });
    areas.addEventListener('keydown', (e) => {
      const code = codeAt(e.target);
      if (!code) return;
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        this.pick(code);
      } else if (DIRECTIONS[e.key]) {
        e.preventDefault();
        const next = neighbourInDirection(this.points, this.codes.indexOf(code), DIRECTIONS[e.key]);
        if (next >= 0) this.focusArea(this.codes[next]);
      } else if ((e.key === 'Home' || e.key === 'End') && this.data) {
        e.preventDefault();
        const rows = ranked(this.data.items).filter((r) => r.rank !== null);
        const target = e.key === 'Home' ? rows[0] : rows.at(-1);
        if (target) this.focusArea(target.code);
      } else if (e.key === '+' || e.key === '=') {
        e.preventDefault();
        this.zoom.zoom(2, this.points[this.codes.indexOf(code)]);
      } else if (e.key === '-' || e.key === '_') {
        e.preventDefault();
        this.zoom.zoom(0.5);
      } else if (e.key === '0') {
        e.preventDefault();
        this.zoom.reset();
      } else if (e.key === 'Escape') {
        this.hideTooltip();
      }
    });
  }

  /** Only one area is in the tab order: the one keyboard focus last rested on (or the chosen one). */
  setTabStop(code) {
    for (const [c, path] of this.paths) path.setAttribute('tabindex', c === code ? '0' : '-1');
  }

  focusArea(code) {
    this.setTabStop(code);
    this.zoom?.show(this.points[this.codes.indexOf(code)]);
    this.paths.get(code).focus();
  }

  /** Marks `code` as chosen and tells the calculator. */
  pick(code) {
    if (this.data) {
      this.data.selected = code;
      if (this.geometry) this.render();
      this.renderTable();
    }
    document.dispatchEvent(new CustomEvent('calculator:pick-la', { detail: { code }, bubbles: true }));
  }

  /** The tooltip near (x, y) in viewport pixels, kept inside the map's frame. */
  showTooltip(code, x, y) {
    const item = this.data && this.data.byCode.get(code);
    const display = this.display();
    this.tooltip.replaceChildren(h('strong', {}, this.names.get(code)), h('br'), display.valueText(item));
    if (item && item.rank_shown) this.tooltip.append(h('br'), `ranked ${item.rank_shown} of ${this.data.ranked_count}`);
    if (item && item.extrapolated) this.tooltip.append(h('br'), h('span', { class: 'map-tooltip-note' }, 'outside the printed range'));
    this.tooltip.hidden = false;
    const frame = this.frame.getBoundingClientRect();
    const tip = this.tooltip.getBoundingClientRect();
    const left = Math.min(Math.max(0, x - frame.left + 14), frame.width - tip.width);
    const above = y - frame.top - tip.height - 14;
    const top = above >= 0 ? above : Math.min(y - frame.top + 18, frame.height - tip.height);
    this.tooltip.style.left = `${Math.max(0, left)}px`;
    this.tooltip.style.top = `${Math.max(0, top)}px`;
  }

  hideTooltip() {
    this.tooltip.hidden = true;
  }
}

/**
 * Shows the map in `section` and keeps it in step with the calculator: each `calculator:change`
 * (detail `{ laRequest, selected }`) recomputes every LA's gradient with `engine.laGradients`.
 * Call it before the calculator starts, so that its first change is heard.
 */
export function connectEnglandMap(engine, section) {
  section.hidden = false;
  const map = new EnglandMap(section.querySelector('.england-map'));
  // The map is coloured after the calculator's answer is painted, with the latest change only
  // (a slider dragged across many values recolours it once per pause, not at every value).
  let latest = null;
  let last = null; // the calculator's last change, to colour by again (map.refresh)
  const colour = () => {
    const { laRequest, selected } = latest;
    last = latest;
    latest = null;
    // Another colouring chosen for the map (www/rates/map-modes.js) colours it instead.
    if (map.override) {
      map.override(selected);
      return;
    }
    try {
      const result = engine.laGradients(laRequest);
      // The engine names each LA by `la_code` and `la_name`.
      const items = result.items.map(({ la_code, la_name, ...rest }) => ({ code: la_code, name: la_name, ...rest }));
      map.update({ ...result, items, selected });
    } catch (err) {
      map.showError(`The map could not be coloured: ${err.message || err}`);
    }
  };
  document.addEventListener('calculator:change', (e) => {
    if (!latest) afterNextPaint(colour);
    latest = e.detail;
  });
  /** Colours the map again by the calculator's last change (after another colouring is left). */
  map.refresh = () => {
    if (!last || latest) return;
    latest = last;
    colour();
  };
  return map;
}
