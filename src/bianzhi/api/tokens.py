"""Token text and its keyed hash. The key is separate from the audit key so that either can be rotated alone."""

from __future__ import annotations

import functools
import secrets

from cryptography.hazmat.primitives import hashes, hmac

from bianzhi.core.paths import secret_from_env_or_file

TOKEN_MARK = "bz_"
PREFIX_LENGTH = len(TOKEN_MARK) + 8
# Longer headers are not tokens; refusing them early spares hashing arbitrary input.
MAX_TOKEN_LENGTH = 128


@functools.cache
def _key() -> bytes:
    return secret_from_env_or_file("BIANZHI_API_TOKEN_KEY", "api_token_key").encode()


def new_token() -> str:
    return f"{TOKEN_MARK}{secrets.token_urlsafe(32)}"


def token_prefix(token: str) -> str:
    return token[:PREFIX_LENGTH]


def token_digest(token: str) -> str:
    mac = hmac.HMAC(_key(), hashes.SM3())
    mac.update(token.encode("utf-8", "surrogatepass"))
    return mac.finalize().hex()


def looks_like_token(value: str) -> bool:
    return value.startswith(TOKEN_MARK) and PREFIX_LENGTH < len(value) <= MAX_TOKEN_LENGTH
