"""What credentials point to, served by the issuer: our context, and each type's display texts."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from vc_core.loader import NL_VC_V1_URL, bundled_contexts
from vc_issuer.display import TERM_LABELS, claim_label
from vc_issuer.sources import default_sources

from .support import BASE_URL, CONFIGURATIONS, DEMO_BSN

REPO = Path(__file__).resolve().parents[2]
TYPES = {
    "brp": "PersoonsgegevensCredential",
    "belastingdienst": "InkomensverklaringCredential",
    "duo": "DiplomaCredential",
    "rdw": "VoertuigregistratieCredential",
}


def _pinned_sha256() -> str:
    manifest = json.loads((REPO / "contexts" / "manifest.json").read_text(encoding="utf-8"))
    (entry,) = [item for item in manifest if item["url"] == NL_VC_V1_URL]
    assert entry["file"] == "nl-vc-v1.json"
    pinned: str = entry["sha256"]
    return pinned


def test_the_context_is_served_byte_for_byte_at_its_path(client: TestClient) -> None:
    served = client.get("/contexts/nl-vc/v1")
    assert served.status_code == 200
    assert served.headers["content-type"] == "application/ld+json"
    assert hashlib.sha256(served.content).hexdigest() == _pinned_sha256()
    assert served.content == (REPO / "contexts" / "nl-vc-v1.json").read_bytes()
    assert json.loads(served.content) == bundled_contexts()[NL_VC_V1_URL]
    assert served.headers["etag"] == f'"{_pinned_sha256()}"'
    assert served.headers["cache-control"] == "public, max-age=86400"
    assert served.headers["access-control-allow-origin"] == "*"


@pytest.mark.parametrize(
    ("if_none_match", "status"),
    [
        ("{etag}", 304),
        ("W/{etag}", 304),
        ('"other", {etag}', 304),
        ("*", 304),
        ('"other"', 200),
        ("", 200),
    ],
)
def test_the_context_answers_conditional_requests(
    client: TestClient, if_none_match: str, status: int
) -> None:
    etag = f'"{_pinned_sha256()}"'
    answer = client.get(
        "/contexts/nl-vc/v1", headers={"If-None-Match": if_none_match.format(etag=etag)}
    )
    assert answer.status_code == status
    assert answer.headers["etag"] == etag
    assert (answer.content == b"") == (status == 304)


def test_a_credential_names_the_context_the_service_serves(client: TestClient) -> None:
    login = client.post("/demo-login", data={"bsn": DEMO_BSN})
    assert login.status_code == 200
    credential = client.get("/belastingdienst/basis/credential.json").json()
    client.cookies.clear()
    (ours,) = [url for url in credential["@context"] if url.startswith(BASE_URL)]
    assert ours == NL_VC_V1_URL
    assert client.get(ours.removeprefix(BASE_URL)).status_code == 200


@pytest.mark.parametrize("source", sorted(TYPES))
def test_each_credential_type_has_its_display_document(client: TestClient, source: str) -> None:
    document = client.get(f"/{source}/types/{TYPES[source]}")
    assert document.status_code == 200
    assert document.headers["cache-control"] == "public, max-age=3600"
    shown = document.json()
    assert shown["type"] == TYPES[source]
    assert shown["credential_configuration_id"] == CONFIGURATIONS[source]
    assert shown["issuer"] == f"{BASE_URL}/{source}"
    assert [entry["locale"] for entry in shown["display"]] == ["nl-NL", "en-US"]
    dutch, english = shown["display"]
    assert dutch["name"] == shown["name"]
    assert dutch["name"] != english["name"] or source == "duo"  # "Diploma" in both
    assert dutch["description"] != english["description"]
    assert set(english["rendering"]["simple"]) == {"background_color", "text_color"}
    for claim in shown["claims"]:
        term = claim["path"][-1]
        assert term in TERM_LABELS, term
        assert claim["display"] == [
            {"locale": "nl-NL", "label": claim_label("nl", term)},
            {"locale": "en-US", "label": claim_label("en", term)},
        ]
        assert claim["sd"] in ("always", "never")


def test_which_claims_a_holder_may_leave_out(client: TestClient) -> None:
    shown = client.get("/belastingdienst/types/InkomensverklaringCredential").json()
    disclosure = {"/".join(claim["path"][1:]): claim["sd"] for claim in shown["claims"]}
    assert disclosure["belastingjaar"] == "never"
    assert disclosure["inkomenstoets/regel"] == "never"
    assert disclosure["verzamelinkomen"] == "always"
    assert disclosure["inkomenstoets/onderSocialeHuurgrens"] == "always"


@pytest.mark.parametrize(
    "path",
    [
        "/brp/types/InkomensverklaringCredential",
        "/belastingdienst/types/Inkomensverklaring",
        "/nowhere/types/DiplomaCredential",
    ],
)
def test_an_unknown_type_is_not_found(client: TestClient, path: str) -> None:
    answer = client.get(path)
    assert answer.status_code == 404
    assert answer.headers["content-type"] == "application/problem+json"


def test_every_label_in_the_metadata_comes_in_both_languages(client: TestClient) -> None:
    for source in default_sources():
        metadata = client.get(f"/.well-known/openid-credential-issuer/{source}").json()
        for configuration in metadata["credential_configurations_supported"].values():
            display = configuration["credential_metadata"]["display"]
            assert [entry["locale"] for entry in display] == ["nl-NL", "en-US"]
            for claim in configuration["credential_metadata"]["claims"]:
                names = {entry["locale"]: entry["name"] for entry in claim["display"]}
                term = claim["path"][-1]
                assert names == {"nl-NL": claim_label("nl", term), "en-US": claim_label("en", term)}
