"""Constants and small helpers shared by the issuer tests."""

from __future__ import annotations

import socket
from typing import Any

import httpx

from vc_core.types import Fetch
from vc_issuer.settings import DEVELOPMENT_ADMIN_TOKEN

BASE_URL = "https://issuer.example.nl"
ADMIN = {"Authorization": f"Bearer {DEVELOPMENT_ADMIN_TOKEN}"}
TEST_PEOPLE = 120
DEMO_BSN = "999993653"
REVIEW_BSN = "999990019"
NOBODY_BSN = "999990020"  # passes the 11-test, in no register
CONFIGURATIONS = {
    "brp": "PersoonsgegevensCredential_ldp_vc",
    "belastingdienst": "InkomensverklaringCredential_ldp_vc",
    "duo": "DiplomaCredential_ldp_vc",
    "rdw": "VoertuigregistratieCredential_ldp_vc",
}
SD_JWT_CONFIGURATIONS = {
    source: configuration.removesuffix("_ldp_vc") + "_dc_sd_jwt"
    for source, configuration in CONFIGURATIONS.items()
}
VCTS = {
    source: f"{BASE_URL}/{source}/vct/{configuration.removesuffix('_ldp_vc')}"
    for source, configuration in CONFIGURATIONS.items()
}


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def make_offer(
    client: httpx.Client, source: str, bsn: str = DEMO_BSN, configuration_id: str | None = None
) -> dict[str, Any]:
    body = {"bsn": bsn}
    if configuration_id is not None:
        body["credential_configuration_id"] = configuration_id
    response = client.post(f"/admin/{source}/offers", json=body, headers=ADMIN)
    assert response.status_code == 201, response.text
    offer: dict[str, Any] = response.json()
    return offer


def client_fetch(client: httpx.Client) -> Fetch:
    def fetch(url: str, *, accept: str) -> bytes:
        response = client.get(url, headers={"Accept": accept})
        response.raise_for_status()
        content: bytes = response.content
        return content

    return fetch


def assert_error(response: Any, status: int, error: str) -> None:
    assert response.status_code == status, response.text
    assert response.json()["error"] == error, response.text
