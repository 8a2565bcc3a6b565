"""Issuer keys: sealed at rest, passphrase checked, rotation keeps old credentials verifying."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy import select

from vc_core import KeyPair, did_key
from vc_core.proofs import derive, verify
from vc_issuer.db.models import IssuerKeyRow
from vc_issuer.errors import StartupRefused
from vc_issuer.issuer import Issuer
from vc_issuer.keys import KeyRing, demo_key
from vc_issuer.settings import IssuerSettings
from vc_issuer.web import create_app

from .support import BASE_URL, CONFIGURATIONS, DEMO_BSN, client_fetch

PASSPHRASE = "a long operator passphrase for tests"
TOKEN = "an-admin-token-that-is-long-enough-for-production"


@pytest.fixture
def fresh(backend: str, settings_for: Callable[..., IssuerSettings]) -> Issuer:
    """An issuer over its own database with random (non-demo) keys."""
    settings = settings_for(backend, demo_keys=False, key_passphrase=SecretStr(PASSPHRASE))
    return Issuer.from_settings(settings)


def test_secrets_are_sealed_at_rest(fresh: Issuer) -> None:
    key = fresh.keys.signing_key("rdw")
    with fresh.db.read() as unit:
        rows = [
            (row.source, row.sealed_secret, row.public_multibase)
            for row in unit.session.scalars(select(IssuerKeyRow))
        ]
    assert {source for source, _, _ in rows} >= {"brp", "belastingdienst", "duo", "rdw"}
    ((_, sealed, public),) = [row for row in rows if row[0] == "rdw"]
    assert key.secret_bytes not in sealed
    assert public == key.public.multibase
    assert key.id == "did:web:issuer.example.nl:rdw#key-1"
    assert key.controller == "did:web:issuer.example.nl:rdw"


def test_wrong_passphrase_is_refused(fresh: Issuer) -> None:
    with pytest.raises(StartupRefused, match="passphrase"):
        KeyRing.unlock(fresh.db, "not the passphrase", fresh.settings.issuer_dids())
    reopened = KeyRing.unlock(fresh.db, PASSPHRASE, fresh.settings.issuer_dids())
    assert reopened.signing_key("duo").public == fresh.keys.signing_key("duo").public


def test_rotation_keeps_older_credentials_verifying(fresh: Issuer) -> None:
    def issue() -> dict[str, object]:
        return fresh.issue_credential(
            "belastingdienst",
            bsn=DEMO_BSN,
            configuration_id=CONFIGURATIONS["belastingdienst"],
            holder_did=did_key(KeyPair.generate()),
        )

    before = issue()
    assert fresh.rotate_key("belastingdienst") == "did:web:issuer.example.nl:belastingdienst#key-2"
    after = issue()
    assert after["proof"]["verificationMethod"].endswith("#key-2")  # type: ignore[index]
    document = fresh.did_document("belastingdienst")
    assert [m["id"].rsplit("#")[1] for m in document["verificationMethod"]] == ["key-1", "key-2"]
    assert len(document["assertionMethod"]) == 2
    with TestClient(create_app(fresh), base_url=BASE_URL) as client:
        served = client.get("/belastingdienst/did.json")
        assert served.headers["content-type"] == "application/did+json"
        assert served.json() == document
        for credential in (before, after):
            verify(derive(credential, selective_pointers=[]), fetch=client_fetch(client))
        # The status list is re-signed with the newest key too.
        status = before["credentialStatus"][0]["statusListCredential"]  # type: ignore[index]
        fresh.revoke(str(before["id"]))
        listed = client.get(status).json()
        assert listed["proof"]["verificationMethod"].endswith("#key-2")


def test_demo_keys_are_the_fixed_ones(issuer: Issuer) -> None:
    assert issuer.keys.signing_key("duo").public == demo_key("duo").public
    assert issuer.keys.uses_demo_keys("duo")


def test_production_refuses_stored_demo_keys(
    backend: str, settings_for: Callable[..., IssuerSettings]
) -> None:
    development = settings_for(backend, demo_keys=True, key_passphrase=SecretStr(PASSPHRASE))
    Issuer.from_settings(development).db.dispose()
    production = development.model_copy(
        update={
            "mode": "production",
            "demo_keys": False,
            "demo_data": False,
            "admin_token": SecretStr(TOKEN),
        }
    )
    with pytest.raises(StartupRefused, match="demo key"):
        Issuer.from_settings(production)


# --- VC API issuers: a key series per curve -------------------------------------------------------


def test_vc_api_keys_are_sealed_per_curve_and_rotate_on_their_curve(fresh: Issuer) -> None:
    from vc_issuer.vc_api import VcApi

    identities = VcApi(fresh).identities()
    curves = {name: identity["curve"] for name, identity in identities.items()}
    assert curves == {
        "ecdsa-rdfc-2019": "P-256",
        "ecdsa-rdfc-2019-p384": "P-384",
        "ecdsa-sd-2023": "P-256",
        "eddsa-rdfc-2022": "Ed25519",
    }
    for key_name, curve in (("vc-api-p384", "P-384"), ("vc-api-ed25519", "Ed25519")):
        key = fresh.keys.signing_key(key_name)
        assert key.curve == curve
        assert key.controller == did_key(key)
        assert not fresh.keys.uses_demo_keys(key_name)
        with fresh.db.read() as unit:
            (stored,) = unit.keys(key_name)
        assert key.secret_bytes not in stored.sealed_secret
        rotated = fresh.keys.rotate(key_name)
        assert fresh.keys.signing_key(key_name).curve == curve
        assert rotated == fresh.keys.signing_key(key_name).id != key.id
    with pytest.raises(StartupRefused, match="are Ed25519, not P-256"):
        fresh.keys.ensure("vc-api-ed25519", curve="P-256")


def test_demo_vc_api_keys_are_fixed_and_refused_in_production(
    backend: str, settings_for: Callable[..., IssuerSettings]
) -> None:
    from vc_issuer.api_issuers import API_ISSUERS
    from vc_issuer.db import Database
    from vc_issuer.vc_api import VcApi

    development = settings_for(backend, demo_keys=False, key_passphrase=SecretStr(PASSPHRASE))
    # Only the VC API's keys are the public demo ones in this database.
    db = Database.open(development.resolved_database_url)
    db.create_tables()
    demo_ring = KeyRing.unlock(db, PASSPHRASE, development.issuer_dids(), use_demo_keys=True)
    for api_issuer in API_ISSUERS:
        demo_ring.ensure(api_issuer.key_name, curve=api_issuer.curve)
    db.dispose()
    issuer = Issuer.from_settings(development)
    identities = VcApi(issuer).identities()
    assert identities["eddsa-rdfc-2022"]["id"] == did_key(demo_key("vc-api-ed25519", 1, "Ed25519"))
    assert identities["ecdsa-rdfc-2019-p384"]["id"] == did_key(demo_key("vc-api-p384", 1, "P-384"))
    production = development.model_copy(
        update={"mode": "production", "demo_data": False, "admin_token": SecretStr(TOKEN)}
    )
    with pytest.raises(StartupRefused, match="VC API key vc-api is a public demo key"):
        Issuer.from_settings(production)
