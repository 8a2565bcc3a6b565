"""Status lists: unique random indexes under concurrency, served signed lists, status changes."""

from __future__ import annotations

import random
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from fastapi.testclient import TestClient

from vc_core import KeyPair, did_key
from vc_core.proofs import verify
from vc_core.status import StatusList, check_status
from vc_core.types import JsonObject
from vc_issuer.errors import NotFound
from vc_issuer.issuer import Issuer

from .support import ADMIN, CONFIGURATIONS, DEMO_BSN, client_fetch

INCOME = CONFIGURATIONS["belastingdienst"]


def issue(issuer: Issuer, source: str = "belastingdienst") -> JsonObject:
    return issuer.issue_credential(
        source,
        bsn=DEMO_BSN,
        configuration_id=CONFIGURATIONS[source],
        holder_did=did_key(KeyPair.generate()),
    )


def served_list(client: TestClient, entry: JsonObject) -> StatusList:
    """Fetch the list an entry points at, check its proof, and expand it."""
    response = client.get(entry["statusListCredential"])
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/vc"
    assert response.headers["cache-control"] == "public, max-age=300"
    document = response.json()
    verified = verify(document, fetch=client_fetch(client))
    assert verified.proofs[0]["cryptosuite"] == "ecdsa-rdfc-2019"
    assert document["credentialSubject"]["ttl"] == 300_000
    return StatusList.decode(document["credentialSubject"]["encodedList"])


def entry_of(credential: JsonObject, purpose: str) -> JsonObject:
    entries: list[JsonObject] = credential["credentialStatus"]
    (entry,) = [e for e in entries if e["statusPurpose"] == purpose]
    return entry


def test_revoked_credential_shows_revoked_in_the_served_list(
    issuer: Issuer, client: TestClient
) -> None:
    credential = issue(issuer)
    entry = entry_of(credential, "revocation")
    index = int(entry["statusListIndex"])
    assert served_list(client, entry).get(index) == 0
    response = client.post(f"/admin/credentials/{credential['id']}/revoke", headers=ADMIN)
    assert response.json()["status"] == {"revocation": 1, "suspension": 0}
    assert served_list(client, entry).get(index) == 1
    results = check_status(credential, fetch=client_fetch(client))
    assert [(r.purpose, r.valid) for r in results] == [("revocation", False), ("suspension", True)]
    # A revocation cannot be undone by reinstating.
    client.post(f"/admin/credentials/{credential['id']}/reinstate", headers=ADMIN)
    assert served_list(client, entry).get(index) == 1


def test_suspend_and_reinstate(issuer: Issuer, client: TestClient) -> None:
    credential = issue(issuer, "rdw")
    entry = entry_of(credential, "suspension")
    index = int(entry["statusListIndex"])
    client.post(f"/admin/credentials/{credential['id']}/suspend", headers=ADMIN)
    assert served_list(client, entry).get(index) == 1
    client.post(f"/admin/credentials/{credential['id']}/reinstate", headers=ADMIN)
    assert served_list(client, entry).get(index) == 0
    assert issuer.status_of(credential["id"]) == {"revocation": 0, "suspension": 0}


def test_unknown_credentials_and_lists_are_404(issuer: Issuer, client: TestClient) -> None:
    with pytest.raises(NotFound):
        issuer.revoke("urn:uuid:00000000-0000-4000-8000-000000000000")
    assert client.post("/admin/credentials/urn:uuid:nope/revoke", headers=ADMIN).status_code == 404
    assert client.get("/belastingdienst/status/revocation/999").status_code == 404
    assert client.get("/belastingdienst/status/other/1").status_code == 404
    assert client.get("/belastingdienst/status/revocation/x").status_code == 404


def test_concurrent_issuance_gives_distinct_indexes(issuer: Issuer) -> None:
    """200 credentials from 16 threads; indexes drawn from only 300 values force retries."""
    claims = issuer.claims("belastingdienst", DEMO_BSN, INCOME)
    assert claims is not None
    lock = threading.Lock()
    rng = random.Random(7)

    def randbelow(_: int) -> int:
        with lock:
            return 130_000 + rng.randrange(300)

    def one(_: int) -> list[JsonObject]:
        return issuer.issue_with_claims(
            "belastingdienst",
            configuration_id=INCOME,
            claims=claims.claims,
            bsn=DEMO_BSN,
            holder_dids=["did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"],
            randbelow=randbelow,
        )

    with ThreadPoolExecutor(max_workers=16) as pool:
        credentials = [c for batch in pool.map(one, range(200)) for c in batch]
    assert len(credentials) == 200
    for purpose in ("revocation", "suspension"):
        slots = {
            (entry_of(c, purpose)["statusListCredential"], entry_of(c, purpose)["statusListIndex"])
            for c in credentials
        }
        assert len(slots) == 200
    assert len({c["id"] for c in credentials}) == 200


def test_indexes_are_spread_over_the_list(issuer: Issuer) -> None:
    credentials = [issue(issuer, "brp") for _ in range(20)]
    indexes = [int(entry_of(c, "revocation")["statusListIndex"]) for c in credentials]
    assert len(set(indexes)) == 20
    assert max(indexes) - min(indexes) > 10_000  # random, not sequential


def test_status_admin_needs_the_token(client: TestClient, issuer: Issuer) -> None:
    credential: dict[str, Any] = issue(issuer)
    response = client.post(f"/admin/credentials/{credential['id']}/revoke")
    assert response.status_code == 401
    assert response.json()["code"] == "UNAUTHORIZED"
    assert issuer.status_of(credential["id"])["revocation"] == 0
