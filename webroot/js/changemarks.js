import { formatNumber } from './status.js';

const MARK_COLOUR = '#6b7280';

/**
 * A Chart.js plugin of our own that marks each live change of the learning rate: a thin dashed line at the
 * iteration whose update first used the new rate, labelled with it. Labels step down so that close changes
 * stay readable. The canvas says how many it drew, for a browser test to read. changes() gives the list to draw;
 * toX(iteration) where on the x axis an iteration is (the axis may be time).
 */
export function changeMarks(changes, toX = (i) => i) {
  return {
    id: 'changeMarks',
    afterDatasetsDraw(chart) {
      const { ctx, chartArea: area, scales: { x } } = chart;
      const list = changes();
      let drawn = 0;
      ctx.save();
      ctx.strokeStyle = MARK_COLOUR;
      ctx.fillStyle = MARK_COLOUR;
      ctx.lineWidth = 1;
      ctx.font = '10px system-ui, sans-serif';
      ctx.textBaseline = 'top';
      list.forEach((change, i) => {
        const px = x.getPixelForValue(toX(change.iteration));
        if (!(px >= area.left && px <= area.right)) {
          return;
        }
        ctx.setLineDash([4, 3]);
        ctx.beginPath();
        ctx.moveTo(px, area.top);
        ctx.lineTo(px, area.bottom);
        ctx.stroke();
        const label = 'lr ' + formatNumber(change.learningRate);
        const width = ctx.measureText(label).width;
        ctx.fillText(label, px + 3 + width > area.right ? px - 3 - width : px + 3, area.top + 2 + (i % 3) * 11);
        drawn++;
      });
      ctx.restore();
      chart.canvas.dataset.changes = String(drawn);
    },
  };
}
