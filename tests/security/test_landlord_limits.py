"""Finding 5 on the landlord's page: a desk and a client start only so many checks.

Past a limit the page answers 429 with ``Retry-After``; past the rate of
requests with a body, the request guard refuses before the page runs. The
limits are low here on purpose (the defaults are in ``LandlordSettings``).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from blauwe_knop.servers import serve_in_thread
from tests.issuer.support import free_port
from vc_core.limits import Rate
from vc_verifier.landlord import LandlordSettings, create_landlord_app

from .test_landlord import Desk


@pytest.fixture
def strict_landlord(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A landlord's page with low limits: 2 checks a desk, 3 a client, 8 posts a minute."""
    settings = LandlordSettings(
        checks_per_desk=Rate(2, 3600.0),
        checks_per_client=Rate(3, 3600.0),
        client_rate=Rate(8, 60.0),
    )
    with serve_in_thread(create_landlord_app(settings), port=free_port()) as url:
        yield url


def test_checks_are_limited_per_desk_and_per_client(strict_landlord: str) -> None:
    first, second = Desk(strict_landlord), Desk(strict_landlord)
    try:
        assert [first.start().status_code for _ in range(2)] == [303, 303]
        refused = first.start()
        assert refused.status_code == 429
        assert int(refused.headers["Retry-After"]) > 60
        assert second.start().status_code == 303  # the client's third
        assert second.start().status_code == 429  # the client's limit, not the desk's
        # Past 8 requests with a body a minute, the client is refused before the page runs.
        assert second.start().status_code == 429
        flooded = [second.start() for _ in range(3)]
        assert flooded[-1].headers["content-type"] == "application/problem+json"
        assert flooded[-1].json()["code"] == "RATE_LIMITED"
        assert second.http.get("/").status_code == 200  # pages still open
    finally:
        first.http.close()
        second.http.close()
