"""Interoperability: the `sd-jwt` reference implementation and joserfc accept what we make.

Both ways, with key binding: we issue, the reference holder presents, we
verify; we present, the reference verifier verifies; the reference issuer
issues, we check it as a holder, present it, and the reference verifier
accepts our presentation. joserfc (an independent JOSE implementation)
verifies every kind of JWS we sign.
"""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from joserfc import jws as joserfc_jws
from joserfc.jwk import ECKey
from jwcrypto.jwk import JWK
from sd_jwt.common import SDObj
from sd_jwt.holder import SDJWTHolder
from sd_jwt.issuer import SDJWTIssuer
from sd_jwt.verifier import SDJWTVerifier

from vc_core.hazmat.sd_jwt import parse_sd_jwt
from vc_core.keys import KeyPair
from vc_core.sd_jwt import (
    StaticIssuerKeys,
    issue_sd_jwt_vc,
    present_sd_jwt_vc,
    verify_sd_jwt_vc,
)
from vc_core.status import TokenStatusList, create_status_list_token

ISSUER = "https://issuer.example.nl/belastingdienst"
VCT = "https://issuer.example.nl/belastingdienst/inkomensverklaring"
AUDIENCE = "https://verhuur.example.nl"
NONCE = "r6tG0J1o"
ISSUER_KEY = KeyPair.generate("P-256")
HOLDER_KEY = KeyPair.generate("P-256")
KEYS = StaticIssuerKeys({ISSUER: [ISSUER_KEY.public]})

CLAIMS = {
    "inkomensklasse": "midden",
    "inkomenstoets": {"onderSocialeHuurgrens": True, "onderMiddenhuurgrens": False},
    "nationaliteiten": ["NL", "BE"],
}


def private_jwk(key: KeyPair) -> dict[str, str]:
    secret = base64.urlsafe_b64encode(key.secret_bytes).decode().rstrip("=")
    return {**key.public.to_jwk(), "d": secret}


def jwcrypto_key(key: KeyPair, *, private: bool = False) -> JWK:
    return JWK(**(private_jwk(key) if private else key.public.to_jwk()))


def issue_ours() -> str:
    return issue_sd_jwt_vc(
        CLAIMS,
        ISSUER_KEY,
        issuer=ISSUER,
        vct=VCT,
        disclosable=[
            ["inkomensklasse"],
            ["inkomenstoets"],
            ["inkomenstoets", "onderSocialeHuurgrens"],
            ["inkomenstoets", "onderMiddenhuurgrens"],
            ["nationaliteiten", None],
        ],
        holder_key=HOLDER_KEY.public,
        expires_at=datetime.now(UTC) + timedelta(days=1),
        decoys=3,
    )


def issue_reference() -> str:
    user_claims = {
        "iss": ISSUER,
        "vct": VCT,
        "iat": int(datetime.now(UTC).timestamp()),
        SDObj("inkomensklasse"): "midden",
        SDObj("inkomenstoets"): {
            SDObj("onderSocialeHuurgrens"): True,
            SDObj("onderMiddenhuurgrens"): False,
        },
        "nationaliteiten": [SDObj("NL"), SDObj("BE")],
    }
    issuer = SDJWTIssuer(
        user_claims,
        jwcrypto_key(ISSUER_KEY, private=True),
        holder_key=jwcrypto_key(HOLDER_KEY),
        add_decoy_claims=True,
        extra_header_parameters={"typ": "dc+sd-jwt"},
    )
    return issuer.sd_jwt_issuance


def reference_verify(presentation: str) -> dict[str, Any]:
    def issuer_key(issuer: str, header: dict[str, Any]) -> JWK:
        assert issuer == ISSUER
        return jwcrypto_key(ISSUER_KEY)

    verifier = SDJWTVerifier(presentation, issuer_key, AUDIENCE, NONCE)
    payload: dict[str, Any] = verifier.get_verified_payload()
    return payload


def reference_present(issued: str, disclose: dict[str, Any]) -> str:
    holder = SDJWTHolder(issued)
    holder.create_presentation(disclose, NONCE, AUDIENCE, jwcrypto_key(HOLDER_KEY, private=True))
    return holder.sd_jwt_presentation


def our_verify(presentation: str) -> dict[str, Any]:
    verified = verify_sd_jwt_vc(presentation, key_resolver=KEYS, audience=AUDIENCE, nonce=NONCE)
    return verified.claims


def test_we_issue_and_present_the_reference_verifier_accepts() -> None:
    shown = present_sd_jwt_vc(
        issue_ours(),
        [["inkomenstoets", "onderSocialeHuurgrens"], ["nationaliteiten", 1]],
        holder_key=HOLDER_KEY,
        audience=AUDIENCE,
        nonce=NONCE,
    )
    payload = reference_verify(shown)
    assert payload["inkomenstoets"] == {"onderSocialeHuurgrens": True}
    assert payload["nationaliteiten"] == ["BE"]
    assert "inkomensklasse" not in payload
    assert payload["vct"] == VCT


def test_we_issue_the_reference_holder_presents_we_verify() -> None:
    # The reference holder selects array elements by position in the issued array, decoys
    # included, so it is asked for every element here.
    shown = reference_present(issue_ours(), {"inkomensklasse": True, "nationaliteiten": [True] * 8})
    assert our_verify(shown) == {"inkomensklasse": "midden", "nationaliteiten": ["NL", "BE"]}


def test_reference_issues_we_check_present_and_it_verifies() -> None:
    issued = issue_reference()
    holder_view = verify_sd_jwt_vc(issued, key_resolver=KEYS)
    assert holder_view.claims == CLAIMS
    shown = present_sd_jwt_vc(
        issued,
        [["inkomenstoets", "onderMiddenhuurgrens"]],
        holder_key=HOLDER_KEY,
        audience=AUDIENCE,
        nonce=NONCE,
    )
    assert reference_verify(shown)["inkomenstoets"] == {"onderMiddenhuurgrens": False}
    assert our_verify(shown) == {
        "inkomenstoets": {"onderMiddenhuurgrens": False},
        "nationaliteiten": [],
    }


def test_reference_issues_and_presents_we_verify() -> None:
    shown = reference_present(issue_reference(), {"inkomenstoets": {"onderSocialeHuurgrens": True}})
    assert our_verify(shown) == {
        "inkomenstoets": {"onderSocialeHuurgrens": True},
        "nationaliteiten": [],
    }


def test_reference_verifier_rejects_a_tampered_presentation_of_ours() -> None:
    shown = present_sd_jwt_vc(
        issue_ours(), [["inkomensklasse"]], holder_key=HOLDER_KEY, audience=AUDIENCE, nonce=NONCE
    )
    with pytest.raises(Exception, match=r"[Ii]nvalid"):
        SDJWTVerifier(shown, lambda i, h: jwcrypto_key(ISSUER_KEY), "https://elders.example", NONCE)


# --- joserfc verifies every kind of JWS we sign --------------------------------------------------


def joserfc_verify(token: str, key: KeyPair) -> tuple[dict[str, Any], dict[str, Any]]:
    result = joserfc_jws.deserialize_compact(
        token, ECKey.import_key(key.public.to_jwk()), algorithms=["ES256"]
    )
    return result.protected, json.loads(result.payload)


def test_joserfc_verifies_our_issuer_jwt_kb_jwt_and_status_list_token() -> None:
    shown = present_sd_jwt_vc(
        issue_ours(), [["inkomensklasse"]], holder_key=HOLDER_KEY, audience=AUDIENCE, nonce=NONCE
    )
    parsed = parse_sd_jwt(shown)
    header, payload = joserfc_verify(parsed.issuer_jwt, ISSUER_KEY)
    assert (header["typ"], payload["vct"]) == ("dc+sd-jwt", VCT)
    header, payload = joserfc_verify(parsed.key_binding_jwt or "", HOLDER_KEY)
    assert (header["typ"], payload["aud"], payload["nonce"]) == ("kb+jwt", AUDIENCE, NONCE)
    status_token = create_status_list_token(
        TokenStatusList.new(16),
        ISSUER_KEY,
        uri=f"{ISSUER}/status/1",
        issued_at=datetime.now(UTC),
    )
    header, payload = joserfc_verify(status_token, ISSUER_KEY)
    assert (header["typ"], payload["sub"]) == ("statuslist+jwt", f"{ISSUER}/status/1")
