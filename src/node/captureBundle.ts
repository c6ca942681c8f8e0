import { existsSync } from 'node:fs';
import * as path from 'node:path';

// A capture bundle is what one capture saves side by side under one timestamp:
//   heap-YYYYMMDD-HHMMSS[-N].pb.gz       the heap profile (proto, or .txt with --debug)
//   goroutine-YYYYMMDD-HHMMSS[-N].txt    the goroutine dump (/debug/pprof/goroutine?debug=2)
//   memstats-YYYYMMDD-HHMMSS[-N].txt     /debug/pprof/heap?debug=1 as served: a heap profile whose
//                                        runtime.MemStats block explains the process memory
// Given one heap file of a bundle, the others are found by name; nothing else is guessed.

const HEAP_NAME = /^heap-(\d{8}-\d{6}(?:-\d+)?)\.(?:pb\.gz|pb|txt)$/;

/** BundleSiblings are the other files of a heap profile's capture bundle, when present. */
export interface BundleSiblings {
  goroutine?: string;
  memstats?: string;
}

/** bundleStamp returns the `YYYYMMDD-HHMMSS[-N]` of a bundle's heap file name, or undefined. */
export function bundleStamp(file: string): string | undefined {
  return HEAP_NAME.exec(path.basename(file))?.[1];
}

/** bundleSiblings finds the goroutine dump and MemStats saved with a captured heap profile. */
export function bundleSiblings(heapFile: string): BundleSiblings {
  const stamp = bundleStamp(heapFile);
  if (!stamp) return {};
  const dir = path.dirname(heapFile);
  const found = (name: string) => (existsSync(path.join(dir, name)) ? path.join(dir, name) : undefined);
  return { goroutine: found(`goroutine-${stamp}.txt`), memstats: found(`memstats-${stamp}.txt`) };
}

const MEMSTATS_NAME = /^memstats-(\d{8}-\d{6}(?:-\d+)?)\.txt$/;

/**
 * coveredMemStats lists the bundles' memstats files among `files` whose heap profile is among them
 * too: the heap profile carries those MemStats, so the memstats file (itself a debug=1 heap
 * profile) is not a snapshot of its own in a trend.
 */
export function coveredMemStats(files: readonly string[]): Set<string> {
  const heapStamps = new Set(files.map(bundleStamp).filter((s) => s !== undefined));
  return new Set(files.filter((f) => {
    const stamp = MEMSTATS_NAME.exec(path.basename(f))?.[1];
    return stamp !== undefined && heapStamps.has(stamp);
  }));
}

/** bundleGoroutineName is the goroutine dump's file name saved with a bundle's heap file (`heap-STAMP.pb.gz` → `goroutine-STAMP.txt`). */
export function bundleGoroutineName(heapFile: string): string | undefined {
  const stamp = bundleStamp(heapFile);
  return stamp ? `goroutine-${stamp}.txt` : undefined;
}
