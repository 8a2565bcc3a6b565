"""``blauwe-knop demo``: the citizen's whole journey against a real issuer server on loopback.

The issuer service runs as its own process (``blauwe-knop issuer serve --demo``,
SQLite in a temporary folder), the landlord's verifier endpoints in a uvicorn
thread, and a wallet in an encrypted file in the output folder. The steps:

1. Basis: the citizen logs in at the tax office and downloads a sealed PDF and the
   credential; both are verified.
2. The citizen scans an offer QR code of each of the four sources into the wallet.
3. Basis 2.0: the aggregated PDF (a cover, a section and a seal per source) and the
   bundle of the same credentials, downloaded together and checked per source.
4. Basis 2.0 from the wallet: one holder-signed export bundling several sources.
5. The landlord's request QR; the wallet reveals only the income facts; the
   landlord's decision and its signed verification record, verified.
6. SD-JWT VC: the tax office issues the income statement in the format of the Dutch
   and EU wallets too; a landlord asking for that format decides on it the same way.
7. Plus: the citizen consents; the housing corporation fetches the income straight
   from the tax office and decides; the citizen revokes; the next fetch is refused.
8. The tax office revokes the income statement (every copy, both formats); the
   landlord refuses a new presentation.

Every artefact lands in the output folder, named at the end. The exit code is 0
only when every step succeeded. With ``--serve`` the citizen portal (part of the
issuer process) and the landlord's page (``blauwe-knop verifier serve``) then keep
running on loopback until Ctrl-C or SIGTERM.
"""

from __future__ import annotations

import io
import json
import secrets
import signal
import tempfile
import threading
import time
import zipfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import httpx
import typer
from cryptography import x509
from fastapi import FastAPI
from rich.console import Console
from rich.panel import Panel
from rich.table import Table

from blauwe_knop.servers import (
    ISSUER_BASE_URL,
    ISSUER_HOST,
    IssuerProcess,
    LoopbackTransport,
    free_port,
    issuer_process,
    landlord_page_process,
    serve_in_thread,
)
from vc_core.formats import LDP_VC, SD_JWT_VC
from vc_core.keys import KeyPair
from vc_core.proofs import verify
from vc_core.types import JsonObject
from vc_issuer.issuer import BASIS_2_BUNDLE, BASIS_2_PDF, BASIS_2_ZIP
from vc_issuer.qr import qr_png
from vc_issuer.settings import SOURCE_NAMES, did_web_for
from vc_issuer.sources import DEMO_BSN
from vc_verifier import (
    HousingIncomeRule,
    PlusClient,
    PlusFetchError,
    PolicyResult,
    PresentationOutcome,
    Verifier,
    http_fetch,
    verify_record,
)
from vc_verifier.certified_pdf import CertifiedPdfReport
from vc_verifier.policy.housing import INCOME_CREDENTIAL_TYPES
from vc_verifier.trust import ANY_TYPE
from vc_verifier.web import create_router
from wallet_sdk import (
    EXPORT_DOMAIN,
    EncryptedStore,
    PresentationRequestError,
    Wallet,
    claim_scope,
)
from wallet_sdk.qr_image import decode_qr_image
from wallet_sdk.records import StoredCredential

__all__ = ["LANDLORD_DID", "DemoStepError", "app", "run"]

LANDLORD_HOST = "verhuur.example.nl"
LANDLORD_URL = f"https://{LANDLORD_HOST}"
LANDLORD_DID = f"did:web:{LANDLORD_HOST}"
WALLET_PASSPHRASE = "demo-wallet-passphrase"
"""The demo wallet's passphrase (a real wallet app asks the citizen, or uses the OS keystore)."""
COPIES = {"belastingdienst": 2}
"""Batch issuance: two copies of the income statement, each bound to its own holder key."""
EXPORTED = ("brp", "belastingdienst", "duo")
PLUS_PURPOSE = "toewijzing-huurwoning"
INCOME_CONFIGURATION = "InkomensverklaringCredential_ldp_vc"
INCOME_SD_JWT_CONFIGURATION = "InkomensverklaringCredential_dc_sd_jwt"
_REGISTERED = frozenset(
    {"iss", "iat", "nbf", "exp", "vct", "vct#integrity", "cnf", "status", "jti"}
)


class DemoStepError(Exception):
    """A step found something wrong; the message says what."""


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _leaves(value: Any, prefix: str = "") -> dict[str, Any]:
    """Dotted claim names with their values (``id`` and ``type`` left out)."""
    if isinstance(value, dict):
        found: dict[str, Any] = {}
        for key, item in value.items():
            if key not in ("id", "type"):
                found |= _leaves(item, f"{prefix}.{key}" if prefix else key)
        return found
    return {prefix: value}


def _short(value: Any, width: int = 48) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= width else text[: width - 1] + "…"


@dataclass(slots=True)
class Decision:
    """What the landlord concluded for one transaction."""

    outcome: PresentationOutcome
    result: PolicyResult | None = None
    record: JsonObject | None = None


@dataclass
class Landlord:
    """The landlord's verifier, its rule, and the decisions its endpoint reached."""

    verifier: Verifier
    rule: HousingIncomeRule
    household_size: int = 1
    decisions: list[Decision] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def decide(self, outcome: PresentationOutcome) -> JsonObject | None:
        """The verifier endpoint's callback: apply the rule and sign the record."""
        decision = Decision(outcome)
        if outcome.verified:
            decision.result = self.rule.evaluate(outcome, household_size=self.household_size)
            decision.record = self.verifier.sign_record(outcome, decision.result)
        with self._lock:
            self.decisions.append(decision)
        return None if decision.result is None else decision.result.to_json()

    def app(self) -> FastAPI:
        """The landlord's web app: the OpenID4VP endpoints and its did:web document."""
        landlord = FastAPI(title="Landlord (demo)")
        landlord.include_router(create_router(self.verifier, on_outcome=self.decide))
        method = self.verifier.signing_key.to_multikey()

        @landlord.get("/.well-known/did.json")
        def did_document() -> JsonObject:
            return {
                "@context": [
                    "https://www.w3.org/ns/did/v1",
                    "https://w3id.org/security/multikey/v1",
                ],
                "id": LANDLORD_DID,
                "verificationMethod": [method],
                "authentication": [method["id"]],
                "assertionMethod": [method["id"]],
            }

        return landlord


@dataclass
class Journey:
    """Everything the steps share."""

    out: Path
    console: Console
    http: httpx.Client
    issuer: IssuerProcess
    wallet: Wallet
    landlord: Landlord
    received: dict[str, list[StoredCredential]] = field(default_factory=dict)
    summary: dict[str, Any] = field(default_factory=dict)

    def save(self, name: str, value: object) -> Path:
        """Write an artefact (JSON, text or bytes) under the output folder."""
        path = self.out / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(value, bytes):
            path.write_bytes(value)
        elif isinstance(value, str):
            path.write_text(value, encoding="utf-8")
        else:
            path.write_text(json.dumps(value, indent=2, ensure_ascii=False) + "\n", "utf-8")
        return path

    def fetch(self, url: str, *, accept: str) -> bytes:
        """did:web documents and status lists, through the loopback client."""
        return http_fetch(self.http)(url, accept=accept)

    def admin(self, path: str, body: JsonObject | None = None) -> Any:
        """Call the issuer's admin API as the operator."""
        response = self.http.post(
            ISSUER_BASE_URL + path,
            json=body,
            headers={"Authorization": f"Bearer {self.issuer.admin_token}"},
        )
        if response.status_code >= 300:
            raise DemoStepError(f"admin {path} answered {response.status_code}: {response.text}")
        return response.json()


# --- the steps ----------------------------------------------------------------------------------


def _pdf_checker(journey: Journey, sources: Sequence[str]) -> Verifier:
    """A verifier trusting each source's published seal certificate, checking online."""
    seals: dict[str, list[x509.Certificate]] = {}
    for source in sources:
        response = journey.http.get(f"{ISSUER_BASE_URL}/{source}/seal-certificate.pem")
        if response.status_code != 200:
            raise DemoStepError(f"{response.request.url} answered {response.status_code}")
        journey.save(f"certificates/{source}-seal.pem", response.content)
        certificate = x509.load_pem_x509_certificate(response.content)
        seals[did_web_for(ISSUER_BASE_URL, source)] = [certificate]
    return Verifier(
        client_id="redirect_uri:https://verhuur.example.nl/pdf",
        signing_key=KeyPair.generate("P-256"),
        trusted_issuers={did: [ANY_TYPE] for did in seals},
        trusted_seals=seals,
        fetch=journey.fetch,
    )


def _pdf_table(report: CertifiedPdfReport) -> Table:
    table = Table("source", "seal (revision)", "credential", "status", "printed data")
    for source in report.sources:
        seal = source.seal
        table.add_row(
            source.source,
            f"{'intact' if seal.intact else 'BROKEN'}, "
            f"{'trusted' if seal.trusted else 'NOT trusted'} ({seal.revision}/{seal.revisions})",
            "verified" if source.credential.verified else "NOT verified",
            source.credential.status,
            "matches" if source.printed.matches else "DIFFERS",
        )
    return table


def basis_download(journey: Journey) -> str:
    """Log in at the tax office (DEMO login), download the sealed PDF and the credential."""
    http = journey.http
    base = f"{ISSUER_BASE_URL}/belastingdienst"
    login = http.post(f"{ISSUER_BASE_URL}/demo-login", data={"bsn": DEMO_BSN})
    if login.status_code != 200:
        raise DemoStepError(f"demo login answered {login.status_code}")
    pdf = http.get(f"{base}/basis/afschrift.pdf")
    credential = http.get(f"{base}/basis/credential.json")
    for response in (pdf, credential):
        if response.status_code != 200:
            raise DemoStepError(f"{response.request.url} answered {response.status_code}")
    journey.save("basis/belastingdienst-afschrift.pdf", pdf.content)
    journey.save("basis/belastingdienst-credential.json", credential.json())
    report = _pdf_checker(journey, ["belastingdienst"]).check_certified_pdf(pdf.content)
    journey.save("basis/belastingdienst-afschrift-check.json", report.to_json())
    if not report.valid:
        raise DemoStepError(f"the PDF did not verify: {report.summary()}")
    verified = verify(credential.json(), fetch=journey.fetch)
    journey.console.print(_pdf_table(report))
    proof = verified.proofs[0]
    journey.console.print(
        f"credential.json: {proof['cryptosuite']} by {proof['verificationMethod']}"
    )
    journey.summary["basis"] = {"pdf_valid": report.valid, "signer": report.sources[0].seal.signer}
    return "sealed PDF and credential downloaded and verified"


def receive_from_all_sources(journey: Journey) -> str:
    """Each source makes an offer; the wallet scans its QR image and receives the credential."""
    table = Table("source", "credential", "copies", "claims", "issuer", "ms")
    for source in SOURCE_NAMES:
        started = time.perf_counter()
        offer = journey.admin(f"/admin/{source}/offers", {"bsn": DEMO_BSN})
        image = journey.save(f"qr/offer-{source}.png", qr_png(offer["offer_uri"]))
        scanned = decode_qr_image(image)
        if scanned != offer["offer_uri"]:
            raise DemoStepError(f"the {source} QR code did not read back")
        stored = journey.wallet.accept_offer(
            journey.wallet.parse_offer(scanned),
            tx_code=offer["tx_code"],
            copies=COPIES.get(source, 1),
        )
        journey.received[source] = stored
        for number, credential in enumerate(stored, 1):
            journey.save(f"credentials/{source}-{number}.json", credential.credential)
        first = stored[0]
        table.add_row(
            source,
            first.types[-1],
            str(len(stored)),
            str(len(_leaves(first.credential["credentialSubject"]))),
            first.issuer,
            f"{1000 * (time.perf_counter() - started):.0f}",
        )
    journey.console.print(table)
    total = sum(len(stored) for stored in journey.received.values())
    return f"{total} credentials from {len(SOURCE_NAMES)} sources in the wallet"


def aggregated_download(journey: Journey) -> str:
    """Basis 2.0 from the portal: the aggregated PDF and the bundle of all sources, checked."""
    response = journey.http.get(f"{ISSUER_BASE_URL}/basis-2.0/{BASIS_2_ZIP}")
    if response.status_code != 200:
        raise DemoStepError(f"the Basis 2.0 download answered {response.status_code}")
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        pdf, bundle = archive.read(BASIS_2_PDF), json.loads(archive.read(BASIS_2_BUNDLE))
    journey.save(f"basis-2.0/{BASIS_2_PDF}", pdf)
    journey.save(f"basis-2.0/{BASIS_2_BUNDLE}", bundle)
    checker = _pdf_checker(journey, SOURCE_NAMES)
    report = checker.check_certified_pdf(pdf)
    journey.save("basis-2.0/pdf-check.json", report.to_json())
    journey.console.print(_pdf_table(report))
    if not report.valid:
        raise DemoStepError(f"the aggregated PDF did not verify: {report.summary()}")
    checked = checker.check_bundle(bundle)
    if checked.presentation is None:
        raise DemoStepError(f"the bundle did not verify: {', '.join(checked.codes)}")
    in_pdf = {s.credential.unverified_id for s in report.sources}
    in_bundle = {c.id for c in checked.presentation.credentials}
    if in_pdf != in_bundle:
        raise DemoStepError("the PDF and the bundle do not carry the same credentials")
    journey.summary["basis_2"] = {"sources": [s.source for s in report.sources]}
    return (
        f"aggregated PDF: {len(report.sources)} sources, each seal intact and trusted, each "
        f"credential verified online; bundle: {len(in_bundle)} credentials, the same"
    )


def wallet_export(journey: Journey) -> str:
    """The wallet's own Basis 2.0: one holder-signed presentation of several sources."""
    ids = [journey.received[source][0].id for source in EXPORTED]
    exported = journey.wallet.export(ids)
    journey.save("basis-2.0/wallet-export.json", exported)
    verify(
        exported,
        domain=EXPORT_DOMAIN,
        expected_proof_purpose="authentication",
        fetch=journey.fetch,
    )
    table = Table("exported credential", "issuer", "claims")
    for credential in exported["verifiableCredential"]:
        verify(credential, fetch=journey.fetch)
        table.add_row(
            credential["type"][-1],
            credential["issuer"],
            str(len(_leaves(credential["credentialSubject"]))),
        )
    journey.console.print(table)
    return f"export of {len(ids)} sources verified (holder proof and every credential)"


def _request_qr(
    journey: Journey,
    name: str,
    purpose: str,
    *,
    prefer_facts: bool = True,
    formats: Sequence[str] = (LDP_VC, SD_JWT_VC),
) -> tuple[str, str]:
    """The landlord starts a check; its QR image is scanned back; return (its id, the text)."""
    transaction = journey.landlord.verifier.create_request(
        journey.landlord.rule.dcql_query(prefer_facts=prefer_facts, formats=formats),
        response_uri=f"{LANDLORD_URL}/oid4vp/response",
        purpose=purpose,
    )
    image = journey.save(f"qr/{name}.png", transaction.qr_png())
    return transaction.id, decode_qr_image(image)


def _income_check(
    journey: Journey,
    name: str,
    *,
    prefer_facts: bool,
    formats: Sequence[str] = (LDP_VC, SD_JWT_VC),
    income: JsonObject | None = None,
) -> Decision:
    """One request: scan, present what is asked, send; show what the landlord saw.

    ``income`` is what the wallet holds (default: the W3C statement's subject).
    """
    if income is None:
        income = journey.received["belastingdienst"][0].credential["credentialSubject"]
    _, scanned = _request_qr(
        journey,
        f"landlord-request-{name}",
        "Inkomenstoets sociale huurwoning",
        prefer_facts=prefer_facts,
        formats=formats,
    )
    presentation = journey.wallet.present(journey.wallet.open_request(scanned))
    journey.save(f"landlord/{name}-presentation.json", presentation.form_fields())
    journey.wallet.send(presentation)
    decision = journey.landlord.decisions[-1]
    if not decision.outcome.verified or decision.result is None or decision.record is None:
        codes = ", ".join(p.code for p in decision.outcome.problems)
        raise DemoStepError(f"the landlord refused the presentation: {codes}")
    (shown,) = decision.outcome.all_presentations[0].credentials
    seen = _leaves(shown.claims)
    asked = "the facts (inkomenstoets)" if prefer_facts else "the amount (verzamelinkomen)"
    table = Table("claim in the wallet", "value", "the landlord sees", title=f"Asked: {asked}")
    for claim, value in _leaves(income).items():
        table.add_row(
            claim, _short(value, 28), _short(seen[claim], 28) if claim in seen else "hidden"
        )
    journey.console.print(table)
    if prefer_facts and "verzamelinkomen.value" in seen:
        raise DemoStepError("the exact income was disclosed although the facts were asked for")
    journey.save(f"landlord/{name}-decision.json", decision.result.to_json())
    journey.save(f"landlord/{name}-verification-record.json", decision.record)
    checked = verify_record(decision.record, fetch=journey.fetch)
    result = decision.result
    answer = {True: "within the limit", False: "above the limit", None: "undetermined"}
    journey.console.print(
        f"Decision: household of {result.household_size}, {result.rule_name} {result.rule_year} "
        f"limit {result.limit}: [bold]{answer[result.meets]}[/] ({result.reason}); "
        f"record signed by {checked.signer} and verified."
    )
    return decision


def landlord_check(journey: Journey) -> str:
    """The landlord's request, a selective presentation, the decision and the signed record.

    The landlord asks for the tax office's precomputed fact first; only when that
    fact cannot decide (say it was computed for another rule year) does it ask
    again, for the amount.
    """
    income = journey.received["belastingdienst"][0].credential["credentialSubject"]
    journey.landlord.household_size = int(income.get("inkomenstoets", {}).get("huishoudgrootte", 1))
    decision = _income_check(journey, "facts", prefer_facts=True)
    shown = "facts only"
    if decision.result is not None and decision.result.meets is None:
        journey.console.print(
            "[yellow]The facts could not decide; the landlord asks for the amount."
        )
        decision = _income_check(journey, "amount", prefer_facts=False)
        shown = "facts undetermined, then the amount"
    assert decision.result is not None
    journey.summary["decision"] = decision.result.to_json()
    if decision.result.meets is None:
        raise DemoStepError(f"no decision: {decision.result.reason}")
    return f"decided on {shown}; decision and signed record verified"


def sd_jwt_vc_check(journey: Journey) -> str:
    """The income statement as SD-JWT VC, and a landlord that asks for that format.

    The tax office offers the same data in the format the Dutch and EU wallets
    take; the wallet checks it (issuer key from the JWT VC Issuer Metadata, the
    Token Status List) and keeps it encrypted beside the W3C copies. The landlord
    asks for ``dc+sd-jwt`` only; the wallet shows the facts with only their
    Disclosures and a Key Binding JWT; the decision and record are made the
    same way as for the W3C credential.
    """
    offer = journey.admin(
        "/admin/belastingdienst/offers",
        {"bsn": DEMO_BSN, "credential_configuration_id": INCOME_SD_JWT_CONFIGURATION},
    )
    image = journey.save("qr/offer-belastingdienst-sd-jwt.png", qr_png(offer["offer_uri"]))
    (stored,) = journey.wallet.accept_offer(
        journey.wallet.parse_offer(decode_qr_image(image)), tx_code=offer["tx_code"]
    )
    if stored.encoded is None:
        raise DemoStepError("the wallet kept no SD-JWT VC")
    journey.received["belastingdienst-sd-jwt"] = [stored]
    journey.save("credentials/belastingdienst-sd-jwt.txt", stored.encoded)
    held = {k: v for k, v in stored.credential.items() if k not in _REGISTERED}
    decision = _income_check(
        journey, "sd-jwt-facts", prefer_facts=True, formats=(SD_JWT_VC,), income=held
    )
    (shown,) = decision.outcome.all_presentations[0].credentials
    if shown.format != SD_JWT_VC or decision.result is None:
        raise DemoStepError(f"the landlord decided on a {shown.format} credential")
    disclosures = stored.encoded.count("~") - 1
    journey.summary["sd_jwt_vc"] = {
        "issued_bytes": len(stored.encoded),
        "disclosures": disclosures,
        "decision": decision.result.to_json(),
    }
    return (
        f"SD-JWT VC of {len(stored.encoded)} bytes with {disclosures} Disclosures received; "
        "decided on the facts alone, record verified"
    )


def plus_consent(journey: Journey) -> str:
    """Plus: the citizen consents, the corporation fetches from the tax office, then is refused.

    The landlord (here acting as the housing corporation) is registered with the
    tax office as a recipient; the wallet grants it the tax year and the amount
    for one purpose; the corporation fetches a fresh credential straight from
    the source with its own key, verifies it and decides; the citizen revokes
    the grant and the next fetch is refused. The source's signed access log
    shows every step.
    """
    tax = f"{ISSUER_BASE_URL}/belastingdienst"
    verifier = journey.landlord.verifier
    key = verifier.signing_key
    claims = ("belastingjaar", "verzamelinkomen")
    journey.admin(
        "/admin/belastingdienst/plus/recipients",
        {
            "did": LANDLORD_DID,
            "name": "Woningcorporatie (demo)",
            "purposes": [PLUS_PURPOSE],
            "scopes": [
                {
                    "credential_configuration_id": INCOME_CONFIGURATION,
                    "claims": [{"path": ["credentialSubject", claim]} for claim in claims],
                }
            ],
            "keys": [{"id": key.id, "publicKeyMultibase": key.public.multibase}],
        },
    )
    grant = journey.wallet.grant_consent(
        source=tax,
        recipient=LANDLORD_DID,
        purpose=PLUS_PURPOSE,
        scope=[claim_scope(tax, INCOME_CONFIGURATION, claims)],
    )
    journey.save("plus/grant.json", grant.document)
    corporation = PlusClient(client_id=LANDLORD_DID, signing_key=key, http=journey.http)
    fetched = corporation.fetch(grant.document)
    journey.save("plus/fetched-credential.json", fetched.unverified_credentials[tax])
    presentation = verifier.verify_plus_credentials(fetched)
    result = journey.landlord.rule.evaluate(
        presentation, household_size=journey.landlord.household_size
    )
    record = verifier.sign_record(presentation, result)
    journey.save("plus/decision.json", result.to_json())
    journey.save("plus/verification-record.json", record)
    verify_record(record, fetch=journey.fetch)
    if result.meets is None:
        raise DemoStepError(f"no decision on the shared data: {result.reason}")
    journey.wallet.revoke_consent(grant.id)
    try:
        corporation.fetch(grant.document)
    except PlusFetchError as exc:
        refusal = exc
    else:
        raise DemoStepError("the source still shared data under a revoked grant")
    status = journey.wallet.consent_status(grant.id)
    journey.save(
        "plus/access-log.json",
        {"status": status.status, "chain_valid": status.chain_valid, "entries": status.entries},
    )
    if not status.chain_valid:
        raise DemoStepError("the source's access log does not verify")
    table = Table("access log (signed by the source)", "source", "detail")
    for entry in status.entries:
        detail = entry.get("error") or ""
        table.add_row(str(entry.get("event")), str(entry.get("source") or "-"), str(detail))
    journey.console.print(table)
    journey.summary["plus"] = {"grant": grant.id, "decision": result.to_json()}
    return (
        f"grant {grant.id}: fetched and decided ({'within' if result.meets else 'above'} "
        f"the limit); after revocation refused with {refusal.error or refusal.status}"
    )


def revocation(journey: Journey) -> str:
    """The tax office revokes the income statement; a new presentation is refused."""
    copies = [
        *journey.received["belastingdienst"],
        *journey.received.get("belastingdienst-sd-jwt", []),
    ]
    # The issuer's id of each copy: a W3C credential's id, an SD-JWT VC's jti.
    revoked = [str(stored.credential.get("id") or stored.credential["jti"]) for stored in copies]
    for credential_id in revoked:
        journey.admin(f"/admin/credentials/{credential_id}/revoke")
    transaction_id, scanned = _request_qr(
        journey, "landlord-request-after-revocation", "Nieuwe inkomenstoets"
    )
    request = journey.wallet.open_request(scanned)
    presentation = journey.wallet.present(request)
    journey.save("landlord/after-revocation-presentation.json", presentation.form_fields())
    try:
        journey.wallet.send(presentation)
    except PresentationRequestError as exc:
        answer = str(exc)
    else:
        raise DemoStepError("the landlord accepted a revoked income statement")
    # A refused answer leaves the request open (for the real wallet); its status says why.
    status = journey.landlord.verifier.transaction_status(transaction_id)
    codes = sorted(status.problems) if status is not None else []
    journey.save("landlord/after-revocation-refusal.json", {"answer": answer, "problems": codes})
    if "CREDENTIAL_REVOKED" not in codes:
        raise DemoStepError(f"refused, but not for the revocation: {codes}")
    journey.summary["revocation"] = {"revoked": revoked, "problems": codes}
    return f"{len(revoked)} copies revoked; the landlord refused with {', '.join(codes)}"


STEPS: tuple[tuple[str, Callable[[Journey], str]], ...] = (
    ("Basis: sealed PDF and credential from the tax office", basis_download),
    ("Receive credentials from the four sources by QR", receive_from_all_sources),
    ("Basis 2.0: the aggregated PDF and bundle of every source", aggregated_download),
    ("Basis 2.0 from the wallet: a holder-signed export", wallet_export),
    ("Landlord: request QR, selective presentation, decision, record", landlord_check),
    ("SD-JWT VC: the same statement in the EU wallets' format, decided on", sd_jwt_vc_check),
    ("Plus: consent to share directly with the housing corporation", plus_consent),
    ("Revocation by the source, refusal by the landlord", revocation),
)


# --- running --------------------------------------------------------------------------------------


def default_out(now: datetime | None = None) -> Path:
    """``out/demo-<UTC timestamp>``."""
    return Path("out") / f"demo-{(now or _utc_now()).strftime('%Y%m%d-%H%M%S')}"


def _landlord(http: httpx.Client) -> Landlord:
    key = KeyPair.generate("P-256")
    signing_key = KeyPair(key.public, key.private_key, f"{LANDLORD_DID}#key-1", LANDLORD_DID)
    verifier = Verifier(
        client_id=f"decentralized_identifier:{LANDLORD_DID}",
        signing_key=signing_key,
        trusted_issuers={did_web_for(ISSUER_BASE_URL, "belastingdienst"): INCOME_CREDENTIAL_TYPES},
        http=http,
    )
    return Landlord(verifier, HousingIncomeRule.load())


@contextmanager
def _running(out: Path, console: Console, people: int) -> Iterator[Journey]:
    """Start the issuer process and the landlord server; open the wallet; stop everything after."""
    with ExitStack() as stack:
        data_dir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bk-demo-")))
        with console.status("Starting the issuer service (a real server process)…"):
            issuer = stack.enter_context(
                issuer_process(
                    data_dir=data_dir,
                    log_path=out / "logs" / "issuer.log",
                    admin_token=secrets.token_urlsafe(32),
                    people=people,
                )
            )
        landlord_port = free_port()
        transport = LoopbackTransport({ISSUER_HOST: issuer.port, LANDLORD_HOST: landlord_port})
        http = stack.enter_context(httpx.Client(transport=transport, timeout=30))
        landlord = _landlord(http)
        landlord_local = stack.enter_context(serve_in_thread(landlord.app(), port=landlord_port))
        (out / "wallet").mkdir(parents=True, exist_ok=True)
        store = EncryptedStore.open(out / "wallet" / "wallet.db", passphrase=WALLET_PASSPHRASE)
        stack.callback(store.close)
        trusted = [did_web_for(ISSUER_BASE_URL, source) for source in SOURCE_NAMES]
        # The demo landlord is not on the internet (its host maps to loopback here):
        # the citizen trusts it explicitly, as a development verifier.
        wallet = Wallet(
            store=store, http=http, trusted_issuers=trusted, trusted_verifiers=[LANDLORD_DID]
        )
        table = Table("service", "public identity", "listening on", box=None)
        table.add_row("issuer (4 sources)", ISSUER_BASE_URL, f"http://127.0.0.1:{issuer.port}")
        table.add_row("landlord verifier", LANDLORD_DID, landlord_local)
        table.add_row("wallet", "encrypted file", str(out / "wallet" / "wallet.db"))
        console.print(table)
        journey = Journey(out, console, http, issuer, wallet, landlord)
        # The public DID documents, so that the artefacts can be checked offline later.
        for source in SOURCE_NAMES:
            document = http.get(f"{ISSUER_BASE_URL}/{source}/did.json").json()
            journey.save(f"dids/{source}.json", document)
        journey.save("dids/landlord.json", http.get(f"{LANDLORD_URL}/.well-known/did.json").json())
        try:
            yield journey
        finally:
            journey.save("wallet/activity-log.json", json.loads(wallet.export_log()))


def serve_pages(journey: Journey, *, until: Callable[[], None]) -> None:
    """Keep the citizen portal and the landlord's page running on loopback until ``until`` returns.

    The portal is part of the issuer process; the landlord's page is
    ``blauwe-knop verifier serve`` in its own process.
    """
    portal = f"http://127.0.0.1:{journey.issuer.port}/portaal/"
    with ExitStack() as stack:
        with journey.console.status("Starting the landlord's page…"):
            page = stack.enter_context(
                landlord_page_process(
                    data_dir=journey.out / "landlord-page",
                    log_path=journey.out / "logs" / "landlord-page.log",
                    issuer_port=journey.issuer.port,
                )
            )
        journey.console.print(
            Panel.fit(
                f"Citizen portal (DEMO login, test BSN {DEMO_BSN}): [bold]{portal}[/]\n"
                f"Landlord's page: [bold]{page}/[/]\n"
                "Press Ctrl-C to stop.",
                title="Click through the same story",
            )
        )
        until()


def _wait_for_interrupt() -> None:
    """Block until Ctrl-C (SIGINT) or SIGTERM."""

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    # Implementation note: a process started in the background may inherit an ignored SIGINT.
    previous = {number: signal.signal(number, stop) for number in (signal.SIGINT, signal.SIGTERM)}
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def run(
    out: Path,
    *,
    people: int = 50,
    serve: bool = False,
    console: Console | None = None,
    until: Callable[[], None] = _wait_for_interrupt,
) -> int:
    """Run every step, write the artefacts to ``out``; return 0 when all succeeded, else 1.

    With ``serve``, after a successful run the portal and the landlord's page
    keep running until ``until`` returns (default: Ctrl-C).
    """
    console = console or Console(record=True)
    out.mkdir(parents=True, exist_ok=True)
    console.print(
        Panel.fit(
            "[bold]Blauwe Knop[/]: your government data as verifiable credentials, "
            "from source to landlord",
            subtitle="demo data only: synthetic citizens, DEMO login, demo keys",
        )
    )
    results: list[tuple[str, str, float, str]] = []
    failed = False
    try:
        with _running(out, console, people) as journey:
            for number, (title, step) in enumerate(STEPS, 1):
                console.rule(f"[bold]{number}. {title}")
                started = time.perf_counter()
                try:
                    outcome = step(journey)
                except Exception as exc:  # a demo step reports any failure and stops
                    failed = True
                    outcome = f"{type(exc).__name__}: {exc}"
                seconds = time.perf_counter() - started
                status = "FAILED" if failed else "ok"
                console.print(f"[{'red' if failed else 'green'}]{status}[/] {outcome}")
                results.append((title, status, seconds, outcome))
                if failed:
                    break
            journey.save("summary.json", {"steps": [r[:2] for r in results], **journey.summary})
            _print_summary(console, results, out)
            if serve and not failed:
                serve_pages(journey, until=until)
    except Exception as exc:  # a service did not start (or stop)
        failed = True
        results.append(("Start the services", "FAILED", 0.0, f"{type(exc).__name__}: {exc}"))
        _print_summary(console, results, out)
    (out / "logs").mkdir(parents=True, exist_ok=True)
    console.save_text(str(out / "logs" / "demo.txt"))
    return 1 if failed else 0


def _print_summary(console: Console, results: list[tuple[str, str, float, str]], out: Path) -> None:
    table = Table("#", "step", "result", "seconds", title="Summary")
    for number, (title, status, seconds, _) in enumerate(results, 1):
        colour = "green" if status == "ok" else "red"
        table.add_row(str(number), title, f"[{colour}]{status}[/]", f"{seconds:.2f}")
    console.print(table)
    console.print(f"Every artefact is in [bold]{out.resolve()}[/]")


app = typer.Typer(
    help="Run the whole journey against a real issuer server on loopback.",
    add_completion=False,
)


@app.callback(invoke_without_command=True)
def demo(
    out: Annotated[
        Path | None,
        typer.Option(help="Folder for every artefact (default: out/demo-<timestamp>)."),
    ] = None,
    people: Annotated[int, typer.Option(help="Synthetic citizens in the demo registers.")] = 50,
    serve: Annotated[
        bool,
        typer.Option(help="Then keep the citizen portal and the landlord's page running."),
    ] = False,
) -> None:
    """Issue, receive, export, present, decide and revoke, end to end; exit 1 if a step fails."""
    raise typer.Exit(run(out or default_out(), people=people, serve=serve))
