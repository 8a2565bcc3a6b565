"""SD-JWT VC end to end over real servers on loopback: the issuer process and the landlord's page.

Each of the four sources issues an SD-JWT VC to ``wallet_sdk``; the landlord's
page (``blauwe-knop verifier serve``) asks for an income statement in either
format, takes the wallet's SD-JWT VC, decides and keeps a signed record; after
the tax office revokes the credential (its Token Status List) the page refuses
a new presentation of it.
"""

from __future__ import annotations

import html
import re
import secrets
import time
from collections.abc import Iterator

import httpx
import pytest

from blauwe_knop.servers import ISSUER_HOST, issuer_process, landlord_page_process
from tests.loopback import Hosts
from vc_verifier import verify_record
from vc_verifier.policy.housing import INCOME_VCT
from wallet_sdk import MemoryStore, Wallet
from wallet_sdk.errors import PresentationRequestError

LANDLORD_HOST = "verhuur.example.nl"
DEMO_BSN = "999993653"
SD_JWT_CONFIGURATIONS = {
    "brp": "PersoonsgegevensCredential_dc_sd_jwt",
    "belastingdienst": "InkomensverklaringCredential_dc_sd_jwt",
    "duo": "DiplomaCredential_dc_sd_jwt",
    "rdw": "VoertuigregistratieCredential_dc_sd_jwt",
}
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


class Servers:
    """The issuer process and the landlord's page, and a client that reaches both."""

    def __init__(self, issuer_port: int, admin_token: str, landlord_url: str) -> None:
        landlord_port = int(landlord_url.rsplit(":", 1)[1])
        self.admin = {"Authorization": f"Bearer {admin_token}"}
        self.http = httpx.Client(
            transport=Hosts({ISSUER_HOST: issuer_port, LANDLORD_HOST: landlord_port})
        )
        self.landlord = httpx.Client(base_url=landlord_url, follow_redirects=False)

    def offer(self, source: str) -> dict[str, str]:
        response = self.http.post(
            f"https://{ISSUER_HOST}/admin/{source}/offers",
            json={"bsn": DEMO_BSN, "credential_configuration_id": SD_JWT_CONFIGURATIONS[source]},
            headers=self.admin,
        )
        assert response.status_code == 201, response.text
        offer: dict[str, str] = response.json()
        return offer


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    folder = tmp_path_factory.mktemp("sd-jwt-e2e")
    token = secrets.token_urlsafe(32)
    with (
        issuer_process(
            data_dir=folder / "issuer", log_path=folder / "issuer.log", admin_token=token, people=20
        ) as issuer,
        landlord_page_process(
            data_dir=folder / "landlord", log_path=folder / "landlord.log", issuer_port=issuer.port
        ) as landlord_url,
    ):
        yield Servers(issuer.port, token, landlord_url)


def new_wallet(servers: Servers) -> Wallet:
    return Wallet(
        store=MemoryStore(),
        http=servers.http,
        trusted_issuers=[f"did:web:issuer.example.nl:{source}" for source in SD_JWT_CONFIGURATIONS],
        # The landlord page is on loopback: the citizen trusts it, so the wallet reaches it.
        trusted_verifiers=[f"did:web:{LANDLORD_HOST}"],
    )


def test_each_source_issues_an_sd_jwt_vc_to_the_wallet(servers: Servers) -> None:
    wallet = new_wallet(servers)
    for source in SD_JWT_CONFIGURATIONS:
        offer = servers.offer(source)
        (stored,) = wallet.accept_offer(
            wallet.parse_offer(offer["offer_uri"]), tx_code=offer["tx_code"]
        )
        assert stored.format == "dc+sd-jwt"
        assert stored.credential["iss"] == f"https://{ISSUER_HOST}/{source}"
    assert len(wallet.credentials()) == 4


def start_check(servers: Servers) -> tuple[str, str]:
    """Start an income check at the page; return its path and the request link it shows."""
    start = servers.landlord.get("/")
    token = _CSRF.search(start.text)
    assert token is not None
    started = servers.landlord.post(
        "/controles", data={"csrf_token": token.group(1), "household_size": "1"}
    )
    assert started.status_code == 303, started.text
    path = started.headers["location"]
    page = servers.landlord.get(path).text
    link = re.search(r'href="(openid4vp://[^"]+)" id="request-link"', page)
    assert link is not None, page
    return path, html.unescape(link.group(1))


def test_the_landlord_page_decides_on_an_sd_jwt_vc_and_honours_its_revocation(
    servers: Servers,
) -> None:
    wallet = new_wallet(servers)
    offer = servers.offer("belastingdienst")
    (stored,) = wallet.accept_offer(
        wallet.parse_offer(offer["offer_uri"]), tx_code=offer["tx_code"]
    )
    # The page asks for the statement in either format; the wallet holds only the SD-JWT VC.
    path, link = start_check(servers)
    request = wallet.open_request(link)
    assert {q.format for q in request.dcql_query.credentials} == {"ldp_vc", "dc+sd-jwt"}
    presentation = wallet.present(request)
    assert set(presentation.vp_token) == {"inkomen_sd_jwt"}
    wallet.send(presentation)
    assert servers.landlord.get(f"{path}/status.json").json()["state"] == "verified"
    record = servers.landlord.get(f"{path}/verslag.json")
    assert record.status_code == 200
    document = record.json()
    (credential,) = document["record"]["credentials"]
    assert credential["types"] == [INCOME_VCT]
    assert "verzamelinkomen" not in str(document)
    landlord_key = servers.http.get(f"https://{LANDLORD_HOST}/.well-known/did.json")
    assert landlord_key.status_code == 200
    verified = verify_record(document, fetch=lambda url, accept: servers.http.get(url).content)
    assert verified.meets is not None
    # The tax office revokes it (Token Status List); the page refuses the next presentation.
    revoked = servers.http.post(
        f"https://{ISSUER_HOST}/admin/credentials/{stored.credential['jti']}/revoke",
        headers=servers.admin,
    )
    assert revoked.json()["status"]["revocation"] == 1
    time.sleep(1.1)  # the page may keep the list for its ttl: one second on this issuer
    path, link = start_check(servers)
    with pytest.raises(PresentationRequestError, match="CREDENTIAL_REVOKED"):
        wallet.send(wallet.present(wallet.open_request(link)))
    # A refused answer leaves the check open for the real wallet (it is counted, not decided).
    assert servers.landlord.get(f"{path}/status.json").json()["state"] == "pending"
