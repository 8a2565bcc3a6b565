"""Offer text and issuer metadata: what a QR scan and an issuer may send, and what is refused."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

import pytest

from wallet_sdk.errors import IssuerResponseError, OfferError
from wallet_sdk.metadata import parse_issuer_metadata, well_known_urls
from wallet_sdk.offers import (
    CredentialOffer,
    CredentialOfferReference,
    TxCode,
    parse_credential_offer,
    parse_offer_text,
)

ISSUER = "https://issuer.example.nl/belastingdienst"
GRANT = "urn:ietf:params:oauth:grant-type:pre-authorized_code"
OFFER: dict[str, Any] = {
    "credential_issuer": ISSUER,
    "credential_configuration_ids": ["InkomensverklaringCredential_ldp_vc"],
    "grants": {
        GRANT: {
            "pre-authorized_code": "oaKazRN8I0IbtZ0C7JuMn5",
            "tx_code": {"input_mode": "numeric", "length": 6, "description": "SMS-code"},
        }
    },
    "unknown_parameter": "ignored",
}


def by_value(offer: object) -> str:
    return "openid-credential-offer://?credential_offer=" + quote(json.dumps(offer), safe="")


def test_offer_by_value() -> None:
    offer = parse_offer_text(by_value(OFFER))
    assert offer == CredentialOffer(
        ISSUER,
        ("InkomensverklaringCredential_ldp_vc",),
        "oaKazRN8I0IbtZ0C7JuMn5",
        TxCode("numeric", 6, "SMS-code"),
    )


def test_offer_by_reference() -> None:
    uri = "https://issuer.example.nl/belastingdienst/offers/Gkur"
    text = "openid-credential-offer://?credential_offer_uri=" + quote(uri, safe="")
    assert parse_offer_text(text) == CredentialOfferReference(uri)


def test_empty_tx_code_object_still_requires_a_code() -> None:
    offer = {**OFFER, "grants": {GRANT: {"pre-authorized_code": "c", "tx_code": {}}}}
    parsed = parse_offer_text(by_value(offer))
    assert isinstance(parsed, CredentialOffer)
    assert parsed.tx_code == TxCode()


def _without(name: str) -> dict[str, Any]:
    return {key: value for key, value in OFFER.items() if key != name}


MALFORMED_TEXT = {
    "wrong-scheme": "openid4vp://?credential_offer=%7B%7D",
    "neither-parameter": "openid-credential-offer://?foo=bar",
    "both-parameters": "openid-credential-offer://?credential_offer=%7B%7D&credential_offer_uri=https%3A%2F%2Fa.nl",
    "repeated-parameter": "openid-credential-offer://?credential_offer_uri=https%3A%2F%2Fa.nl&credential_offer_uri=https%3A%2F%2Fb.nl",
    "http-reference": "openid-credential-offer://?credential_offer_uri=http%3A%2F%2Fissuer.example.nl%2Fo",
    "not-json": "openid-credential-offer://?credential_offer=%7Bnope",
    "json-array": "openid-credential-offer://?credential_offer=%5B%5D",
    "nan": "openid-credential-offer://?credential_offer=" + quote('{"a": NaN}'),
    "duplicate-members": "openid-credential-offer://?credential_offer="
    + quote('{"credential_issuer": "https://a.nl", "credential_issuer": "https://b.nl"}'),
    "deeply-nested": "openid-credential-offer://?credential_offer=" + quote("[" * 100 + "]" * 100),
    "very-deeply-nested": "openid-credential-offer://?credential_offer=" + "%5B" * 5000,
    "oversized": by_value({**OFFER, "padding": "x" * 20000}),
    "no-issuer": by_value(_without("credential_issuer")),
    "http-issuer": by_value({**OFFER, "credential_issuer": "http://issuer.example.nl/x"}),
    "issuer-with-query": by_value({**OFFER, "credential_issuer": ISSUER + "?a=b"}),
    "issuer-not-string": by_value({**OFFER, "credential_issuer": 7}),
    "no-configurations": by_value(_without("credential_configuration_ids")),
    "empty-configurations": by_value({**OFFER, "credential_configuration_ids": []}),
    "repeated-configurations": by_value({**OFFER, "credential_configuration_ids": ["a", "a"]}),
    "configuration-not-string": by_value({**OFFER, "credential_configuration_ids": [{}]}),
    "grants-not-object": by_value({**OFFER, "grants": []}),
    "grant-not-object": by_value({**OFFER, "grants": {GRANT: "code"}}),
    "empty-code": by_value({**OFFER, "grants": {GRANT: {"pre-authorized_code": ""}}}),
    "tx-code-mode": by_value(
        {**OFFER, "grants": {GRANT: {"pre-authorized_code": "c", "tx_code": {"input_mode": "x"}}}}
    ),
    "tx-code-length": by_value(
        {**OFFER, "grants": {GRANT: {"pre-authorized_code": "c", "tx_code": {"length": True}}}}
    ),
    "tx-code-description": by_value(
        {
            **OFFER,
            "grants": {GRANT: {"pre-authorized_code": "c", "tx_code": {"description": "x" * 301}}},
        }
    ),
}


@pytest.mark.parametrize("text", MALFORMED_TEXT.values(), ids=MALFORMED_TEXT.keys())
def test_malformed_offers_are_refused(text: str) -> None:
    with pytest.raises(OfferError) as info:
        parse_offer_text(text)
    assert info.value.code == "INVALID_CREDENTIAL_OFFER"


def test_an_offer_without_pre_authorized_grant_parses_but_has_no_code() -> None:
    offer = parse_credential_offer(_without("grants"))
    assert offer.pre_authorized_code is None
    assert offer.tx_code is None


@pytest.mark.parametrize(
    ("spec", "code"),
    [
        (TxCode("numeric", 6), "12345a"),
        (TxCode("numeric", 6), "12345"),
        (TxCode("numeric", None), "١٢٣"),
        (TxCode("text", None), ""),
    ],
    ids=["letter-in-numeric", "too-short", "non-ascii-digits", "empty"],
)
def test_tx_code_check(spec: TxCode, code: str) -> None:
    with pytest.raises(OfferError) as info:
        spec.check(code)
    assert info.value.code == "INVALID_TX_CODE"


def test_well_known_paths_insert_then_append() -> None:
    assert well_known_urls(ISSUER, "openid-credential-issuer") == (
        "https://issuer.example.nl/.well-known/openid-credential-issuer/belastingdienst",
        "https://issuer.example.nl/belastingdienst/.well-known/openid-credential-issuer",
    )
    assert well_known_urls("https://issuer.example.nl", "oauth-authorization-server")[0] == (
        "https://issuer.example.nl/.well-known/oauth-authorization-server"
    )


METADATA: dict[str, Any] = {
    "credential_issuer": ISSUER,
    "credential_endpoint": ISSUER + "/credential",
    "nonce_endpoint": ISSUER + "/nonce",
    "batch_credential_issuance": {"batch_size": 10},
    "display": [
        {"name": "Tax office", "locale": "en"},
        {"name": "Belastingdienst", "locale": "nl"},
    ],
    "credential_configurations_supported": {
        "InkomensverklaringCredential_ldp_vc": {
            "format": "ldp_vc",
            "cryptographic_binding_methods_supported": ["did:key"],
            "proof_types_supported": {"jwt": {"proof_signing_alg_values_supported": ["ES256"]}},
            "credential_definition": {
                "@context": ["https://www.w3.org/ns/credentials/v2"],
                "type": ["VerifiableCredential", "InkomensverklaringCredential"],
            },
            "credential_metadata": {"display": [{"name": "Inkomensverklaring", "locale": "nl-NL"}]},
        }
    },
}


def test_metadata_parses_and_prefers_dutch_names() -> None:
    metadata = parse_issuer_metadata(METADATA, expected_issuer=ISSUER)
    assert metadata.name == "Belastingdienst"
    assert metadata.batch_size == 10
    configuration = metadata.configurations["InkomensverklaringCredential_ldp_vc"]
    assert configuration.name == "Inkomensverklaring"
    assert configuration.proof_signing_algs == {"ES256"}


BAD_METADATA = {
    "other-issuer": {**METADATA, "credential_issuer": ISSUER + "x"},
    "no-credential-endpoint": {k: v for k, v in METADATA.items() if k != "credential_endpoint"},
    "http-endpoint": {**METADATA, "nonce_endpoint": "http://issuer.example.nl/nonce"},
    "batch-of-one": {**METADATA, "batch_credential_issuance": {"batch_size": 1}},
    "no-configurations": {**METADATA, "credential_configurations_supported": {}},
    "binding-without-proof-types": {
        **METADATA,
        "credential_configurations_supported": {
            "a": {"format": "ldp_vc", "cryptographic_binding_methods_supported": ["did:key"]}
        },
    },
    "ldp-without-definition": {
        **METADATA,
        "credential_configurations_supported": {"a": {"format": "ldp_vc"}},
    },
    "not-an-object": [],
}


@pytest.mark.parametrize("document", BAD_METADATA.values(), ids=BAD_METADATA.keys())
def test_bad_metadata_is_discarded(document: object) -> None:
    with pytest.raises(IssuerResponseError) as info:
        parse_issuer_metadata(document, expected_issuer=ISSUER)
    assert info.value.code == "INVALID_ISSUER_METADATA"
