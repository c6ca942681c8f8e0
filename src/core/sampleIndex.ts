import * as l10n from '@vscode/l10n';
import { ProfileError } from './errors';
import type { Profile } from './model';

/**
 * resolveSampleIndex picks the value column as pprof's Profile.SampleIndexByName does: none given →
 * default_sample_type if set, else the last type; a number is an index; a name matches a type, also
 * with an `inuse_` prefix removed (old two-column heap profiles name their types objects/space).
 */
export function resolveSampleIndex(p: Profile, name: string | undefined): number {
  const types = p.sampleTypes;
  if (types.length === 0) throw new ProfileError('no-sample-types', l10n.t('the profile has no sample types'));
  if (name === undefined || name === '') {
    if (p.defaultSampleType !== '') {
      const i = types.findIndex((t) => t.type === p.defaultSampleType);
      if (i >= 0) return i;
    }
    return types.length - 1;
  }
  if (/^\d+$/.test(name)) {
    const i = Number(name);
    if (i >= types.length) throw new ProfileError('unknown-sample-type', l10n.t('sample index {0} is outside the range [0..{1}]', name, types.length - 1));
    return i;
  }
  const noInuse = name.startsWith('inuse_') ? name.slice('inuse_'.length) : name;
  const i = types.findIndex((t) => t.type === name || t.type === noInuse);
  if (i < 0) throw new ProfileError('unknown-sample-type', l10n.t('sample type "{0}" must be one of: {1}', name, types.map((t) => t.type).join(', ')));
  return i;
}
