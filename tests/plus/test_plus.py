"""Blauwe Knop Plus end to end, on a real server on loopback, on SQLite and PostgreSQL.

Grant → recipient fetch → policy decision; every refusal (scope, another
recipient, forged and altered grants, expiry, one-time use, revocation)
answered with an OAuth error, and recorded when the recipient authenticated;
the access log's hash chain; and fetches racing a revocation.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import pytest
from issuer.support import BASE_URL, REVIEW_BSN
from sqlalchemy import delete, update
from sqlalchemy.exc import DBAPIError

from vc_core import KeyPair
from vc_core.errors import CredentialPolicyError
from vc_core.jws import sign_jws, verify_jws
from vc_issuer.db import Database
from vc_issuer.db.plus import PlusAccessRow
from vc_issuer.plus import GRANT_TYP, verify_access_log
from vc_issuer.plus.chain import entry_json
from vc_verifier import HousingIncomeRule, verify_record
from wallet_sdk import ConsentGrant, StoredCredential, Wallet, claim_scope

from .conftest import INCOME, LANDLORD, PERSON, PURPOSE, PlusServer
from .support import (
    BRP,
    TAX,
    assert_oauth,
    assertion,
    compact_for,
    grant_by_login,
    income,
    login,
    person,
    raw_fetch,
    source_keys,
    wait_for,
    wallet_with,
)

RULE = HousingIncomeRule.load(year=2026)


def _events(plus_server: PlusServer, chain: str) -> list[tuple[str, str | None]]:
    log = plus_server.plus.access_log(chain)
    assert log.check.valid, log.check.problems
    return [(entry.event, entry.error) for entry in log.entries]


def _granted(plus_server: PlusServer, http: Any) -> tuple[Wallet, StoredCredential, ConsentGrant]:
    """A wallet with a person and an income credential, and its grant to the landlord."""
    trusted = plus_server.issuer.settings.issuer_dids()
    wallet = wallet_with(http, trusted, plus_server.clock, "brp", "belastingdienst")
    identity = wallet.credentials(type="PersoonsgegevensCredential")[0]
    grant = wallet.grant_consent(
        source=BRP,
        recipient=LANDLORD,
        purpose=PURPOSE,
        scope=[
            claim_scope(BRP, PERSON, ["geslachtsnaam", "adres/woonplaats"]),
            claim_scope(TAX, INCOME, ["belastingjaar", "verzamelinkomen"]),
        ],
    )
    return wallet, identity, grant


def test_wallet_grant_fetch_and_policy_decision(plus_server: PlusServer) -> None:
    clock = plus_server.clock
    with plus_server.client() as http:
        wallet, identity, grant = _granted(plus_server, http)
        # The citizen keeps the signed grant in the wallet's activity log.
        logged = wallet.log()[-1]
        assert (logged.event, logged.counterparty) == ("consent_granted", LANDLORD)
        assert logged.counterparty_name == "Verhuur BV"
        assert json.loads(logged.detail or "") == grant.document
        assert wallet.consents() == [grant]
        assert grant.holder == identity.holder

        # The landlord composes the data of both sources, verifies it and decides.
        landlord = plus_server.landlord
        fetched = landlord.client(http, clock).fetch(grant.document)
        verifier = landlord.verifier(http, clock)
        presentation = verifier.verify_plus_credentials(fetched)
        tax, brp = fetched.unverified_credentials[TAX], fetched.unverified_credentials[BRP]
        assert tax["credentialSubject"] == {
            "id": identity.holder,
            "type": "Belastingplichtige",
            "belastingjaar": 2024,
            "verzamelinkomen": {"type": "MonetaryAmount", "value": "41250.00", "currency": "EUR"},
        }
        assert brp["credentialSubject"] == {
            "id": identity.holder,
            "type": "Ingezetene",
            "geslachtsnaam": "Vries",
            "adres": {"type": "Adres", "woonplaats": "Utrecht"},
        }
        for served in (tax, brp):
            assert (served["ontvanger"], served["toestemming"]) == (LANDLORD, grant.id)
            assert served["doel"] == PURPOSE
            assert [s["statusPurpose"] for s in served["credentialStatus"]] == [
                "revocation",
                "suspension",
            ]
        assert presentation.holder == identity.holder
        result = RULE.evaluate(presentation, household_size=1)
        assert (result.meets, result.basis) == (True, "amount")
        record = verifier.sign_record(presentation, result)
        assert verify_record(record, key=landlord.key.public).record["decision"]["meets"] is True

        # The citizen sees every access, in a log the source signed.
        status = wallet.consent_status(grant.id)
        assert status.chain_valid
        assert status.uses == {"brp": 1, "belastingdienst": 1}
        assert [(e["event"], e["source"]) for e in status.entries] == [
            ("granted", None),
            ("served", "brp"),
            ("served", "belastingdienst"),
        ]


def test_a_recipient_may_ask_for_sd_jwt_vc(plus_server: PlusServer) -> None:
    clock = plus_server.clock
    with plus_server.client() as http:
        _, identity, grant = _granted(plus_server, http)
        trusted = plus_server.issuer.settings.issuer_dids()
        landlord = plus_server.landlord
        fetched = landlord.client(http, clock).fetch(grant.document, format="dc+sd-jwt")
        tax, brp = fetched.unverified_credentials[TAX], fetched.unverified_credentials[BRP]
        assert isinstance(tax, str)
        assert isinstance(brp, str)
        presentation = landlord.verifier(http, clock).verify_plus_credentials(fetched)
        assert presentation.holder == identity.holder
        by_issuer = {c.issuer: c for c in presentation.credentials}
        income_copy = by_issuer["did:web:issuer.example.nl:belastingdienst"]
        person_copy = by_issuer["did:web:issuer.example.nl:brp"]
        assert income_copy.format == "dc+sd-jwt"
        # The same granted claims as the W3C copy, without JSON-LD types; the copy's
        # recipient, grant and purpose are plain claims beside them.
        assert income_copy.claims == {
            "belastingjaar": 2024,
            "verzamelinkomen": {"value": "41250.00", "currency": "EUR"},
        }
        assert person_copy.claims == {"geslachtsnaam": "Vries", "adres": {"woonplaats": "Utrecht"}}
        assert income_copy.document["ontvanger"] == LANDLORD
        assert income_copy.document["toestemming"] == grant.id
        result = RULE.evaluate(presentation, household_size=1)
        assert (result.meets, result.basis) == (True, "amount")
        # The access log names what was served.
        served = [e for e in plus_server.plus.access_log(grant.id).entries if e.event == "served"]
        assert {e.detail["configuration"] for e in served} == {
            "PersoonsgegevensCredential_dc_sd_jwt",
            "InkomensverklaringCredential_dc_sd_jwt",
        }
        # The copies do not pass under another grant (another holder key, another grant id).
        other_wallet = wallet_with(http, trusted, clock, "brp")
        other_grant = other_wallet.grant_consent(
            source=BRP,
            recipient=LANDLORD,
            purpose=PURPOSE,
            scope=[claim_scope(BRP, PERSON, ["geslachtsnaam"])],
        )
        report = landlord.verifier(http, clock).check_plus_credentials(
            [brp], grant=other_grant.document
        )
        assert report.codes == ("HOLDER_BINDING_ERROR",)
        # A format the source does not serve is refused (and logged).
        response = raw_fetch(
            http,
            TAX,
            compact_for(grant.document, TAX),
            assertion(landlord, TAX, clock=clock),
            format="mso_mdoc",
        )
        assert_oauth(response, 400, "invalid_request")


def test_login_grant_is_the_citizens_alone(plus_server: PlusServer) -> None:
    with plus_server.client() as citizen, plus_server.client() as other:
        login(citizen)
        login(other, REVIEW_BSN)
        view = grant_by_login(citizen, [income("belastingjaar", "inkomenstoets")], max_uses=1)
        assert view["status"] == "active"
        assert view["granted_via"] == "login"
        assert view["holder"].startswith("urn:uuid:")  # a pseudonym for this grant alone
        assert view["id"] in [g["id"] for g in citizen.get("/plus/grants").json()]
        grant_url = f"/plus/grants/{view['id']}"
        # Another citizen can neither see, read the log of, nor revoke it.
        assert view["id"] not in [g["id"] for g in other.get("/plus/grants").json()]
        assert other.get(grant_url).status_code == 404
        assert other.get(f"{grant_url}/access-log").status_code == 404
        assert other.post(f"{grant_url}/revoke", json={}).status_code == 404
        with plus_server.client() as anonymous:
            assert anonymous.get("/plus/grants").status_code == 401
        # A cross-site form cannot post (JSON only).
        form = citizen.post("/plus/grants", data={"recipient": LANDLORD})
        assert_oauth(form, 400, "invalid_request")
        # The citizen's copy of the log is signed by the source.
        exported = citizen.get(f"{grant_url}/access-log").json()
        assert exported["log"]["chain_valid"]
        signed = verify_jws(
            exported["signed"],
            expected_typ="consent-access-log+jwt",
            resolve_kid=source_keys(citizen),
        )
        assert signed.payload["entries"] == exported["log"]["entries"]
        # The terms are checked against the recipient's registration.
        for terms, error in [
            ({"purpose": "reclame"}, "invalid_scope"),
            ({"authorization_details": [income("inkomensklasse")]}, "invalid_scope"),
            ({"recipient": "did:web:onbekend.example.nl"}, "invalid_request"),
            ({"valid_until": "2000-01-01T00:00:00Z"}, "invalid_request"),
            ({"max_uses": 0}, "invalid_request"),
        ]:
            body = {
                "recipient": LANDLORD,
                "purpose": PURPOSE,
                "authorization_details": [income()],
                **terms,
            }
            assert_oauth(citizen.post("/plus/grants", json=body), 400, error)


def test_refused_fetches_are_answered_and_authenticated_ones_recorded(
    plus_server: PlusServer,
) -> None:
    clock = plus_server.clock
    landlord, corporation = plus_server.landlord, plus_server.corporation
    with plus_server.client() as http:
        login(http)
        view = grant_by_login(http, [income("belastingjaar", "inkomenstoets")])
        grant = compact_for(view["grant"], TAX)

        def fetch(client_assertion: str, token: str = grant, **extra: str) -> Any:
            return raw_fetch(http, TAX, token, client_assertion, **extra)

        # Outside the grant's scope: more claims, another configuration, another source.
        more = json.dumps([{"path": ["credentialSubject", "verzamelinkomen"]}])
        assert_oauth(
            fetch(assertion(landlord, TAX, clock=clock), claims=more), 403, "insufficient_scope"
        )
        other_type = {"credential_configuration_id": "DiplomaCredential_ldp_vc"}
        assert_oauth(
            fetch(assertion(landlord, TAX, clock=clock), **other_type), 403, "insufficient_scope"
        )
        elsewhere = raw_fetch(http, BRP, grant, assertion(landlord, BRP, clock=clock))
        assert_oauth(elsewhere, 400, "invalid_grant")
        # Another recipient with its own key and this grant; another key as the landlord.
        assert_oauth(fetch(assertion(corporation, TAX, clock=clock)), 400, "invalid_grant")
        stolen = assertion(landlord, TAX, clock=clock, key=corporation.key)
        assert_oauth(fetch(stolen), 401, "invalid_client")
        # An assertion for another audience, a stale one, a replayed one, an unknown client.
        assert_oauth(fetch(assertion(landlord, BRP, clock=clock)), 401, "invalid_client")
        stale = assertion(landlord, TAX, clock=clock, claims={"exp": 1_000_000_000})
        assert_oauth(fetch(stale), 401, "invalid_client")
        once = assertion(landlord, TAX, clock=clock)
        assert fetch(once).status_code == 200
        assert_oauth(fetch(once), 401, "invalid_client")
        stranger = KeyPair.generate("P-256")
        unknown = sign_jws(
            {"iss": "did:web:x.example", "sub": "did:web:x.example", "aud": TAX, "jti": "j" * 16},
            stranger,
            typ="client-authentication+jwt",
            kid="did:web:x.example#k",
        )
        assert_oauth(fetch(unknown), 401, "invalid_client")
        # An altered grant (a later end), and one forged with another key for the same id.
        protected, payload, signature = grant.split(".")
        claims = json.loads(_b64decode(payload))
        claims["exp"] += 86_400 * 300
        altered = f"{protected}.{_b64encode(json.dumps(claims))}.{signature}"
        assert_oauth(fetch(assertion(landlord, TAX, clock=clock), altered), 400, "invalid_grant")
        forger = KeyPair.generate("P-256")
        forged = sign_jws(
            claims,
            forger,
            typ=GRANT_TYP,
            kid="did:web:issuer.example.nl:belastingdienst#key-1",
            headers={"iss": TAX},
        )
        assert_oauth(fetch(assertion(landlord, TAX, clock=clock), forged), 400, "invalid_grant")
        # A grant made up from nothing is logged in the source's own chain.
        invented = sign_jws({**claims, "jti": "urn:uuid:made-up"}, forger, typ=GRANT_TYP, kid="x#1")
        assert_oauth(fetch(assertion(landlord, TAX, clock=clock), invented), 400, "invalid_grant")
        assert fetch(assertion(landlord, TAX, clock=clock)).status_code == 200

    # The five refusals before a client assertion verified (another key, another
    # audience, stale, replayed, unknown client) were counted, not logged.
    assert _events(plus_server, view["id"]) == [
        ("granted", None),
        ("refused", "insufficient_scope"),
        ("refused", "insufficient_scope"),
        ("refused", "invalid_grant"),
        ("refused", "invalid_grant"),
        ("served", None),
        ("refused", "invalid_grant"),
        ("refused", "invalid_grant"),
        ("served", None),
    ]
    assert plus_server.plus.anonymous_refusals >= 5
    log = plus_server.plus.access_log(view["id"])
    another = [e for e in log.entries if e.error == "invalid_grant"][1]
    assert (another.actor, another.source) == (corporation.did, "belastingdienst")
    refused = [e for e in log.entries if e.event == "refused"]
    assert {e.actor for e in refused} == {LANDLORD, corporation.did}
    source_log = plus_server.plus.access_log("source:belastingdienst")
    assert source_log.check.valid
    assert (source_log.entries[-1].event, source_log.entries[-1].error) == (
        "refused",
        "invalid_grant",
    )


def _b64decode(part: str) -> bytes:
    import base64

    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def _b64encode(text: str) -> str:
    import base64

    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def test_a_grant_expires_by_the_injected_clock(plus_server: PlusServer) -> None:
    clock = plus_server.clock
    landlord = plus_server.landlord
    with plus_server.client() as http:
        login(http)
        end = (clock() + timedelta(hours=1)).replace(microsecond=0)
        view = grant_by_login(http, [income()], valid_until=end.isoformat())
        client = landlord.client(http, clock)
        client.fetch(view["grant"])
        try:
            clock.advance(timedelta(hours=2))
            response = raw_fetch(
                http, TAX, compact_for(view["grant"], TAX), assertion(landlord, TAX, clock=clock)
            )
            assert_oauth(response, 400, "invalid_grant")
            assert "expired" in response.json()["error_description"]
            assert plus_server.plus.grant(view["id"]).status == "expired"
        finally:
            clock.offset = timedelta(0)
    assert _events(plus_server, view["id"]) == [
        ("granted", None),
        ("served", None),
        ("refused", "invalid_grant"),
    ]


def test_a_one_time_grant_serves_each_source_once(plus_server: PlusServer) -> None:
    clock = plus_server.clock
    landlord = plus_server.landlord
    with plus_server.client() as http:
        login(http)
        view = grant_by_login(http, [person(), income()], max_uses=1)
        client = landlord.client(http, clock)
        fetched = client.fetch(view["grant"])
        assert set(fetched.unverified_credentials) == {BRP, TAX}
        again = raw_fetch(
            http, BRP, compact_for(view["grant"], BRP), assertion(landlord, BRP, clock=clock)
        )
        assert_oauth(again, 400, "invalid_grant")
        assert plus_server.plus.grant(view["id"]).status == "used"
    assert _events(plus_server, view["id"]) == [
        ("granted", None),
        ("served", None),
        ("served", None),
        ("refused", "invalid_grant"),
    ]


def test_revocation_from_the_wallet_stops_fetches_and_revokes_copies(
    plus_server: PlusServer,
) -> None:
    clock = plus_server.clock
    landlord = plus_server.landlord
    with plus_server.client() as http:
        trusted = plus_server.issuer.settings.issuer_dids()
        wallet = wallet_with(http, trusted, clock, "belastingdienst")
        grant = wallet.grant_consent(
            source=TAX, recipient=LANDLORD, purpose=PURPOSE, scope=[income()], max_uses=5
        )
        fetched = landlord.client(http, clock).fetch(grant.document)
        landlord.verifier(http, clock).verify_plus_credentials(fetched)
        revoked = wallet.revoke_consent(grant.id)
        assert revoked.status == "revoked"
        assert [g.status for g in wallet.consents()] == ["revoked"]
        assert wallet.log()[-1].event == "consent_revoked"
        response = raw_fetch(
            http, TAX, compact_for(grant.document, TAX), assertion(landlord, TAX, clock=clock)
        )
        assert_oauth(response, 400, "invalid_grant")
        assert "revoked" in response.json()["error_description"]
        # The copy served before is revoked too (a fresh verifier reads the new list).
        with pytest.raises(CredentialPolicyError) as refused:
            landlord.verifier(http, clock).verify_plus_credentials(fetched)
        assert refused.value.code == "CREDENTIAL_REVOKED"
        # Another key cannot revoke or read someone's grant from a wallet.
        status = wallet.consent_status(grant.id)
        assert status.status == "revoked"
    assert _events(plus_server, grant.id) == [
        ("granted", None),
        ("served", None),
        ("revoked", None),
        ("refused", "invalid_grant"),
    ]
    record = plus_server.plus.grant(grant.id).record
    assert record.sealed_bsn == b""  # the BSN is forgotten once the grant ends


def test_the_hash_chain_finds_an_edited_or_cut_entry(plus_server: PlusServer) -> None:
    clock = plus_server.clock
    with plus_server.client() as http:
        login(http)
        view = grant_by_login(http, [income()])
        client = plus_server.landlord.client(http, clock)
        client.fetch(view["grant"])
        client.fetch(view["grant"])
    grant_id = view["id"]
    plus = plus_server.plus
    assert plus.access_log(grant_id).check.valid
    exported = [entry_json(entry) for entry in plus.access_log(grant_id).entries]
    db = plus_server.issuer.db
    # The database refuses edits and deletions of access entries...
    edit = (
        update(PlusAccessRow)
        .where(PlusAccessRow.chain == grant_id, PlusAccessRow.seq == 2)
        .values(detail={"credential": "urn:uuid:nothing", "claims": []})
    )
    cut = delete(PlusAccessRow).where(PlusAccessRow.chain == grant_id, PlusAccessRow.seq == 3)
    for statement in (edit, cut):
        with pytest.raises(DBAPIError, match="append-only"), db.write() as unit:
            unit.session.execute(statement)
    assert plus.access_log(grant_id).check.valid
    # ...so an insider who can switch its triggers off edits entry 2 straight in the tables.
    with _triggers_off(db), db.write() as unit:
        unit.session.execute(edit)
    check = plus.access_log(grant_id).check
    assert not check.valid
    assert check.problems == ("entry 2 was changed: its hash does not match its content",)
    # An exported copy edited by hand, reordered, or cut short is found out too.
    edited = [dict(entry) for entry in exported]
    edited[1]["actor"] = "did:web:someone-else.example"
    assert not verify_access_log(edited).valid
    assert not verify_access_log([exported[0], exported[2], exported[1]]).valid
    head = (exported[-1]["seq"], exported[-1]["hash"])
    assert verify_access_log(exported, head=head).valid
    assert not verify_access_log(exported[:-1], head=head).valid
    with _triggers_off(db), db.write() as unit:
        unit.session.execute(cut)
    assert not plus.access_log(grant_id).check.valid


@contextmanager
def _triggers_off(db: Database) -> Iterator[None]:
    """What a database owner can do: switch the access log's append-only triggers off."""
    sqlite = db.backend == "sqlite"
    with db.engine.begin() as connection:
        if sqlite:
            for action in ("update", "delete"):
                connection.exec_driver_sql(f"DROP TRIGGER plus_access_no_{action}")
        else:
            connection.exec_driver_sql("ALTER TABLE plus_access DISABLE TRIGGER USER")
    try:
        yield
    finally:
        if sqlite:
            with db.engine.begin() as connection:
                for action in ("UPDATE", "DELETE"):
                    connection.exec_driver_sql(
                        f"CREATE TRIGGER plus_access_no_{action.lower()} BEFORE {action} "
                        "ON plus_access BEGIN SELECT RAISE(ABORT, 'append-only'); END"
                    )
        else:
            with db.engine.begin() as connection:
                connection.exec_driver_sql("ALTER TABLE plus_access ENABLE TRIGGER USER")


def test_fetches_racing_a_revocation_never_get_data_after_it(plus_server: PlusServer) -> None:
    clock = plus_server.clock
    landlord = plus_server.landlord
    served: list[int] = []
    refused: list[str] = []
    lock = threading.Lock()
    with plus_server.client() as citizen:
        login(citizen)
        view = grant_by_login(citizen, [income("belastingjaar")])
        grant = compact_for(view["grant"], TAX)

        def keep_fetching() -> None:
            with plus_server.client() as http:
                while True:
                    response = raw_fetch(http, TAX, grant, assertion(landlord, TAX, clock=clock))
                    with lock:
                        if response.status_code != 200:
                            refused.append(response.json()["error"])
                            return
                        served.append(response.json()["access"]["seq"])

        threads = [threading.Thread(target=keep_fetching) for _ in range(4)]
        for thread in threads:
            thread.start()
        wait_for(lambda: len(served) >= 8)
        revoked = citizen.post(f"/plus/grants/{view['id']}/revoke", json={})
        assert revoked.status_code == 200, revoked.text
        for thread in threads:
            thread.join(timeout=60)
    assert refused == ["invalid_grant"] * 4
    log = plus_server.plus.access_log(view["id"])
    assert log.check.valid
    (revocation,) = [entry for entry in log.entries if entry.event == "revoked"]
    served_entries = [entry for entry in log.entries if entry.event == "served"]
    assert sorted(served) == [entry.seq for entry in served_entries]
    assert all(seq < revocation.seq for seq in served)
    assert all(entry.at <= revocation.at for entry in served_entries)
    assert all(entry.event == "refused" for entry in log.entries if entry.seq > revocation.seq)
    # Every copy served before the revocation is revoked now.
    issuer = plus_server.issuer
    for entry in served_entries:
        assert issuer.status_of(entry.detail["credential"])["revocation"] == 1


def test_the_access_log_export_is_signed_by_the_source(plus_server: PlusServer) -> None:
    with plus_server.client() as http:
        login(http)
        view = grant_by_login(http, [person()])
        plus_server.landlord.client(http, plus_server.clock).fetch(view["grant"])
        exported = http.get(f"/plus/grants/{view['id']}/access-log").json()["signed"]
        payload = verify_jws(
            exported, expected_typ="consent-access-log+jwt", resolve_kid=source_keys(http)
        )
    assert payload.header["kid"].startswith("did:web:issuer.example.nl:brp#")
    assert payload.payload["iss"] == f"{BASE_URL}/brp"
    assert verify_access_log(payload.payload["entries"], head=tuple(payload.payload["head"])).valid
