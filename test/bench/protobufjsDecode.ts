import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import protobuf from 'protobufjs';

// The alternative heaplens did not choose, measured: decode a profile into protobufjs's
// reflection-generated message objects (the design card's obvious path). Run by `npm run bench --
// --protobufjs`; prints decode ms. With --no-long, int64 fields decode as JS numbers.

const SCHEMA = `
syntax = "proto3";
package perftools.profiles;
message Profile {
  repeated ValueType sample_type = 1; repeated Sample sample = 2; repeated Mapping mapping = 3;
  repeated Location location = 4; repeated Function function = 5; repeated string string_table = 6;
  int64 drop_frames = 7; int64 keep_frames = 8; int64 time_nanos = 9; int64 duration_nanos = 10;
  ValueType period_type = 11; int64 period = 12; repeated int64 comment = 13; int64 default_sample_type = 14;
}
message ValueType { int64 type = 1; int64 unit = 2; }
message Sample { repeated uint64 location_id = 1; repeated int64 value = 2; repeated Label label = 3; }
message Label { int64 key = 1; int64 str = 2; int64 num = 3; int64 num_unit = 4; }
message Mapping { uint64 id = 1; uint64 memory_start = 2; uint64 memory_limit = 3; uint64 file_offset = 4; int64 filename = 5; int64 build_id = 6; bool has_functions = 7; bool has_filenames = 8; bool has_line_numbers = 9; bool has_inline_frames = 10; }
message Location { uint64 id = 1; uint64 mapping_id = 2; uint64 address = 3; repeated Line line = 4; bool is_folded = 5; }
message Line { uint64 function_id = 1; int64 line = 2; }
message Function { uint64 id = 1; int64 name = 2; int64 system_name = 3; int64 filename = 4; int64 start_line = 5; }
`;

const file = process.argv[2];
if (process.argv.includes('--no-long')) {
  // protobufjs uses Long when the 'long' module is present; disabling it yields plain numbers.
  protobuf.util.Long = undefined as unknown as typeof protobuf.util.Long;
  protobuf.configure();
}
const Profile = protobuf.parse(SCHEMA).root.lookupType('perftools.profiles.Profile');
const raw = gunzipSync(readFileSync(file));
const t = performance.now();
const msg = Profile.decode(raw) as unknown as { sample: unknown[] };
console.log(`${(performance.now() - t).toFixed(0)} ms, ${msg.sample.length} samples`);
