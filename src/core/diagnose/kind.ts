import * as l10n from '@vscode/l10n';
import { SIGNIFICANCE_Z } from './sampling';

// What kind of problem a site's delta is, from the two numbers every Go heap profile has
// (pprof-semantics.md §7): alloc_* counts every allocation since the process started, inuse_* what
// is still live. Between two snapshots of one process, Δalloc is what was allocated in between and
// Δinuse what of it stayed.
//
//   goroutines  the path runs through runtime.malg / runtime.newproc1 (goroutine descriptors), or
//               the memory is held under a goroutine the user's code started (the stack's root is a
//               user function, not runtime.main) while the number of goroutines grew.
//   shrinking   Δinuse is significantly negative.
//   retained    Δinuse is significantly positive and at least CHURN_RATIO of Δalloc: allocated and
//               kept, the leak signature. The bar is low on purpose: a slice or bytes.Buffer that
//               grows by doubling frees about half of what it allocates on the way, a slice growing
//               by 1.25× frees 80%, and both are still growth.
//   churn       Δalloc is significant and Δinuse is not (or is below CHURN_RATIO of Δalloc):
//               garbage, i.e. GC pressure, not growth.
// A delta that is not significant still gets the kind its sign suggests, marked not significant.

/** GrowthKind is the kind of problem a finding is. */
export type GrowthKind = 'retained' | 'churn' | 'shrinking' | 'goroutines';

/** kindName is a kind as text shows it, in the display language (--json keeps the GrowthKind itself). */
export function kindName(kind: GrowthKind): string {
  switch (kind) {
    case 'retained': return l10n.t('retained');
    case 'churn': return l10n.t('churn');
    case 'shrinking': return l10n.t('shrinking');
    case 'goroutines': return l10n.t('goroutines');
  }
}

/** CHURN_RATIO is the share of Δalloc below which kept memory counts as churn rather than growth. */
export const CHURN_RATIO = 0.1;

/** SiteEvidence is what the kind rules read about one site. */
export interface SiteEvidence {
  /** Δinuse_space (or the profile's only level type), undefined when the profiles have none. */
  inuse?: number;
  inuseZ?: number;
  /** Δalloc_space, undefined when the profiles have none or they come from different processes. */
  alloc?: number;
  allocZ?: number;
  /** The dominant path runs through runtime.malg / runtime.newproc1. */
  goroutineDescriptors: boolean;
  /** The dominant path's root is a goroutine started by the user's code. */
  userGoroutineRoot: boolean;
  /** The comparison shows the number of goroutines growing. */
  goroutinesGrew: boolean;
}

/** KindVerdict is a kind, whether it is significant, and which measure decided. */
export interface KindVerdict {
  kind: GrowthKind;
  significant: boolean;
  /** The z-score of the deciding delta (see sampling.ts). */
  z: number;
  /** 'inuse' or 'alloc': the delta the kind and significance rest on. */
  measure: 'inuse' | 'alloc';
  /** Churn smaller than the live heap: less than one GC cycle's worth, not a finding (never significant). */
  minor?: boolean;
}

/** classifyKind applies the kind rules above to one site. */
export function classifyKind(e: SiteEvidence): KindVerdict {
  const di = e.inuse;
  const da = e.alloc;
  const zi = e.inuseZ ?? 0;
  const za = e.allocZ ?? 0;
  const inuseSignificant = di !== undefined && zi >= SIGNIFICANCE_Z;
  const allocSignificant = da !== undefined && da > 0 && za >= SIGNIFICANCE_Z;
  const byInuse = (kind: GrowthKind, significant: boolean): KindVerdict => ({ kind, significant, z: zi, measure: 'inuse' });
  const churn = (): KindVerdict => ({ kind: 'churn', significant: allocSignificant, z: za, measure: 'alloc' });

  if (di === undefined) return churn(); // allocation counts only: nothing tells what was kept
  const grows = di > 0;
  const goroutines = grows && (e.goroutineDescriptors || (e.userGoroutineRoot && e.goroutinesGrew));
  if (inuseSignificant) {
    if (di < 0) return byInuse('shrinking', true);
    if (allocSignificant && di < CHURN_RATIO * da!) return churn();
    return byInuse(goroutines ? 'goroutines' : 'retained', true);
  }
  if (allocSignificant) return churn();
  if (di < 0) return byInuse('shrinking', false);
  if (di > 0) return byInuse(goroutines ? 'goroutines' : 'retained', false);
  return da !== undefined && da !== 0 ? churn() : byInuse('retained', false);
}
