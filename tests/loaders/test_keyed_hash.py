"""The vectorised HMAC gives exactly Python's ``hmac`` digests (RFC 2104, SHA-256)."""

from __future__ import annotations

import hmac
import threading

import pyarrow as pa
import pytest

from loaders.keyed_hash import hmac_hex

VALUES = [
    "0612345678",
    "+442079463959",
    "",
    None,
    "é à ç ’ « »",
    "日本語",
    "a\x00b",  # a NUL byte inside
    "\\xAA",  # a backslash escape stays four characters, not one byte
    "x" * 500,
]


def expected(key: bytes, prefix: str, length: int) -> list[str | None]:
    return [
        None if v is None else hmac.digest(key, (prefix + v).encode(), "sha256").hex()[:length]
        for v in VALUES
    ]


@pytest.mark.parametrize(
    "key",
    [
        b"0123456789abcdef" * 4,  # 64 bytes, one block exactly
        b"short key of 32 characters......",
        b"k" * 65,  # longer than a block: hashed first
        "clé secrète ".encode() * 9,  # non-ASCII, 117 bytes
    ],
)
@pytest.mark.parametrize(("prefix", "length"), [("tel:", 32), ("agent:", 8), ("", 64)])
def test_same_digests_as_python_hmac(key, prefix, length):
    assert hmac_hex(pa.array(VALUES), key, prefix, length).to_pylist() == expected(
        key, prefix, length
    )


def test_empty_and_large_string_arrays():
    key = b"k" * 32
    assert hmac_hex(pa.array([], pa.string()), key, "tel:", 32).to_pylist() == []
    large = pa.array(VALUES, pa.large_string())
    assert hmac_hex(large, key, "tel:", 32).to_pylist() == expected(key, "tel:", 32)


def test_threads_each_get_their_own_connection():
    """The typing thread and the main thread may hash at the same time."""
    key, results = b"k" * 40, {}

    def work(n: int) -> None:
        results[n] = hmac_hex(pa.array(VALUES * 50), key, "tel:", 32).to_pylist()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(r == expected(key, "tel:", 32) * 50 for r in results.values())
