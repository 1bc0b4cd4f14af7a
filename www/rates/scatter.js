// The inverse intervention law in real data: every LA's rate of the chosen measure against its
// deprivation (IMD 2019 average score), the model's expected rate as a line, the chosen LA
// marked; hover or focus names an LA.
import { h } from '../dom.js';
import { chartFigure, drawFigure } from '../charts.js';
import { chartPoints, chartSize, namePoints } from './points.js';

export class ScatterSection {
  constructor(section, page) {
    this.page = page;
    this.reading = h('p', { class: 'hint rates-law-reading', 'data-testid': 'law-reading' });
    this.chart = h('div', { class: 'rates-scatter' });
    section.append(h('h2', { id: 'rates-law-title' }, 'The inverse intervention law in real data'), this.chart, this.reading);
  }

  show(view) {
    const s = view.scatter;
    if (!s) {
      this.chart.replaceChildren();
      this.reading.textContent = '';
      return;
    }
    const fig = chartFigure(s.chart.view, { canvasId: 'rates-scatter-chart', size: chartSize([760, 460]) });
    namePoints(fig, chartPoints(s.chart), {
      chosen: view.la_code,
      label: `Local authorities on the chart of rates against deprivation: the arrow keys move from the least deprived to the most, Enter chooses one`,
      describe: (p) => `${p.name}: ${p.shown}`,
    });
    this.chart.replaceChildren(fig);
    this.reading.textContent = s.reading;
    requestAnimationFrame(() => drawFigure(this.page, fig));
  }
}
