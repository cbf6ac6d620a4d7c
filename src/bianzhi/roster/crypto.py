"""Personal data at rest (brief §9): SM4-GCM for ID and phone numbers, HMAC-SM3 to find an ID without decrypting."""

from __future__ import annotations

import base64
import os
from functools import cache

from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings

_NONCE = 12
_TAG = 16


def _derive(purpose: bytes) -> bytes:
    mac = hmac.HMAC(settings.PERSONAL_DATA_KEY.encode(), hashes.SM3())
    mac.update(purpose)
    return mac.finalize()


@cache
def _keys(secret: str) -> tuple[bytes, bytes]:
    # one secret, two independent keys: SM4 needs 128 bits, the lookup hash its own key
    return _derive(b"bianzhi/sm4")[:16], _derive(b"bianzhi/lookup")


def _sm4_key() -> bytes:
    return _keys(settings.PERSONAL_DATA_KEY)[0]


def lookup_hash(value: str) -> str:
    mac = hmac.HMAC(_keys(settings.PERSONAL_DATA_KEY)[1], hashes.SM3())
    mac.update(value.encode())
    return mac.finalize().hex()


def lookup_hasher():
    """``lookup_hash`` for many values: the keyed state is set up once and copied for each value, which halves the
    cost of a million hashes (the reconciliation hashes every ID number of a province's payroll)."""
    keyed = hmac.HMAC(_keys(settings.PERSONAL_DATA_KEY)[1], hashes.SM3())

    def hash_one(value: str) -> str:
        mac = keyed.copy()
        mac.update(value.encode())
        return mac.finalize().hex()

    return hash_one


def encrypt(value: str) -> str:
    if not value:
        return ""
    nonce = os.urandom(_NONCE)
    encryptor = Cipher(algorithms.SM4(_sm4_key()), modes.GCM(nonce)).encryptor()
    body = encryptor.update(value.encode()) + encryptor.finalize()
    return base64.b64encode(nonce + body + encryptor.tag).decode()


def decrypt(token: str) -> str:
    if not token:
        return ""
    raw = base64.b64decode(token)
    nonce, body, tag = raw[:_NONCE], raw[_NONCE:-_TAG], raw[-_TAG:]
    decryptor = Cipher(algorithms.SM4(_sm4_key()), modes.GCM(nonce, tag)).decryptor()
    return (decryptor.update(body) + decryptor.finalize()).decode()
