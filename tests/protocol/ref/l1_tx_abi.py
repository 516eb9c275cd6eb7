#!/usr/bin/python3
"""Independent reference for abi.encode(L2CanonicalTransaction) (zkstack-protocol.md §4.5, §5.1), written from
the Solidity ABI spec: a dynamic tuple is encoded as its offset (0x20) then head (static words in place, offsets
for dynamic members, relative to the tuple's start) and tails. Writes l1_tx_abi_vectors.json next to this file
with each case's fields and its encoding; tests/protocol/test_tx.cpp checks kiln_l1_tx_abi_encode against it.
Run: /usr/bin/python3 tests/protocol/ref/l1_tx_abi.py"""
import json
import os
import random


def word(n):
    assert 0 <= n < 2**256
    return n.to_bytes(32, "big")


def enc_bytes(b):
    pad = (-len(b)) % 32
    return word(len(b)) + b + b"\0" * pad


def enc_bytes32_array(items):
    return word(len(items)) + b"".join(items)


def abi_encode_tx(t):
    static = [t["txType"], t["from"], t["to"], t["gasLimit"], t["gasPerPubdataByteLimit"], t["maxFeePerGas"],
              t["maxPriorityFeePerGas"], t["paymaster"], t["nonce"], t["value"]] + t["reserved"]
    tails = [enc_bytes(t["data"]), enc_bytes(t["signature"]), enc_bytes32_array(t["factoryDeps"]),
             enc_bytes(t["paymasterInput"]), enc_bytes(t["reservedDynamic"])]
    head_len = 32 * (len(static) + len(tails))
    head = b"".join(word(x) for x in static)
    off = head_len
    for tail in tails:
        head += word(off)
        off += len(tail)
    body = head + b"".join(tails)
    return word(32) + body


def main():
    rng = random.Random(20261208)
    cases = []
    # A priority op as the Mailbox builds it: type 255, gasPerPubdata 800, reserved = [mint, refund, 0, 0].
    sender = 0x702942B8205E5dEdCD3374E5f4419843adA76Eeb
    cases.append(dict(txType=255, **{"from": sender}, to=0xa61464658AfeAf65CccaaFD3a512b69A83B77618, gasLimit=300000,
                      gasPerPubdataByteLimit=800, maxFeePerGas=250000000, maxPriorityFeePerGas=0, paymaster=0,
                      nonce=7, value=10**18, reserved=[10**18 + 300000 * 250000000, sender, 0, 0],
                      data=bytes.fromhex("a9059cbb") + bytes(31) + b"\x01", signature=b"", factoryDeps=[],
                      paymasterInput=b"", reservedDynamic=b""))
    for i in range(5):
        def rnd_bytes(m):
            return bytes(rng.randrange(256) for _ in range(rng.randrange(m)))
        cases.append(dict(txType=rng.choice([254, 255]), **{"from": rng.getrandbits(160)}, to=rng.getrandbits(160),
                          gasLimit=rng.getrandbits(64), gasPerPubdataByteLimit=rng.getrandbits(16),
                          maxFeePerGas=rng.getrandbits(256), maxPriorityFeePerGas=rng.getrandbits(40),
                          paymaster=rng.choice([0, rng.getrandbits(160)]), nonce=rng.getrandbits(32),
                          value=rng.getrandbits(200), reserved=[rng.getrandbits(256) for _ in range(4)],
                          data=rnd_bytes(100), signature=rnd_bytes(70),
                          factoryDeps=[rng.randbytes(32) for _ in range(rng.randrange(4))],
                          paymasterInput=rnd_bytes(40), reservedDynamic=rnd_bytes(3 if i == 4 else 1)))
    out = []
    for t in cases:
        j = {}
        for k, v in t.items():
            if isinstance(v, int):
                j[k] = "%064x" % v
            elif isinstance(v, bytes):
                j[k] = v.hex()
            elif k == "reserved":
                j[k] = ["%064x" % x for x in v]
            else:
                j[k] = [x.hex() for x in v]
        j["encoding"] = abi_encode_tx(t).hex()
        out.append(j)
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "l1_tx_abi_vectors.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
