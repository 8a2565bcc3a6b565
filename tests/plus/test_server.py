"""Plus on ``blauwe-knop issuer serve`` with two worker processes: the lock holds across them."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import httpx
import pytest
from issuer.support import ADMIN, BASE_URL

from vc_verifier import HousingIncomeRule

from .conftest import Loopback, Recipient, RunningServer, register, web_key
from .support import (
    TAX,
    assertion,
    compact_for,
    grant_by_login,
    income,
    login,
    raw_fetch,
    wait_for,
)


def _now() -> datetime:
    return datetime.now(UTC)


# Implementation note: PostgreSQL only here (its row lock is what spans the processes);
# every other Plus test runs on both backends.
@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_two_workers_fetch_decide_and_race_a_revocation(server: RunningServer) -> None:
    landlord = Recipient("did:web:verhuur.example.nl", web_key("did:web:verhuur.example.nl"))

    def client() -> httpx.Client:
        return httpx.Client(transport=Loopback(server.port), base_url=BASE_URL, timeout=30)

    served: list[int] = []
    refused: list[str] = []
    lock = threading.Lock()
    with client() as citizen:
        register(citizen, landlord, name="Verhuur BV")
        login(citizen)
        view = grant_by_login(citizen, [income()])
        # Grant → fetch → decision, through the served app.
        fetched = landlord.client(citizen, _now).fetch(view["grant"])
        presentation = landlord.verifier(citizen, _now).verify_plus_credentials(fetched)
        decision = HousingIncomeRule.load(year=2026).evaluate(presentation, household_size=1)
        assert decision.meets is True
        grant = compact_for(view["grant"], TAX)

        def keep_fetching() -> None:
            with client() as http:
                while True:
                    answer = raw_fetch(http, TAX, grant, assertion(landlord, TAX, clock=_now))
                    with lock:
                        if answer.status_code != 200:
                            refused.append(answer.json()["error"])
                            return
                        served.append(answer.json()["access"]["seq"])

        threads = [threading.Thread(target=keep_fetching) for _ in range(4)]
        for thread in threads:
            thread.start()
        wait_for(lambda: len(served) >= 6)
        assert citizen.post(f"/plus/grants/{view['id']}/revoke", json={}).status_code == 200
        for thread in threads:
            thread.join(timeout=60)
        log = citizen.get(f"/admin/plus/grants/{view['id']}", headers=ADMIN).json()["access_log"]
    assert refused == ["invalid_grant"] * 4
    assert log["chain_valid"]
    (revocation,) = [e for e in log["entries"] if e["event"] == "revoked"]
    served_entries = [e["seq"] for e in log["entries"] if e["event"] == "served"]
    assert sorted(served) == served_entries[1:]  # the first was the decision's fetch
    assert all(seq < revocation["seq"] for seq in served_entries)
    after = [e["event"] for e in log["entries"] if e["seq"] > revocation["seq"]]
    assert after == ["refused"] * 4
