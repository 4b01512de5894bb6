// A Chart.js plugin: a shaded band around a rule-of-thumb value on the y axis (the update ratio's 1e-3), from
// value·factor to value/factor, with a dashed line at the value itself. Drawn under the lines.

export function ruleOfThumb(value, factor) {
  return {
    id: 'ruleOfThumb',
    beforeDatasetsDraw(chart) {
      const y = chart.scales.y;
      const area = chart.chartArea;
      if (!y || !area) {
        return;
      }
      const clamp = (p) => Math.min(Math.max(p, area.top), area.bottom);
      const top = clamp(y.getPixelForValue(value / factor));
      const bottom = clamp(y.getPixelForValue(value * factor));
      const at = y.getPixelForValue(value);
      const ctx = chart.ctx;
      ctx.save();
      ctx.fillStyle = 'rgba(22, 163, 74, 0.12)';
      ctx.fillRect(area.left, Math.min(top, bottom), area.right - area.left, Math.abs(bottom - top));
      if (at >= area.top && at <= area.bottom) {
        ctx.strokeStyle = 'rgba(22, 163, 74, 0.7)';
        ctx.setLineDash([4, 3]);
        ctx.beginPath();
        ctx.moveTo(area.left, at);
        ctx.lineTo(area.right, at);
        ctx.stroke();
      }
      ctx.restore();
    },
  };
}
