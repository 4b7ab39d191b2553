"""Receipts of e-service submissions (UPO-like, requirement E2) and tracking keys.

A receipt names the office, the case sign, the date and time the submission
entered the system, the date and time the receipt was made, and a SHA-256
digest of the submitted data and files, so that any later change of the
submission is detectable. It also carries the tracking key: the resident's
secret for following the case. Only a salted PBKDF2 hash of the key is
stored; the key itself is shown once (page, mail, PDF) and never kept.
"""

import hashlib
import hmac
import json
import secrets
from datetime import date
from datetime import datetime

# No 0/O, 1/I/L: a key read from paper or over the phone is not mistyped.
KEY_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
KEY_LENGTH = 12
KEY_ITERATIONS = 20_000


def new_tracking_key():
    """A random tracking key: 12 characters of a safe alphabet, in groups of four.

    >>> new_tracking_key()
    'K7QM-3TZP-W9AD'
    """
    raw = "".join(secrets.choice(KEY_ALPHABET) for _ in range(KEY_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, KEY_LENGTH, 4))


def normalized_key(key):
    """The key as typed, without spaces, dashes and case differences.

    >>> normalized_key(" k7qm-3tzp w9ad ")
    'K7QM3TZPW9AD'
    """
    return "".join(ch for ch in (key or "").upper() if ch.isalnum())


def hash_key(key, salt=None):
    """``(salt hex, hash hex)`` of a tracking key; pass ``salt`` to check a key against a hash.

    >>> salt, digest = hash_key("K7QM-3TZP-W9AD")
    >>> hash_key("k7qm3tzpw9ad", salt)[1] == digest
    True
    """
    salt = salt or secrets.token_hex(16)
    digest = hashlib.pbkdf2_hmac(
        "sha256", normalized_key(key).encode(), bytes.fromhex(salt), KEY_ITERATIONS
    )
    return salt, digest.hex()


def key_matches(key, salt, stored_hash):
    """Whether ``key`` is the one whose hash is stored (in constant time).

    >>> key_matches("K7QM-3TZP-W9AD", *hash_key("K7QM-3TZP-W9AD"))
    True
    """
    if not key or not salt or not stored_hash:
        return False
    return hmac.compare_digest(hash_key(key, salt)[1], stored_hash)


def _plain(value):
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_plain(item) for item in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def submission_digest(data, files):
    """SHA-256 of the submitted fields and files, over a canonical JSON text.

    ``data`` is ``{field: value}`` without the files; ``files`` is
    ``{field: (filename, bytes)}``. Each file enters by its own SHA-256, so
    the receipt can list them and anyone holding the files can check them.

    >>> submission_digest({"name": "Jan"}, {})
    'b1f8…'
    """
    document = {
        "fields": {name: _plain(value) for name, value in sorted(data.items())},
        "files": {
            name: {"filename": filename, "sha256": hashlib.sha256(body).hexdigest()}
            for name, (filename, body) in sorted(files.items())
        },
    }
    text = json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def file_digests(files):
    """``[(filename, sha256 hex)]`` of the submitted files, for the receipt."""
    return [
        (filename, hashlib.sha256(body).hexdigest())
        for _name, (filename, body) in sorted(files.items())
    ]
