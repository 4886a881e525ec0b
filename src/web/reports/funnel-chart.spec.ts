import { CHART_WIDTH, funnelChart } from './funnel-chart.js';

describe('the funnel chart', () => {
  const stages = [
    { name: 'MQL', entered: 10, percent: 100 },
    { name: 'SQL', entered: 6, percent: 60 },
    { name: 'A stage with a long name', entered: 0, percent: 0 },
    { name: 'Won', entered: 1, percent: 10 },
  ];

  it('draws a centred bar per stage as wide as its share of the cohort, inside the view box', () => {
    const chart = funnelChart('trade-show', stages);
    expect(chart.height).toBe(4 * 22);
    const [mql, sql, none, won] = chart.rows;
    expect(sql.width / mql.width).toBeCloseTo(0.6, 2);
    // Centred: the same middle for every bar.
    expect(sql.x + sql.width / 2).toBeCloseTo(mql.x + mql.width / 2, 5);
    expect(none.width).toBe(0);
    expect(won.width).toBeGreaterThanOrEqual(2);
    for (const row of chart.rows) {
      expect(row.x).toBeGreaterThanOrEqual(0);
      expect(row.x + row.width).toBeLessThanOrEqual(CHART_WIDTH);
      expect(row.y + row.height).toBeLessThanOrEqual(chart.height);
    }
    expect(none.label).toBe('A stage with…');
    expect(chart.rows.map((row) => row.valueText)).toEqual(['10', '6 (60 %)', '0 (0 %)', '1 (10 %)']);
  });

  it('says in words what it shows', () => {
    expect(funnelChart('webinar', stages.slice(0, 2)).description).toBe('webinar: MQL 10, SQL 6 (60 %).');
  });

  it('draws nothing to scale for an empty cohort', () => {
    const chart = funnelChart('nobody', [{ name: 'MQL', entered: 0, percent: null }]);
    expect(chart.rows[0].width).toBe(0);
  });
});

describe('the funnel chart for a right-to-left reader', () => {
  const stages = [
    { name: 'MQL', entered: 10, percent: 100 },
    { name: 'SQL', entered: 6, percent: 60 },
  ];

  it('mirrors the picture: each bar where its left-to-right twin is, seen in a mirror, labels right and values left', () => {
    const ltr = funnelChart('webinar', stages);
    const rtl = funnelChart('webinar', stages, true);
    expect(ltr.mirrored).toBe(false);
    expect(rtl.mirrored).toBe(true);
    rtl.rows.forEach((row, index) => {
      const twin = ltr.rows[index];
      expect(row.width).toBe(twin.width);
      expect(row.x + row.width).toBeCloseTo(CHART_WIDTH - twin.x, 5);
      expect(row.valueX).toBe(CHART_WIDTH - twin.valueX);
    });
    expect(rtl.labelX).toBe(CHART_WIDTH);
    expect(ltr.labelX).toBe(0);
  });
});
