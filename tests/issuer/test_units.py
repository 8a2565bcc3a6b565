"""The issuance path's few statements: the offer redeemed first and checked after, status
indexes and holder links claimed in one statement per batch, one-statement units."""

from __future__ import annotations

import random
import secrets
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from sqlalchemy import event, select
from sqlalchemy.exc import StatementError

from vc_core import KeyPair, did_key
from vc_issuer.db import AccessTokenRecord, CredentialRecord
from vc_issuer.db.models import StatusEntryRow
from vc_issuer.db.plus import PlusHolderRow
from vc_issuer.errors import InvalidGrant, InvalidRequest, OAuthError
from vc_issuer.issuer import IssuedCredential, Issuer
from vc_issuer.oid4vci.server import CredentialIssuerService
from vc_issuer.plus import PlusService

from .support import CONFIGURATIONS, DEMO_BSN

GRANT = "urn:ietf:params:oauth:grant-type:pre-authorized_code"


def token_form(code: str, tx_code: str | None) -> dict[str, str]:
    form = {"grant_type": GRANT, "pre-authorized_code": code}
    return form if tx_code is None else form | {"tx_code": tx_code}


def credential_id(credential: IssuedCredential) -> str:
    assert isinstance(credential, dict)
    return str(credential["id"])


def test_a_refused_token_request_leaves_the_offer_open(issuer: Issuer) -> None:
    """Every refusal after the redemption statement rolls it back: a wrong tx_code (counted),
    no tx_code, another source's endpoint, an expired offer; then the right request wins."""
    service = CredentialIssuerService(issuer)
    offer = issuer.create_offer("brp", DEMO_BSN)
    code, right = offer.pre_authorized_code, offer.tx_code
    assert right is not None
    wrong = "000000" if right != "000000" else "111111"
    with pytest.raises(InvalidGrant, match="4 tries left"):
        service.token("brp", token_form(code, wrong))
    with pytest.raises(InvalidRequest, match="needs the tx_code"):
        service.token("brp", token_form(code, None))
    with pytest.raises(InvalidGrant, match="unknown, used or locked"):
        service.token("rdw", token_form(code, right))
    later = datetime.now(UTC) + timedelta(days=30)
    with pytest.raises(InvalidGrant, match="expired"):
        service.token("brp", token_form(code, right), clock=lambda: later)
    with pytest.raises(InvalidGrant, match="3 tries left"):
        service.token("brp", token_form(code, wrong))
    assert service.token("brp", token_form(code, right)).status == 200
    with pytest.raises(InvalidGrant, match="unknown, used or locked"):
        service.token("brp", token_form(code, right))


def test_concurrent_token_requests_redeem_an_offer_once(issuer: Issuer) -> None:
    """Twelve threads send the right tx_code and four a wrong one at the same offer:
    exactly one token, and every wrong code is counted."""
    service = CredentialIssuerService(issuer)
    offer = issuer.create_offer("duo", DEMO_BSN)
    right = offer.tx_code
    assert right is not None
    wrong = "000000" if right != "000000" else "111111"
    codes = [right] * 12 + [wrong] * 4
    random.Random(3).shuffle(codes)

    def request(tx_code: str) -> str:
        try:
            return str(service.token("duo", token_form(offer.pre_authorized_code, tx_code)).status)
        except OAuthError as error:
            return error.error

    with ThreadPoolExecutor(max_workers=16) as pool:
        answers = list(pool.map(request, codes))
    assert answers.count("200") == 1
    assert answers.count("invalid_grant") == 15


def test_a_batch_claims_distinct_indexes_when_draws_collide(issuer: Issuer) -> None:
    """Draws from 30 values: copies of one batch draw the same index, and draws hit indexes
    of earlier batches; every claim is redrawn until all indexes are distinct."""
    claims = issuer.claims("belastingdienst", DEMO_BSN, CONFIGURATIONS["belastingdienst"])
    assert claims is not None
    rng = random.Random(11)
    ids: list[str] = []
    for _ in range(2):
        credentials = issuer.issue_with_claims(
            "belastingdienst",
            configuration_id=CONFIGURATIONS["belastingdienst"],
            claims=claims.claims,
            bsn=DEMO_BSN,
            holder_dids=[did_key(KeyPair.generate()) for _ in range(6)],
            randbelow=lambda _: 131_000 + rng.randrange(30),
        )
        ids += [credential_id(credential) for credential in credentials]
    entries = StatusEntryRow
    with issuer.db.read() as unit:
        rows = unit.connection.execute(
            select(
                entries.purpose, entries.list_number, entries.index, entries.credential_id
            ).where(entries.credential_id.in_(ids))
        ).all()
    assert len(rows) == 2 * 12
    for purpose in ("revocation", "suspension"):
        owned = [(number, index) for kind, number, index, _ in rows if kind == purpose]
        assert len(set(owned)) == 12
        assert all(131_000 <= index < 131_030 for _, index in owned)
    assert {owner for *_, owner in rows} == set(ids)
    assert all(len(issuer.status_lists.entries_of(cid)) == 2 for cid in ids)


def test_a_batch_links_each_holder_once(issuer: Issuer) -> None:
    """Two copies bound to the same wallet key in one batch: one holder link (the first)."""
    PlusService(issuer)
    claims = issuer.claims("rdw", DEMO_BSN, CONFIGURATIONS["rdw"])
    assert claims is not None
    holder = did_key(KeyPair.generate())
    first, second = issuer.issue_with_claims(
        "rdw",
        configuration_id=CONFIGURATIONS["rdw"],
        claims=claims.claims,
        bsn=DEMO_BSN,
        holder_dids=[holder, holder],
        token_hash=secrets.token_hex(32),
    )
    with issuer.db.read() as unit:
        links = unit.connection.execute(
            select(PlusHolderRow.credential_id).where(PlusHolderRow.holder_did == holder)
        ).all()
    assert [link.credential_id for link in links] == [credential_id(first)]
    assert credential_id(second) != credential_id(first)


def test_a_one_statement_unit_commits_by_itself(issuer: Issuer) -> None:
    """A ``write_statement`` unit stores its row (on PostgreSQL in autocommit); a writing unit
    still rolls back everything on an error."""
    later = datetime.now(UTC) + timedelta(hours=1)

    def token(name: str) -> AccessTokenRecord:
        return AccessTokenRecord(
            token_hash=f"{name}-{secrets.token_hex(8)}",
            source="rdw",
            sealed_subject=b"",
            configuration_ids=(CONFIGURATIONS["rdw"],),
            credentials_issued=0,
            expires_at=later,
        )

    stored, undone = token("one-statement"), token("rolled-back")
    with issuer.db.write_statement() as unit:
        unit.add_token(stored)
        driver = unit.connection.connection.driver_connection
        assert driver is not None
        if issuer.db.backend == "postgresql":
            assert driver.autocommit

    def fail_half_way() -> None:
        with issuer.db.write() as unit:
            unit.add_token(undone)
            assert unit.consume_nonce(undone.token_hash, later)
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        fail_half_way()
    with issuer.db.read() as unit:
        assert unit.token(stored.token_hash) == stored
        assert unit.token(undone.token_hash) is None
    with issuer.db.write() as unit:
        assert unit.consume_nonce(undone.token_hash, later)


def _credential(number: int, **changes: Any) -> CredentialRecord:
    now = datetime.now(UTC)
    values: dict[str, Any] = {
        "id": f"urn:uuid:{secrets.token_hex(16)}",
        "source": "rdw",
        "configuration_id": CONFIGURATIONS["rdw"],
        "holder_did": f"did:example:{number}",
        "subject_ref": secrets.token_hex(32),
        "issued_at": now,
        "valid_until": now + timedelta(days=1),
        "notification_id": secrets.token_hex(16),
    }
    return CredentialRecord(**(values | changes))


def test_a_batch_is_one_statement_of_one_text_for_any_size(issuer: Issuer) -> None:
    """Each batch write is one statement; on PostgreSQL its text and parameters do not grow
    with the batch (one array per column), so the driver parses it once."""
    statements: list[tuple[str, Any]] = []

    def record(*args: Any) -> None:
        _connection, _cursor, statement, parameters, _context, _many = args
        if statement.startswith("INSERT"):
            statements.append((statement, parameters))

    event.listen(issuer.db.engine, "before_cursor_execute", record)
    try:
        for size in (1, 2, 9):
            with issuer.db.write() as unit:
                unit.add_credentials([_credential(n) for n in range(size)])
                claims = [
                    ("revocation", 1, 150_000 + 10 * size + n, f"id-{n}") for n in range(size)
                ]
                assert unit.claim_status_indexes("rdw", claims) == set(claims)
    finally:
        event.remove(issuer.db.engine, "before_cursor_execute", record)
    assert len(statements) == 3 * 2
    amsterdam = timezone(timedelta(hours=2))
    stored = _credential(3, issued_at=datetime(2026, 6, 1, 12, tzinfo=amsterdam), token_hash=None)
    with issuer.db.write() as unit:
        unit.add_credentials([_credential(2), stored])
    with issuer.db.read() as unit:
        assert unit.credential(stored.id) == stored
    if issuer.db.backend == "postgresql":
        for first, *others in (statements[0::2], statements[1::2]):
            assert {text for text, _ in others} == {first[0]}
            assert all(isinstance(parameters, dict) for _, parameters in statements)
            assert all(len(parameters) <= 10 for _, parameters in statements)


def test_a_batch_refuses_a_value_a_single_row_would_refuse(issuer: Issuer) -> None:
    """A naive time, or (on PostgreSQL) a value longer than its column, fails the whole
    batch: nothing is cut short, nothing of the batch is stored."""
    good = _credential(1)
    bad_batches = [[good, _credential(2, issued_at=datetime.now())]]
    if issuer.db.backend == "postgresql":
        bad_batches.append([good, _credential(2, notification_id="n" * 65)])
    for batch in bad_batches:
        with pytest.raises(StatementError), issuer.db.write() as unit:
            unit.add_credentials(batch)
        with issuer.db.read() as unit:
            assert unit.credential(good.id) is None


def test_two_units_that_deadlock_both_complete(settings_for: Callable[..., Any]) -> None:
    """Two issuers claim the same two status indexes in opposite orders, in two rounds
    (as redrawn indexes can): PostgreSQL rolls one unit back, which runs again."""
    issuer = Issuer.from_settings(settings_for("postgresql"))
    first_round = threading.Barrier(2, timeout=30)
    attempts: list[str] = []

    def claimer(name: str, order: list[int]) -> list[str]:
        def work(unit: Any) -> list[str]:
            attempts.append(name)
            won = []
            for round_number, index in enumerate(order):
                claim = ("revocation", 1, index, f"{name}-{len(attempts)}")
                won += [c[3] for c in unit.claim_status_indexes("rdw", [claim])]
                if round_number == 0 and attempts.count(name) == 1:
                    first_round.wait()  # both hold their first index before the second
            return won

        result: list[str] = issuer.db.run_write(work)
        return result

    try:
        with ThreadPoolExecutor(max_workers=2) as pool:
            a = pool.submit(claimer, "a", [131_070, 131_071])
            b = pool.submit(claimer, "b", [131_071, 131_070])
            won = a.result(timeout=60) + b.result(timeout=60)
    finally:
        issuer.db.dispose()
    # One unit was rolled back and ran again: three attempts in all, and each index was
    # claimed once, by the unit that committed first.
    assert len(attempts) == 3
    assert len(won) == 2
