import type { SiteExtractor, SiteValue } from '../trend';
import { groupGoroutines } from './groups';

// Trends across goroutine profiles: the sites are where goroutines wait (groups.ts), the value
// their count. A site whose count climbs at every step is a goroutine leak; computeTrend fits it
// like a heap site.

/** goroutineSites is the SiteExtractor for goroutine profiles of any form. */
export function goroutineSites(isUser: (fn: string, file: string) => boolean): SiteExtractor {
  return (p) => {
    const out = new Map<string, SiteValue>();
    for (const g of groupGoroutines(p, { isUser })) out.set(g.key, { userFrame: g.site, site: g.site, value: g.count });
    return out;
  };
}
