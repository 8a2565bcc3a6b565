"""Finding 2: nobody can write into a citizen's Plus access log without authenticating.

The access log holds what authenticated recipients did and what the source
decided. A refused fetch before the recipient's client assertion verified is
counted in memory per client and rate-limited (429), never stored: not in the
grant's chain, not in the source's own.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from blauwe_knop.servers import LoopbackTransport
from tests.plus.conftest import LANDLORD, Recipient, register, web_key
from tests.plus.support import assertion, compact_for, grant_by_login, income, login, raw_fetch
from vc_core import KeyPair
from vc_core.jws import sign_jws

from .conftest import ISSUER_HOST, Service, issuer_process

TAX = f"https://{ISSUER_HOST}/belastingdienst"
POLICE = "did:web:politie.nl"
ANONYMOUS_REQUESTS = 2000


def _now() -> datetime:
    return datetime.now(UTC)


def _rows(service: Service) -> int:
    with sqlite3.connect(service.data_dir / "issuer.db") as database:
        (count,) = database.execute("SELECT count(*) FROM plus_access").fetchone()
    return int(count)


@pytest.fixture(scope="module")
def granted(issuer: Service) -> Iterator[tuple[httpx.Client, Recipient, dict[str, Any]]]:
    """A client of the issuer, the registered landlord and a grant the citizen gave it."""
    transport = LoopbackTransport({ISSUER_HOST: issuer.port})
    with httpx.Client(transport=transport, base_url=f"https://{ISSUER_HOST}", timeout=30) as http:
        landlord = Recipient(LANDLORD, web_key(LANDLORD))
        register(http, landlord, name="Verhuur BV")
        login(http)
        yield http, landlord, grant_by_login(http, [income("inkomenstoets")])


def _anonymous_attempts(grant: str) -> list[dict[str, str] | str]:
    """Refusable requests of someone who knows the grant but holds no registered key."""
    impostor = KeyPair.generate("P-256")
    police = Recipient(POLICE, impostor)
    as_landlord = Recipient(LANDLORD, impostor)
    return [
        {"client_assertion": assertion(police, TAX, clock=_now), "grant": grant},
        {"client_assertion": assertion(as_landlord, TAX, clock=_now), "grant": grant},
        {"client_assertion": "not.a.jwt", "grant": grant},
        {"client_assertion": sign_jws({"iss": POLICE}, impostor, typ="JWT"), "grant": "x.y.z"},
        "not a form",
    ]


def test_2000_anonymous_requests_add_no_row_to_any_log(
    issuer: Service, granted: tuple[httpx.Client, Recipient, dict[str, Any]]
) -> None:
    http, landlord, view = granted
    grant = compact_for(view["grant"], TAX)
    before = _rows(issuer)
    exported = http.get(f"/plus/grants/{view['id']}/access-log").json()["log"]
    attempts = _anonymous_attempts(grant)

    def attempt(number: int) -> int:
        chosen = attempts[number % len(attempts)]
        if isinstance(chosen, str):
            return http.post("/belastingdienst/plus/credential", content=chosen).status_code
        return raw_fetch(http, TAX, chosen["grant"], chosen["client_assertion"]).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(attempt, range(ANONYMOUS_REQUESTS)))
    assert set(statuses) <= {400, 401}, sorted(set(statuses))
    assert _rows(issuer) == before
    log = http.get(f"/plus/grants/{view['id']}/access-log").json()["log"]
    assert log == exported
    assert log["chain_valid"]
    assert POLICE not in str(log)
    # The recipient itself, authenticated, is still served and logged.
    served = raw_fetch(http, TAX, grant, assertion(landlord, TAX, clock=_now))
    assert served.status_code == 200, served.text
    assert _rows(issuer) == before + 1


@pytest.fixture(scope="module")
def limited(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    """The demo issuer with its default rate limits."""
    yield from issuer_process(tmp_path_factory, plus_anonymous_rate="30/minute")


def test_anonymous_refusals_are_rate_limited_per_client(limited: Service) -> None:
    transport = LoopbackTransport({ISSUER_HOST: limited.port})
    with httpx.Client(transport=transport, base_url=f"https://{ISSUER_HOST}", timeout=30) as http:
        landlord = Recipient(LANDLORD, web_key(LANDLORD))
        register(http, landlord, name="Verhuur BV")
        login(http)
        view = grant_by_login(http, [income("inkomenstoets")])
        grant = compact_for(view["grant"], TAX)
        impostor = Recipient(POLICE, KeyPair.generate("P-256"))
        statuses = [
            raw_fetch(http, TAX, grant, assertion(impostor, TAX, clock=_now)).status_code
            for _ in range(40)
        ]
        assert statuses[:30] == [401] * 30
        assert set(statuses[30:]) == {429}
        limited_answer = raw_fetch(http, TAX, grant, assertion(impostor, TAX, clock=_now))
        assert int(limited_answer.headers["Retry-After"]) >= 1
        assert limited_answer.json()["code"] == "RATE_LIMITED"
        # Nothing of it reached the log; the grant's log still has its one entry.
        entries = http.get(f"/plus/grants/{view['id']}/access-log").json()["log"]["entries"]
        assert [entry["event"] for entry in entries] == ["granted"]
