import { leastSquaresSlope } from '../trend';
import type { MemoryBreakdown } from './breakdown';

// Process memory over a series of captures: Sys, stacks and live heap per snapshot, and their
// least-squares slopes, so a trend can show stack growth next to heap sites.

/** MemoryPoint is one snapshot's breakdown at a time (ms since the epoch, or the series' own axis). */
export interface MemoryPoint {
  name: string;
  timeMs: number;
  memory: MemoryBreakdown;
}

/** MemoryTrend is the series and its slopes in bytes per minute. */
export interface MemoryTrend {
  points: MemoryPoint[];
  sysBytesPerMinute: number;
  stacksBytesPerMinute: number;
  heapLiveBytesPerMinute: number;
}

/** memoryTrend fits slopes over time-ordered points; undefined for fewer than two. */
export function memoryTrend(points: MemoryPoint[]): MemoryTrend | undefined {
  if (points.length < 2) return undefined;
  const minutes = points.map((p) => (p.timeMs - points[0].timeMs) / 60000);
  const slope = (f: (m: MemoryBreakdown) => number) => leastSquaresSlope(minutes, points.map((p) => f(p.memory)));
  return {
    points,
    sysBytesPerMinute: slope((m) => m.sys),
    stacksBytesPerMinute: slope((m) => m.stacks),
    heapLiveBytesPerMinute: slope((m) => m.heapLive),
  };
}
