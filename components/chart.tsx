import { BarController, BarElement, CategoryScale, Chart, type ChartData, type ChartOptions, Legend, LinearScale, Tooltip } from 'chart.js';
import { type ReactNode, useEffect, useRef } from 'react';

// Only what bar charts need (chart.js is tree-shakeable; never import 'chart.js/auto').
Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip, Legend);

export interface BarChartProps {
  data: ChartData<'bar', number[], string>;
  options: ChartOptions<'bar'>;
  /** Accessible name of the canvas. */
  label: string;
  /** CSS height of the chart area in px (the width follows the container). */
  height: number;
  /** Text alternative shown to assistive tech and when the canvas cannot draw. */
  children?: ReactNode;
}

/** A thin React wrapper around one chart.js bar chart: created once, updated in place, destroyed on unmount. */
export function BarChart({ data, options, label, height, children }: BarChartProps) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const chartRef = useRef<Chart<'bar', number[], string> | null>(null);

  // Created once; later data/options go through the update effect below.
  // biome-ignore lint/correctness/useExhaustiveDependencies: see above
  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const chart = new Chart(canvas, { type: 'bar', data, options });
    chartRef.current = chart;
    return () => {
      chart.destroy();
      chartRef.current = null;
    };
  }, []);

  useEffect(() => {
    const chart = chartRef.current;
    if (!chart) return;
    chart.data = data;
    chart.options = options;
    chart.update();
  }, [data, options]);

  return (
    <div className="kmp-chart" style={{ height }}>
      <canvas ref={canvasRef} role="img" aria-label={label}>
        {children}
      </canvas>
    </div>
  );
}
