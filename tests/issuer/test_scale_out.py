"""Two ``blauwe-knop issuer serve`` processes over one PostgreSQL database are one issuer.

A wallet's flow may reach a different instance at every step (a load balancer
without sticky sessions). Single use of codes and nonces, the tx_code lock,
unique status indexes and revocation hold across the instances because each
rests on one database statement, never on process memory.
"""

from __future__ import annotations

import itertools
import os
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from tests.loopback import Hosts, cli_server
from vc_core.keys import KeyPair
from vc_core.proofs import derive, verify
from vc_core.status import StatusList, check_status

from .issuer_wallet import TestWallet, proof_jwt
from .support import ADMIN, BASE_URL, TEST_PEOPLE, assert_error, client_fetch, free_port, make_offer

HOST = "issuer.example.nl"


class Alternating(httpx.BaseTransport):
    """Sends each request to the next instance in turn, and records which one served it."""

    def __init__(self, ports: tuple[int, ...], *, start: int = 0) -> None:
        self._next = itertools.cycle(ports[start:] + ports[:start])
        self._inner = httpx.HTTPTransport()
        self._lock = threading.Lock()
        self.served: list[tuple[int, str]] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        with self._lock:
            port = next(self._next)
            self.served.append((port, request.url.path))
        request.url = request.url.copy_with(scheme="http", host="127.0.0.1", port=port)
        return self._inner.handle_request(request)

    def close(self) -> None:
        self._inner.close()


@dataclass(frozen=True)
class Instances:
    """Two issuer processes over one database, on ``ports``."""

    ports: tuple[int, int]

    def client(self, number: int) -> httpx.Client:
        """A client of instance ``number`` (0 or 1) only."""
        return httpx.Client(
            transport=Hosts({HOST: self.ports[number]}), base_url=BASE_URL, timeout=30
        )

    def alternating(self, *, start: int = 0) -> tuple[httpx.Client, Alternating]:
        """A client whose every request goes to the other instance than the one before."""
        transport = Alternating(self.ports, start=start)
        return httpx.Client(transport=transport, base_url=BASE_URL, timeout=30), transport


@pytest.fixture(scope="module")
def instances(
    new_database_url: Callable[[str], str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Instances]:
    """Two single-worker servers, each with its own data folder, over one PostgreSQL database.

    They share what an operator shares between instances: the database URL and
    the secrets (here the development passphrase and admin token of ``--demo``).
    """
    environment = {
        **os.environ,
        "BLAUWE_KNOP_ISSUER_DATABASE_URL": new_database_url("postgresql"),
        "BLAUWE_KNOP_ISSUER_DEMO_PEOPLE": str(TEST_PEOPLE),
    }
    ports = (free_port(), free_port())
    with ExitStack() as stack:
        for name, port in zip("ab", ports, strict=True):
            data_dir = tmp_path_factory.mktemp(f"instance-{name}")
            args = ["issuer", "serve", "--data-dir", str(data_dir), "--demo", "--workers", "1"]
            stack.enter_context(
                cli_server(
                    args,
                    port=port,
                    ready="/brp/did.json",
                    env=environment,
                    log=data_dir / "server.log",
                )
            )
        yield Instances(ports)


def test_a_flow_that_changes_instance_at_every_step(instances: Instances) -> None:
    """Offer fetch, token, nonce and credential requests each land on the other instance
    than the step before; the second flow starts on the other instance than the first."""
    served: list[tuple[int, str]] = []
    for start in (0, 1):
        http, transport = instances.alternating(start=start)
        with http:
            offer = make_offer(http, "belastingdienst")
            credentials = TestWallet(http).receive(offer["offer_uri"], offer["tx_code"], copies=2)
            for credential in credentials:
                verify(derive(credential, selective_pointers=[]), fetch=client_fetch(http))
        ports = [port for port, _ in transport.served]
        assert all(one != other for one, other in itertools.pairwise(ports))
        served += transport.served
    for step in ("/offers/", "/token", "/nonce", "/credential"):
        assert {port for port, path in served if step in path} == set(instances.ports), step


def _session(instances: Instances, source: str = "rdw") -> tuple[TestWallet, TestWallet, Any, str]:
    """An opened offer: wallets on instance a and on instance b, the session, the tx_code."""
    a, b = TestWallet(instances.client(0)), TestWallet(instances.client(1))
    offer = make_offer(a.http, source)
    return a, b, b.open(offer["offer_uri"]), offer["tx_code"]


def test_a_pre_authorized_code_is_redeemed_once_across_instances(instances: Instances) -> None:
    a, b, session, tx_code = _session(instances)
    assert b.token(session, tx_code).status_code == 200
    assert_error(a.token(session, tx_code), 400, "invalid_grant")
    assert_error(b.token(session, tx_code), 400, "invalid_grant")


def test_a_nonce_is_used_once_across_instances(instances: Instances) -> None:
    a, b, session, tx_code = _session(instances)
    a.token(session, tx_code).raise_for_status()
    nonce = a.nonce(session)

    def request(wallet: TestWallet) -> httpx.Response:
        proof = proof_jwt(KeyPair.generate("P-256"), audience=session.issuer, nonce=nonce)
        body = {"credential_configuration_id": session.configuration_id, "proofs": {"jwt": [proof]}}
        return wallet.request(session, body)

    assert request(b).status_code == 200
    assert_error(request(a), 400, "invalid_nonce")
    assert_error(request(b), 400, "invalid_nonce")


def test_the_tx_code_lock_counts_wrong_codes_on_every_instance(instances: Instances) -> None:
    a, b, session, tx_code = _session(instances)
    wrong = "000000" if tx_code != "000000" else "111111"
    answers = [wallet.token(session, wrong) for wallet in (a, b, a, b, a)]
    for answer in answers:
        assert_error(answer, 400, "invalid_grant")
    assert "locked" in answers[-1].json()["error_description"]
    assert_error(b.token(session, tx_code), 400, "invalid_grant")
    assert_error(a.token(session, tx_code), 400, "invalid_grant")


def test_status_indexes_are_unique_across_instances(instances: Instances) -> None:
    def one_wallet(turn: int) -> list[str]:
        with instances.alternating(start=turn % 2)[0] as http:
            offer = make_offer(http, ("rdw", "brp")[turn % 2])
            credentials = TestWallet(http).receive(offer["offer_uri"], offer["tx_code"], copies=2)
            return [entry["id"] for c in credentials for entry in c["credentialStatus"]]

    with ThreadPoolExecutor(max_workers=8) as pool:
        entries = [entry for batch in pool.map(one_wallet, range(12)) for entry in batch]
    assert len(entries) == 12 * 2 * 2
    assert len(set(entries)) == len(entries)


def test_a_revocation_on_one_instance_is_served_at_once_by_the_other(
    instances: Instances,
) -> None:
    """The service keeps no status list in memory: the next fetch anywhere has the change."""
    with instances.client(0) as a, instances.client(1) as b:
        offer = make_offer(a, "duo")
        (credential,) = TestWallet(a).receive(offer["offer_uri"], offer["tx_code"])
        entry = next(
            e for e in credential["credentialStatus"] if e["statusPurpose"] == "revocation"
        )
        index = int(entry["statusListIndex"])

        def bit() -> int:
            listed = b.get(entry["statusListCredential"])
            listed.raise_for_status()
            return StatusList.decode(listed.json()["credentialSubject"]["encodedList"]).get(index)

        assert bit() == 0
        revoked = a.post(f"/admin/credentials/{credential['id']}/revoke", headers=ADMIN)
        assert revoked.status_code == 200, revoked.text
        assert bit() == 1
        results = check_status(credential, fetch=client_fetch(b))
        assert [r.valid for r in results if r.purpose == "revocation"] == [False]
