"""Make the migration tests' fixture: a database written by the issuer of commit 8bf2dc2.

8bf2dc2 is the last release before schema migrations (its tables came from
``create_all``). This script runs THAT code, so it must be imported from a
checkout of that commit, never from this one:

    git worktree add /tmp/bk-8bf2dc2 8bf2dc2
    PYTHONPATH=/tmp/bk-8bf2dc2 .venv/bin/python scripts/make_migration_fixture.py \\
        --checkout /tmp/bk-8bf2dc2 --database-url sqlite:////tmp/bk-old.db \\
        --out tests/issuer/migration_fixtures/8bf2dc2-sqlite
    PYTHONPATH=/tmp/bk-8bf2dc2 .venv/bin/python scripts/make_migration_fixture.py \\
        --checkout /tmp/bk-8bf2dc2 --database-url postgresql+psycopg://postgres@127.0.0.1/old \\
        --out tests/issuer/migration_fixtures/8bf2dc2-postgresql

Through the old code's own paths it issues wallet credentials (ecdsa-sd-2023)
and Basis credentials (ecdsa-rdfc-2019) of every source, revokes and
suspends some, and leaves an open offer, an access token, a pending and an
approved deferred issuance and a portal session. It writes ``<out>.sql`` (the
database as SQL: SQLite's dump, or ``pg_dump --inserts``) and ``<out>.json``
(the credentials with their statuses, and the secrets a wallet or browser
holds for the open rows), which ``tests/issuer/test_migrations.py`` loads.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

PASSPHRASE = "fixture passphrase of the 8bf2dc2 issuer"
# Open offers, tokens, deferred requests and sessions are made "in" 2090, so that
# they are still live whenever the test migrates them (expired ones are dropped).
OPEN_ROWS_AT = datetime(2090, 1, 1, tzinfo=UTC)
DEMO_BSN = "999993653"
REVIEW_BSN = "999990019"
CONFIGURATIONS = {
    "brp": "PersoonsgegevensCredential_ldp_vc",
    "belastingdienst": "InkomensverklaringCredential_ldp_vc",
    "duo": "DiplomaCredential_ldp_vc",
    "rdw": "VoertuigregistratieCredential_ldp_vc",
}


def _yesterday() -> datetime:
    """The issuing flows' clock: their offers and tokens have long expired by any test run."""
    return datetime.now(UTC) - timedelta(days=1)


def proof_jwt(issuer_identifier: str, nonce: str, issued_at: datetime) -> str:
    """A wallet's key proof over ``nonce`` with its own new key."""
    from vc_core.did import did_key_verification_method_id
    from vc_core.jws import sign_jws
    from vc_core.keys import KeyPair

    key = KeyPair.generate("P-256")
    claims = {"aud": issuer_identifier, "iat": int(issued_at.timestamp()), "nonce": nonce}
    return sign_jws(
        claims, key, typ="openid4vci-proof+jwt", kid=did_key_verification_method_id(key)
    )


def make(database_url: str, data_dir: Path) -> dict[str, Any]:
    """Run the old issuer against ``database_url``; return what the test needs to know."""
    from pydantic import SecretStr
    from starlette.requests import Request
    from starlette.responses import Response

    from vc_issuer.issuer import Issuer
    from vc_issuer.oid4vci.server import CredentialIssuerService
    from vc_issuer.settings import IssuerSettings
    from vc_issuer.web.portal.sessions import PortalSessions

    settings = IssuerSettings.model_validate(
        {
            "database_url": database_url,
            "data_dir": data_dir,
            "demo_data": True,
            "demo_people": 20,
            "demo_keys": True,
            "key_passphrase": SecretStr(PASSPHRASE),
        }
    )
    issuer = Issuer.from_settings(settings)
    service = CredentialIssuerService(issuer)
    grant = "urn:ietf:params:oauth:grant-type:pre-authorized_code"

    def redeem(source: str, bsn: str, configuration: str, *, at: datetime | None = None) -> str:
        clock = (lambda: at) if at else _yesterday
        offer = issuer.create_offer(source, bsn, configuration, clock=clock)
        form = {
            "grant_type": grant,
            "pre-authorized_code": offer.pre_authorized_code,
            "tx_code": offer.tx_code or "",
        }
        return str(service.token(source, form, clock=clock).body["access_token"])  # type: ignore[index]

    def request(
        source: str, token: str, configuration: str, copies: int, *, at: datetime | None = None
    ) -> Any:
        clock = (lambda: at) if at else _yesterday
        identifier = settings.issuer_identifier(source)
        nonce = service.nonce(source, clock=clock).body["c_nonce"]  # type: ignore[index]
        jwts = [proof_jwt(identifier, nonce, clock()) for _ in range(copies)]
        body = {"credential_configuration_id": configuration, "proofs": {"jwt": jwts}}
        return service.credential(source, f"Bearer {token}", body, clock=clock)

    credentials: list[dict[str, Any]] = []
    for source, configuration in CONFIGURATIONS.items():
        token = redeem(source, DEMO_BSN, configuration)
        issued = request(source, token, configuration, 2).body["credentials"]
        credentials += [{"kind": "wallet", "credential": c["credential"]} for c in issued]
        basis = issuer.basis_credential(source, DEMO_BSN, clock=_yesterday)
        credentials.append({"kind": "basis", "credential": basis})
    # Statuses: a revoked, a suspended, a revoked-and-suspended and a reinstated one.
    issuer.revoke(credentials[0]["credential"]["id"])
    issuer.suspend(credentials[3]["credential"]["id"])
    issuer.revoke(credentials[6]["credential"]["id"])
    issuer.suspend(credentials[6]["credential"]["id"])
    issuer.suspend(credentials[9]["credential"]["id"])
    issuer.status_lists.set_status(credentials[9]["credential"]["id"], "suspension", 0)
    for item in credentials:
        item["status"] = issuer.status_of(item["credential"]["id"])

    # Open rows a citizen or wallet is in the middle of.
    open_offer = issuer.create_offer("rdw", DEMO_BSN, clock=lambda: OPEN_ROWS_AT)
    token = redeem("belastingdienst", DEMO_BSN, CONFIGURATIONS["belastingdienst"], at=OPEN_ROWS_AT)
    deferred = []
    for state in ("pending", "approved"):
        deferred_token = redeem("duo", REVIEW_BSN, CONFIGURATIONS["duo"], at=OPEN_ROWS_AT)
        answer = request("duo", deferred_token, CONFIGURATIONS["duo"], 1, at=OPEN_ROWS_AT)
        if answer.status != 202:
            raise SystemExit(f"expected a deferred answer for {REVIEW_BSN}, got {answer.status}")
        deferred.append(
            {
                "state": state,
                "access_token": deferred_token,
                "transaction_id": answer.body["transaction_id"],
            }
        )
    pending = service.pending_reviews()
    service.review(pending[-1]["id"], approve=True)
    sessions = PortalSessions(
        issuer.db, secret=issuer.keys.derived_secret("portal"), clock=lambda: OPEN_ROWS_AT
    )
    scope = {"type": "http", "headers": [], "scheme": "https", "path": "/portaal/"}
    response = Response()
    sessions.start(Request(scope), response, DEMO_BSN)
    cookie = response.headers["set-cookie"].split(";")[0].split("=", 1)[1]
    issuer.db.dispose()
    return {
        "made_by": "8bf2dc2",
        "key_passphrase": PASSPHRASE,
        "credentials": credentials,
        "offer": {
            "source": "rdw",
            "pre_authorized_code": open_offer.pre_authorized_code,
            "tx_code": open_offer.tx_code,
        },
        "token": {
            "source": "belastingdienst",
            "access_token": token,
            "configuration_id": CONFIGURATIONS["belastingdienst"],
        },
        "deferred": deferred,
        "portal_session": {"bsn": DEMO_BSN, "cookie": cookie},
    }


def dump(database_url: str) -> str:
    """The database as SQL text that recreates it (schema and rows)."""
    if database_url.startswith("sqlite"):
        path = urlsplit(database_url).path.removeprefix("/")
        with sqlite3.connect(path) as connection:
            return "\n".join(connection.iterdump()) + "\n"
    plain = database_url.replace("postgresql+psycopg://", "postgresql://", 1)
    text = subprocess.run(
        ["pg_dump", "--inserts", "--no-owner", "--no-privileges", "--no-comments", plain],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    # Implementation note: psql meta-commands (\restrict, \unrestrict) are not SQL.
    return "".join(line for line in text.splitlines(keepends=True) if not line.startswith("\\"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--checkout", type=Path, required=True, help="checkout of 8bf2dc2")
    parser.add_argument("--database-url", required=True, help="an empty database")
    parser.add_argument("--out", type=Path, required=True, help="writes <out>.sql, <out>.json")
    args = parser.parse_args()
    import vc_issuer

    if not Path(vc_issuer.__file__).resolve().is_relative_to(args.checkout.resolve()):
        raise SystemExit(f"vc_issuer comes from {vc_issuer.__file__}, not {args.checkout}")
    data_dir = Path(os.environ.get("TMPDIR", "/tmp")) / f"bk-fixture-{os.getpid()}"
    made = make(args.database_url, data_dir)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.with_suffix(".sql").write_text(dump(args.database_url), encoding="utf-8")
    args.out.with_suffix(".json").write_text(json.dumps(made, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}.sql and {args.out}.json", file=sys.stderr)


if __name__ == "__main__":
    main()
