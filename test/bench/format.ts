// How the benchmark prints a figure of each unit, shared by the table and the verdicts.
import type { Unit } from './figures.ts';

/** A figure with its unit; "—" when it was not measured. */
export function show(value: number, unit: Unit): string {
  if (!Number.isFinite(value)) return '—';
  switch (unit) {
    case 'rps':
      return `${value.toFixed(0)}/s`;
    case 'us':
      return `${value.toFixed(0)} µs`;
    case 'core':
      return `${(value * 100).toFixed(value < 0.1 ? 2 : 1)}%`;
    case 'ms':
      return `${value.toFixed(2)} ms`;
    case 'MB':
      return `${value.toFixed(1)} MB`;
  }
}

/** How the data plane compares: a ratio, or a difference where the target is one (core points, MB). */
export function compare(bare: number, dataPlane: number, unit: Unit): string {
  if (!Number.isFinite(bare) || !Number.isFinite(dataPlane)) return '—';
  if (unit === 'core') return `${dataPlane >= bare ? '+' : '−'}${(Math.abs(dataPlane - bare) * 100).toFixed(2)} points`;
  if (unit === 'MB') return `${dataPlane >= bare ? '+' : '−'}${Math.abs(dataPlane - bare).toFixed(1)} MB`;
  return bare === 0 ? '—' : `${(dataPlane / bare).toFixed(2)}×`;
}
