import * as l10n from '@vscode/l10n';
import { ProfileError } from '../errors';
import type { Mapping, Profile, ValueType } from '../model';
import type { RawProfile } from './protoRead';

// The resolution half of profile.proto decoding, pprof's `postDecode`: strings, ids and references
// are resolved once, validating every reference, so nothing downstream sees a string-table index or
// a wire id.


/** resolveProfile turns wire ids and string indexes into the model, validating every reference. */
export function resolveProfile(raw: RawProfile): Profile {
  const strings = raw.strings;
  if (strings.length > 0 && strings[0] !== '') {
    throw new ProfileError('corrupt', l10n.t('string_table[0] must be empty, found {0}', JSON.stringify(strings[0].slice(0, 40))));
  }
  const str = (i: number, what: string): string => {
    if (i === 0) return '';
    if (!(i > 0 && i < strings.length)) throw new ProfileError('invalid-reference', l10n.t('{0} refers to string {1}, but the string table has {2} entries', what, i, strings.length));
    return strings[i];
  };
  const vt = ([t, u]: [number, number], what: string): ValueType => ({ type: str(t, what), unit: str(u, what) });

  const sampleTypes = raw.sampleTypes.map((t) => vt(t, 'sample_type'));
  const sampleCount = raw.sampleLocStart.length - 1;
  if (sampleCount > 0 && sampleTypes.length === 0) throw new ProfileError('no-sample-types', l10n.t('the profile has samples but no sample types'));
  if (raw.valueMismatch || (sampleCount > 0 && raw.valueCount !== sampleTypes.length)) {
    const m = raw.valueMismatch ?? { sample: 0, count: raw.valueCount };
    throw new ProfileError('value-count-mismatch', l10n.t('sample {0} has {1} values but there are {2} sample types', m.sample, m.count, sampleTypes.length));
  }

  const functions = resolveFunctions(raw, str);
  const mappingIndexById = new Map<number, number>();
  const mappings: Mapping[] = raw.mappings.map((m, i) => {
    if (m.id !== 0) mappingIndexById.set(m.id, i);
    return { start: m.start, limit: m.limit, offset: m.offset, file: str(m.file, 'mapping'), buildId: str(m.buildId, 'mapping') };
  });

  const locCount = raw.locIds.length;
  const locIds = raw.locIds.finish();
  const locIndex = idIndex(locIds, 'location');
  const lineFunctionIds = raw.lineFunctionIds.finish();
  const lineFunction = new Int32Array(lineFunctionIds.length);
  for (let i = 0; i < lineFunctionIds.length; i++) {
    const id = lineFunctionIds[i];
    if (id === 0) { lineFunction[i] = -1; continue; }
    const fi = functions.index(id);
    if (fi < 0) throw new ProfileError('invalid-reference', l10n.t('a location line refers to function id {0}, which is not in the profile', id));
    lineFunction[i] = fi;
  }
  const mappingIds = raw.locMappingIds.finish();
  const mappingIndex = new Int32Array(locCount);
  for (let i = 0; i < locCount; i++) {
    const id = mappingIds[i];
    // pprof's postDecode leaves a location whose mapping id is unknown without a mapping, and shows
    // the profile; so does heaplens (the mapping only names a binary, no number depends on it).
    mappingIndex[i] = id === 0 ? -1 : mappingIndexById.get(id) ?? -1;
  }

  const sampleLocIds = raw.sampleLocIds.finish();
  // Remap ids to indexes in place when the ids were 32-bit (the common case): no second copy.
  const locationIndex = sampleLocIds instanceof Uint32Array ? sampleLocIds : new Uint32Array(sampleLocIds.length);
  const dense = locIndex.dense;
  if (dense && sampleLocIds instanceof Uint32Array) {
    // The hot case (91 M ids on a 200 MB profile): the dense table read inline, no call per id.
    const max = dense.length - 1;
    for (let i = 0; i < sampleLocIds.length; i++) {
      const id = sampleLocIds[i];
      const li = id <= max ? dense[id] : -1;
      if (li < 0) throw unknownLocation(id);
      locationIndex[i] = li;
    }
  } else {
    for (let i = 0; i < sampleLocIds.length; i++) {
      const li = locIndex(sampleLocIds[i]);
      if (li < 0) throw unknownLocation(sampleLocIds[i]);
      locationIndex[i] = li;
    }
  }

  return {
    format: 'pprof-proto',
    gzipped: false,
    sampleTypes,
    defaultSampleType: str(raw.defaultSampleType, 'default_sample_type'),
    periodType: raw.periodType ? vt(raw.periodType, 'period_type') : undefined,
    period: raw.period,
    timeNanos: raw.timeNanos,
    durationNanos: raw.durationNanos,
    comments: raw.comments.map((c) => str(c, 'comment')),
    samples: {
      count: sampleCount,
      locationStart: raw.sampleLocStart.finish(),
      locationIndex,
      values: raw.sampleValues.finish(),
    },
    locations: {
      count: locCount,
      id: locIds,
      address: raw.locAddress.finish(),
      mappingIndex,
      lineStart: raw.locLineStart.finish(),
      lineFunction,
      lineNumber: raw.lineNumbers.finish(),
    },
    functions: functions.table,
    mappings,
  };
}

function resolveFunctions(raw: RawProfile, str: (i: number, what: string) => string) {
  const n = raw.funcIds.length;
  const ids = Float64Array.from(raw.funcIds);
  const index = idIndex(ids, 'function');
  const table = {
    count: n,
    name: raw.funcName.map((s) => str(s, 'function name')),
    systemName: raw.funcSystemName.map((s) => str(s, 'function system_name')),
    filename: raw.funcFilename.map((s) => str(s, 'function filename')),
    startLine: Float64Array.from(raw.funcStartLine),
  };
  return { table, index };
}

function unknownLocation(id: number): ProfileError {
  return new ProfileError('invalid-reference', l10n.t('a sample refers to location id {0}, which is not in the profile', id));
}

/** IdIndex maps an id to its position (-1 when absent); `dense` is the table behind it, when there is one. */
type IdIndex = ((id: number) => number) & { dense?: Int32Array };

/**
 * idIndex builds id → position lookup for a table, rejecting duplicate and reserved ids.
 * Dense ids (what Go writes: 1..N) use an array; sparse or huge ids fall back to a Map.
 */
function idIndex(ids: Float64Array, what: string): IdIndex {
  const n = ids.length;
  let max = 0;
  for (let i = 0; i < n; i++) {
    const id = ids[i];
    if (!(id > 0)) throw new ProfileError('invalid-reference', l10n.t('found {0} with reserved id {1}', what, id));
    if (id > max) max = id;
  }
  if (max <= 4 * n + 1024) {
    const table = new Int32Array(max + 1).fill(-1);
    for (let i = 0; i < n; i++) {
      if (table[ids[i]] !== -1) throw new ProfileError('invalid-reference', l10n.t('duplicate {0} id {1}', what, ids[i]));
      table[ids[i]] = i;
    }
    const lookup: IdIndex = (id) => (id >= 0 && id <= max ? table[id] : -1);
    lookup.dense = table;
    return lookup;
  }
  const map = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    if (map.has(ids[i])) throw new ProfileError('invalid-reference', l10n.t('duplicate {0} id {1}', what, ids[i]));
    map.set(ids[i], i);
  }
  return (id) => map.get(id) ?? -1;
}
