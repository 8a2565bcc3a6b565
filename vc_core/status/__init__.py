"""Credential status: Bitstring Status List (W3C) and Token Status List (IETF).

Both formats share one :class:`StatusListCache`. The Bitstring codec reads
bit 0 as the most significant bit of byte 0 from a GZIP stream; the Token
Status List reads ``bits`` per entry from the least significant bits of each
byte of a ZLIB stream. Each module's docstring tells its rules.
"""

from vc_core.status.bitstring import (
    MAX_LIST_BYTES,
    MIN_ENTRIES,
    STATUS_LIST_ACCEPT,
    StatusList,
    StatusResult,
    check_status,
    decode_list,
    encode_list,
    get_status,
    parse_status_list_index,
    set_status,
    validate_status_entry,
)
from vc_core.status.cache import StatusListCache
from vc_core.status.token_status_list import (
    INVALID,
    MAX_TOKEN_LIST_BYTES,
    STATUS_LIST_JWT_ACCEPT,
    STATUS_LIST_JWT_TYP,
    SUSPENDED,
    VALID,
    TokenStatusList,
    TokenStatusReference,
    TokenStatusResult,
    VerifiedStatusListToken,
    check_token_status,
    create_status_list_token,
    decode_token_status_list,
    encode_token_status_list,
    get_token_status,
    parse_status_claim,
    set_token_status,
    verify_status_list_token,
)

__all__ = [
    "INVALID",
    "MAX_LIST_BYTES",
    "MAX_TOKEN_LIST_BYTES",
    "MIN_ENTRIES",
    "STATUS_LIST_ACCEPT",
    "STATUS_LIST_JWT_ACCEPT",
    "STATUS_LIST_JWT_TYP",
    "SUSPENDED",
    "VALID",
    "StatusList",
    "StatusListCache",
    "StatusResult",
    "TokenStatusList",
    "TokenStatusReference",
    "TokenStatusResult",
    "VerifiedStatusListToken",
    "check_status",
    "check_token_status",
    "create_status_list_token",
    "decode_list",
    "decode_token_status_list",
    "encode_list",
    "encode_token_status_list",
    "get_status",
    "get_token_status",
    "parse_status_claim",
    "parse_status_list_index",
    "set_status",
    "set_token_status",
    "validate_status_entry",
    "verify_status_list_token",
]
