// The month chart draws one slot per month of the period, years included, and a bar for each
// month's amounts.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen } from '@testing-library/svelte';
import BarChart from './BarChart.svelte';

afterEach(cleanup);

describe('BarChart', () => {
  it('shows every month of a two-year period', () => {
    const bars = [
      { month: '2025-03', currency: 'USD', expected_net: 97597, received: 0 },
      { month: '2026-11', currency: 'USD', expected_net: 5700, received: 0 },
    ];
    render(BarChart, { currency: 'USD', bars, from: '2025-01-01', to: '2026-12-31' });
    const chart = screen.getByTestId('chart-USD');
    expect(chart.querySelectorAll('g').length).toBe(24);
    const labels = [...chart.querySelectorAll('text.axis')].map((t) => t.textContent);
    // Every second month has room for a label; the year is said on the first and on January.
    expect(labels).toContain('Jan 25');
    expect(labels).toContain('Mar');
    expect(labels).toContain('Jan 26');
    expect(labels).not.toContain('Feb');
    const titles = [...chart.querySelectorAll('rect.expected title')].map((t) => t.textContent);
    expect(titles).toContain('Mar 2025: expected net 975.97 USD');
  });

  it('draws a currency whose months are all zero', () => {
    const bars = [{ month: '2025-02', currency: 'GBP', expected_net: 0, received: 0 }];
    render(BarChart, { currency: 'GBP', bars, from: '2025-01-01', to: '2025-12-31' });
    const ticks = [...screen.getByTestId('chart-GBP').querySelectorAll('text.axis')].map((t) => t.textContent);
    expect(ticks.slice(0, 5)).toEqual(['0', '0.25', '0.50', '0.75', '1']);
  });
});
