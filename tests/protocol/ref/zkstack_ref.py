#!/usr/bin/env python3
"""Independent reference for Kiln's protocol/ ZK Stack formats (tests/protocol/test_zkstack.cpp runs it).

Written from reference/zkstack-protocol.md §1.5, §5.4, §6 with pycryptodome's Keccak-256; it shares no code
with protocol/. It reads one request per line on stdin and writes one answer per line:
  roll <init hex> <items hex, 32 bytes each, or ->          -> rolling hash acc = keccak(acc || item)
  tree <tree_leaves> <88-byte logs hex, or ->               -> Merkle root over keccak(log) leaves (full tree)
  compress <156-byte records hex, any order, or ->          -> compressed state diffs (sorted by address, key)
  sdhash <156-byte records hex, or ->                       -> keccak of the 272-byte padded records, in order
  pubdata <logs hex|-> <messages hex,hex,..|-> <bytecodes|-> <records hex|->  -> pubdata bytes
  blobs <pubdata hex|->                                     -> the 6 blob linear hashes, concatenated
  chainlogs <88-byte logs hex|->                            -> L1Messenger chainedLogsHash from zero
"""
import sys

from Cryptodome.Hash import keccak


def k256(b):
    h = keccak.new(digest_bits=256)
    h.update(b)
    return h.digest()


def unhex(s):
    return b"" if s == "-" else bytes.fromhex(s)


def chunks(b, n):
    return [b[i:i + n] for i in range(0, len(b), n)]


def rolling(init, items):
    acc = init
    for it in items:
        acc = k256(acc + it)
    return acc


def tree_root(logs, size):
    # Build the whole padded tree naively (sizes used in tests are small enough).
    assert size & (size - 1) == 0 and size >= len(logs)
    empty = k256(bytes(88))
    level = [k256(l) for l in logs] + [empty] * (size - len(logs))
    while len(level) > 1:
        level = [k256(level[i] + level[i + 1]) for i in range(0, len(level), 2)]
    return level[0]


M = 1 << 256


def min_len(v):
    return (v.bit_length() + 7) // 8


def compress_value(initial, final):
    cands = [(final - initial) % M, (initial - final) % M, final]
    best = None
    for op, v in enumerate(cands, start=1):
        n = min_len(v)
        if n < 31 and (best is None or n < best[1]):
            best = (op, n, v)
    if best is None:
        return b"\x00" + final.to_bytes(32, "big")
    op, n, v = best
    return bytes([(n << 3) | op]) + v.to_bytes(n, "big")


def parse_record(r):
    assert len(r) == 156
    return dict(address=r[0:20], key=r[20:52], derived=r[52:84], enum=int.from_bytes(r[84:92], "big"),
                initial=int.from_bytes(r[92:124], "big"), final=int.from_bytes(r[124:156], "big"))


def compress(records):
    ds = sorted((parse_record(r) for r in records), key=lambda d: (d["address"], d["key"]))
    ini = [d for d in ds if d["enum"] == 0]
    rep = [d for d in ds if d["enum"] != 0]
    body = len(ini).to_bytes(2, "big")
    for d in ini:
        body += d["derived"] + compress_value(d["initial"], d["final"])
    for d in rep:
        body += d["enum"].to_bytes(4, "big") + compress_value(d["initial"], d["final"])
    return b"\x01" + len(body).to_bytes(3, "big") + b"\x04" + body


def sdhash(records):
    return k256(b"".join(r + bytes(116) for r in records))


def items(lst):
    out = len(lst).to_bytes(4, "big")
    for b in lst:
        out += len(b).to_bytes(4, "big") + b
    return out


def pubdata(logs, msgs, bcs, records):
    return (len(logs).to_bytes(4, "big") + b"".join(logs) + items(msgs) + items(bcs) + compress(records))


BLOB = 4096 * 31


def blob_hashes(data):
    assert len(data) <= 6 * BLOB
    padded = data + bytes(6 * BLOB - len(data))
    return b"".join(k256(padded[i * BLOB:(i + 1) * BLOB]) if i * BLOB < len(data) else bytes(32) for i in range(6))


def main():
    for line in sys.stdin:
        f = line.split()
        if not f:
            continue
        if f[0] == "roll":
            out = rolling(unhex(f[1]), chunks(unhex(f[2]), 32))
        elif f[0] == "tree":
            out = tree_root(chunks(unhex(f[2]), 88), int(f[1]))
        elif f[0] == "compress":
            out = compress(chunks(unhex(f[1]), 156))
        elif f[0] == "sdhash":
            out = sdhash(chunks(unhex(f[1]), 156))
        elif f[0] == "pubdata":
            lst = lambda s: [] if s == "-" else [bytes.fromhex(x) if x != "." else b"" for x in s.split(",")]
            out = pubdata(chunks(unhex(f[1]), 88), lst(f[2]), lst(f[3]), chunks(unhex(f[4]), 156))
        elif f[0] == "blobs":
            out = blob_hashes(unhex(f[1]))
        elif f[0] == "chainlogs":
            out = rolling(bytes(32), [k256(l) for l in chunks(unhex(f[1]), 88)])
        else:
            raise SystemExit("unknown request " + f[0])
        print(out.hex())
        sys.stdout.flush()


if __name__ == "__main__":
    main()
