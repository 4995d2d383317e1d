#!/usr/bin/env python3
# bench/craft_checkpoint.py SRC DST layers|nan: a hostile model file for finding 4 of
# issue 13 (docs/reliability-models.md).
# Rewrites a checkpoint's model JSON (e.g. "layers": 1000000) or poisons one
# weight with NaN, and recomputes the checksum, as an attacker would.
import json, struct, sys
src, dst, what = sys.argv[1], sys.argv[2], sys.argv[3]
b = open(src, 'rb').read()
version = struct.unpack_from('<I', b, 8)[0]
count = struct.unpack_from('<I', b, 12)[0]
at, out = 16, bytearray(b[:16])
for _ in range(count):
    (n,) = struct.unpack_from('<H', b, at); name = b[at + 2:at + 2 + n].decode(); at += 2 + n
    (size,) = struct.unpack_from('<Q', b, at); at += 8
    payload = b[at:at + size]; at += size
    if name == 'model' and what == 'layers':
        m = json.loads(payload); m['layers'] = 1000000; payload = json.dumps(m).encode()
    if name == 'weights' and what == 'nan':
        p = bytearray(payload); p[-4:] = struct.pack('<f', float('nan')); payload = bytes(p)
    out += struct.pack('<H', n) + name.encode() + struct.pack('<Q', len(payload)) + payload
basis = 1469598103934665603 if version == 1 else 14695981039346656037
h = basis
for c in out:
    h = ((h ^ c) * 1099511628211) & 0xffffffffffffffff
out += struct.pack('<Q', h)
open(dst, 'wb').write(out)
