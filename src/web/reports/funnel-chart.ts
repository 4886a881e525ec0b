/**
 * A group's funnel as an SVG drawn on the server: a centred bar per stage, as wide as the share of
 * the group's cohort that entered it, the count beside. Coordinates in a 320-wide view box that
 * the page scales to its column, so it fits a phone without a sideways scroll.
 */

export const CHART_WIDTH = 320;
const LABEL_WIDTH = 84;
const VALUE_WIDTH = 76;
/** Longer stage names are cut in the picture; the table beside has them whole. */
const LABEL_CHARACTERS = 13;
const ROW_HEIGHT = 22;
const BAR_HEIGHT = 16;
/** An entered stage keeps a visible sliver however small its share. */
const MIN_BAR = 2;

export interface ChartRow {
  label: string;
  /** The bar, centred in the plot area. */
  x: number;
  y: number;
  width: number;
  height: number;
  /** Where the label and the value are written (baseline). */
  textY: number;
  valueX: number;
  valueText: string;
}

export interface FunnelChart {
  width: number;
  height: number;
  labelX: number;
  rows: ChartRow[];
  /** What a screen reader hears instead of the picture. */
  description: string;
  /**
   * Drawn for a right-to-left reader: labels on the right, values on the left, bars mirrored. The
   * SVG then says `direction="ltr"` so that its anchors mean left and right whatever the page's
   * direction, while each label keeps its own script's order.
   */
  mirrored: boolean;
}

const round = (value: number) => Math.round(value * 10) / 10;

export function funnelChart(title: string, stages: readonly { name: string; entered: number; percent: number | null }[], mirrored = false): FunnelChart {
  const plot = CHART_WIDTH - LABEL_WIDTH - VALUE_WIDTH;
  const cohort = stages[0]?.entered ?? 0;
  const rows = stages.map((stage, index): ChartRow => {
    const share = cohort > 0 ? Math.min(1, stage.entered / cohort) : 0;
    const width = stage.entered > 0 ? Math.max(MIN_BAR, round(share * plot)) : 0;
    const y = index * ROW_HEIGHT + (ROW_HEIGHT - BAR_HEIGHT) / 2;
    return {
      label: stage.name.length > LABEL_CHARACTERS ? `${stage.name.slice(0, LABEL_CHARACTERS - 1)}…` : stage.name,
      x: mirrored ? round(CHART_WIDTH - LABEL_WIDTH - (plot - width) / 2 - width) : round(LABEL_WIDTH + (plot - width) / 2),
      y,
      width,
      height: BAR_HEIGHT,
      textY: y + BAR_HEIGHT - 4,
      valueX: mirrored ? 2 : CHART_WIDTH - 2,
      valueText: index === 0 || stage.percent === null ? String(stage.entered) : `${stage.entered} (${stage.percent} %)`,
    };
  });
  const described = stages.map((stage, index) => (index === 0 || stage.percent === null ? `${stage.name} ${stage.entered}` : `${stage.name} ${stage.entered} (${stage.percent} %)`));
  return {
    width: CHART_WIDTH,
    height: Math.max(1, stages.length) * ROW_HEIGHT,
    labelX: mirrored ? CHART_WIDTH : 0,
    rows,
    description: `${title}: ${described.join(', ')}.`,
    mirrored,
  };
}
