"""``blauwe-knop verifier``: start an income check, check a presentation, verify a record.

- ``request --household-size N``: print the OpenID4VP link of a new income
  check and save its QR code (``--qr-out x.png|x.svg``).
- ``check FILE``: verify a presentation; exit 0 when verified, 1 when not
  (one line per problem, starting with its code), 2 on a usage error.
- ``record verify FILE``: check a signed verification record (exit 0/1/2).
- ``fetch GRANT``: Blauwe Knop Plus: fetch a consent grant's data straight from
  the sources with your key, verify it and (``--household-size``) decide the rule.
- ``serve``: run the landlord's page (start a check, show the QR, see the decision).

Nothing is fetched unless ``--online`` is given; then status lists and
did:web documents of trusted issuers are fetched over HTTPS.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, NoReturn
from urllib.parse import urlsplit

import typer

from vc_core.errors import ParsingError, VerificationError
from vc_core.keys import KeyPair, PublicKey
from vc_core.types import Clock, JsonObject
from vc_verifier.http import HttpClient, http_fetch
from vc_verifier.policy.housing import HousingIncomeRule
from vc_verifier.record import verify_record
from vc_verifier.transactions import MemoryTransactions, SqliteTransactions, TransactionStore
from vc_verifier.trust import TrustedIssuers
from vc_verifier.verifier import Verifier

__all__ = ["app"]

app = typer.Typer(
    help="Relying party: request, check and record income presentations.",
    no_args_is_help=True,
    add_completion=False,
)
record_app = typer.Typer(help="Signed verification records.", no_args_is_help=True)
app.add_typer(record_app, name="record")

USAGE_ERROR = 2
NOT_VERIFIED = 1
_CHECK_CLIENT = "redirect_uri:http://localhost/cli"
_DEFAULT_RESPONSE_URI = "https://verhuur.example.nl/oid4vp/response"

OnlineOpt = Annotated[
    bool,
    typer.Option(help="Fetch status lists and did:web documents of trusted issuers over HTTPS."),
]


def _fail(message: str, code: int = USAGE_ERROR) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def _read_json(source: str) -> Any:
    try:
        text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
        return json.loads(text)
    except OSError as exc:
        _fail(f"cannot read {source}: {exc.strerror or exc}")
    except (ValueError, RecursionError) as exc:
        _fail(f"{source} is not JSON: {exc}")


def _clock(at: str | None) -> Clock:
    if at is None:
        return lambda: datetime.now(UTC)
    try:
        moment = datetime.fromisoformat(at)
    except ValueError:
        _fail(f"--at takes an ISO 8601 date-time, got {at!r}")
    if moment.tzinfo is None:
        _fail("--at needs a time zone (e.g. 2026-01-01T12:00:00Z)")
    return lambda: moment


def _signing_key(path: Path | None) -> KeyPair:
    if path is None:
        typer.echo("note: no --key given; signing with a fresh, throw-away did:key", err=True)
        return KeyPair.generate("P-256")
    value = _read_json(str(path))
    try:
        if not isinstance(value, dict):
            raise ValueError("not a JSON object")
        return KeyPair.from_multikey(value)
    except ValueError as exc:
        _fail(f"{path} is not a Multikey key pair with its secret: {exc}")


def _client_id(key: KeyPair, client_id: str | None) -> str:
    if client_id is not None:
        return client_id
    did = (key.id or "").partition("#")[0] or f"did:key:{key.public.multibase}"
    return f"decentralized_identifier:{did}"


@app.command()
def request(
    household_size: Annotated[int, typer.Option(min=1, help="Persons in the household.")],
    client_id: Annotated[
        str | None,
        typer.Option(help="Full client_id (default: decentralized_identifier:<the key's DID>)."),
    ] = None,
    key: Annotated[
        Path | None, typer.Option(help="The landlord's Multikey key-pair JSON (with secret).")
    ] = None,
    response_uri: Annotated[
        str, typer.Option(help="Where the wallet posts its answer.")
    ] = _DEFAULT_RESPONSE_URI,
    qr_out: Annotated[Path | None, typer.Option(help="Save the QR code (.png or .svg).")] = None,
    limits: Annotated[
        Path | None, typer.Option(help="Income-limit table (default: the shipped one).")
    ] = None,
    year: Annotated[int | None, typer.Option(help="Rule year of the shipped tables.")] = None,
    purpose: Annotated[str | None, typer.Option(help="Purpose text shown to the citizen.")] = None,
    db: Annotated[
        Path | None, typer.Option(help="SQLite file keeping the transaction (default: memory).")
    ] = None,
) -> None:
    """Create an income-check request; print its link and save its QR code."""
    if qr_out is not None and qr_out.suffix.lower() not in (".png", ".svg"):
        _fail("--qr-out must end in .png or .svg")
    try:
        rule = HousingIncomeRule.load(limits, year=year)
    except (OSError, ValueError) as exc:
        _fail(f"cannot load the income-limit table: {exc}")
    signing_key = _signing_key(key)
    store: TransactionStore = SqliteTransactions(db) if db is not None else MemoryTransactions()
    try:
        verifier = Verifier(
            client_id=_client_id(signing_key, client_id),
            signing_key=signing_key,
            trusted_issuers={},
            transactions=store,
        )
        transaction = verifier.create_request(
            rule.dcql_query(),
            response_uri=response_uri,
            purpose=purpose
            or f"Inkomenstoets sociale huur {rule.year} voor een huishouden van {household_size}",
        )
    except ValueError as exc:
        _fail(str(exc))
    if qr_out is not None:
        if qr_out.suffix.lower() == ".png":
            qr_out.write_bytes(transaction.qr_png())
        else:
            qr_out.write_text(transaction.qr_svg(), encoding="utf-8")
    typer.echo(transaction.uri)
    typer.echo(
        f"transaction {transaction.id}; expires {transaction.expires_at.isoformat()}", err=True
    )


def _summary(presentation: Any) -> JsonObject:
    return {
        "holder": presentation.holder,
        "credentials": [
            {"issuer": vc.issuer, "types": list(vc.types), "claims": vc.claims}
            for vc in presentation.credentials
        ],
    }


@app.command()
def check(
    source: Annotated[str, typer.Argument(help="Presentation JSON file, or - for stdin.")],
    challenge: Annotated[
        str | None, typer.Option(help="Expected challenge (the request's nonce).")
    ] = None,
    domain: Annotated[
        str | None, typer.Option(help="Expected domain (the full client_id).")
    ] = None,
    trusted: Annotated[
        Path | None, typer.Option(help="Trusted-issuer file: {issuer DID: [types]}.")
    ] = None,
    at: Annotated[str | None, typer.Option(help="Check as of this ISO 8601 time.")] = None,
    online: OnlineOpt = False,
    status_fail_open: Annotated[
        bool, typer.Option(help="Accept a credential whose status list cannot be fetched.")
    ] = False,
) -> None:
    """Verify a presentation file; print the verified claims or every problem."""
    presentation = _read_json(source)
    proof = presentation.get("proof") if isinstance(presentation, dict) else None
    proof = proof if isinstance(proof, dict) else {}
    if challenge is None or domain is None:
        typer.echo(
            "warning: --challenge/--domain not given; the presentation's own values are "
            "used, so replay is NOT checked",
            err=True,
        )
    try:
        registry = TrustedIssuers.load(trusted) if trusted is not None else TrustedIssuers()
    except (OSError, ValueError) as exc:
        _fail(f"cannot load the trusted issuers: {exc}")
    if trusted is None:
        typer.echo("warning: no --trusted file; every issuer is untrusted", err=True)
    http = HttpClient(timeout=10) if online else None
    verifier = Verifier(
        client_id=_CHECK_CLIENT,
        signing_key=KeyPair.generate("P-256"),
        trusted_issuers=registry,
        fetch=http_fetch(http) if http is not None else None,
        clock=_clock(at),
        status_fail_closed=not status_fail_open,
    )
    report = verifier.check_presentation(
        presentation,
        challenge=challenge if challenge is not None else str(proof.get("challenge", "")),
        domain=domain if domain is not None else str(proof.get("domain", "")),
    )
    if http is not None:
        http.close()
    if report.presentation is None:
        for problem in report.problems:
            typer.echo(f"{problem.code} {problem.path}: {problem.detail}")
        raise typer.Exit(NOT_VERIFIED)
    typer.echo(json.dumps(_summary(report.presentation), indent=2, ensure_ascii=False))


@record_app.command("verify")
def record_verify(
    source: Annotated[str, typer.Argument(help="Record JSON file, or - for stdin.")],
    key: Annotated[
        Path | None,
        typer.Option(help="Public Multikey JSON of the signer (default: resolve the kid)."),
    ] = None,
    online: OnlineOpt = False,
) -> None:
    """Verify a signed verification record; print it when valid."""
    record = _read_json(source)
    public: PublicKey | None = None
    if key is not None:
        data = _read_json(str(key))
        value = data.get("publicKeyMultibase") if isinstance(data, dict) else None
        try:
            public = PublicKey.from_multibase(value if isinstance(value, str) else "")
        except ParsingError as exc:
            _fail(f"{key} holds no valid publicKeyMultibase: {exc.detail}")
    http = HttpClient(timeout=10) if online else None
    try:
        verified = verify_record(
            record, key=public, fetch=http_fetch(http) if http is not None else None
        )
    except VerificationError as exc:
        for problem in exc.problems:
            typer.echo(f"{problem.code} {problem.path}: {problem.detail}")
        raise typer.Exit(NOT_VERIFIED) from exc
    finally:
        if http is not None:
            http.close()
    typer.echo(f"valid record signed by {verified.signer}", err=True)
    typer.echo(json.dumps(verified.record, indent=2, ensure_ascii=False))


def _trusted_for_serve(
    trusted: Path | None, trust_issuer: list[str] | None
) -> Mapping[str, tuple[str, ...]]:
    """The trusted issuers: the file's, plus each ``--trust-issuer`` for income statements."""
    from vc_verifier.landlord import DEMO_TRUSTED_ISSUERS

    if trusted is None and not trust_issuer:
        return DEMO_TRUSTED_ISSUERS
    chosen: dict[str, tuple[str, ...]] = {}
    if trusted is not None:
        loaded = _read_json(str(trusted))
        if not isinstance(loaded, dict) or not all(
            isinstance(types, list) and all(isinstance(t, str) for t in types)
            for types in loaded.values()
        ):
            _fail(f"{trusted} must be a JSON object {{issuer DID: [credential types]}}")
        chosen |= {str(did): tuple(types) for did, types in loaded.items()}
    income = DEMO_TRUSTED_ISSUERS[next(iter(DEMO_TRUSTED_ISSUERS))]
    for did in trust_issuer or ():
        if not did.startswith("did:"):
            _fail(f"--trust-issuer takes an issuer's DID (did:web:…), got {did!r}")
        chosen[did] = tuple(dict.fromkeys([*chosen.get(did, ()), *income]))
    return chosen


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8081,
    data_dir: Annotated[
        Path, typer.Option(help="Folder for the key, transactions and checks (SQLite).")
    ] = Path("verifier-data"),
    public_url: Annotated[
        str | None,
        typer.Option(
            help="The https origin wallets reach; its did:web is the client_id. Default: "
            "https://verhuur.example.nl, with --dev-tls https://localhost:<port>."
        ),
    ] = None,
    dev_tls: Annotated[
        bool,
        typer.Option(
            "--dev-tls",
            help="Development: serve https with a self-signed certificate for the public "
            "URL's host, made once in <data-dir>/tls/.",
        ),
    ] = False,
    name: Annotated[str, typer.Option(help="The landlord's name on the page.")] = "Verhuur (demo)",
    trusted: Annotated[
        Path | None,
        typer.Option(help="Trusted-issuer file {DID: [types]} (default: the demo tax office)."),
    ] = None,
    trust_issuer: Annotated[
        list[str] | None,
        typer.Option(
            help="Trust this issuer DID for income statements (repeatable), e.g. the "
            "belastingdienst DID that 'issuer serve' prints."
        ),
    ] = None,
    year: Annotated[int | None, typer.Option(help="Rule year of the shipped tables.")] = None,
    route: Annotated[
        list[str] | None,
        typer.Option(
            help="Fetch ORIGIN's did:web and status lists from URL instead (ORIGIN=URL, e.g. "
            "https://issuer.example.nl=http://127.0.0.1:8080; repeatable): for an issuer whose "
            "public name is served elsewhere. An issuer run with --dev-tls needs no route."
        ),
    ] = None,
    ssl_certfile: Annotated[Path | None, typer.Option(help="TLS certificate (PEM).")] = None,
    ssl_keyfile: Annotated[Path | None, typer.Option(help="TLS key (PEM).")] = None,
    seal_certificate: Annotated[
        list[str] | None,
        typer.Option(
            help="A trusted PDF sealing certificate, [DID=]CERT.pem (repeatable; without DID= "
            "the certificate's DID alternative names), for the 'upload a PDF' path."
        ),
    ] = None,
    max_connections: Annotated[
        int, typer.Option(help="Open connections before new requests get 503.", min=1)
    ] = 256,
) -> None:
    """Run the landlord's page (uvicorn). Plain http only on a loopback address.

    Slow clients are cut off (10 s for the request headers, 15 s between and 60 s
    for all body chunks, 5 s idle keep-alive); put a reverse proxy in front in
    production (README, "Running it in production").
    """
    from vc_core.devtls import development_certificate, serving_problem
    from vc_verifier.landlord import LandlordSettings, landlord_state
    from vc_verifier.landlord.serving import run

    problem = serving_problem(
        host=host, dev_tls=dev_tls, certfile=ssl_certfile, keyfile=ssl_keyfile
    )
    if problem is not None:
        _fail(problem)
    if public_url is None:
        public_url = f"https://localhost:{port}" if dev_tls else "https://verhuur.example.nl"
    overrides: dict[str, str] = {}
    for item in route or ():
        origin, equals, target = item.partition("=")
        if not equals:
            _fail(f"--route takes ORIGIN=URL, got {item!r}")
        overrides[origin] = target
    from cryptography.hazmat.primitives.serialization import Encoding

    from vc_verifier.certified_pdf import read_seal_certificate

    seals: dict[str, list[str]] = {}
    for item in seal_certificate or ():
        try:
            dids, certificate = read_seal_certificate(item)
        except ValueError as exc:
            _fail(str(exc))
        for did in dids:
            seals.setdefault(did, []).append(certificate.public_bytes(Encoding.PEM).decode())
    try:
        settings = LandlordSettings(
            public_url=public_url,
            name=name,
            data_dir=data_dir,
            trusted_issuers=_trusted_for_serve(trusted, trust_issuer),
            rule_year=year,
            fetch_overrides=overrides,
            trusted_seals={did: tuple(pems) for did, pems in seals.items()},
        )
        HousingIncomeRule.load(year=year)
        landlord_state(settings)  # the key and secret, made once before serving
        dev_certificate = (
            development_certificate(data_dir / "tls", urlsplit(settings.public_url).hostname or "")
            if dev_tls
            else None
        )
    except (OSError, ValueError) as exc:
        _fail(str(exc))
    if dev_certificate is not None:
        ssl_certfile, ssl_keyfile = dev_certificate.cert_path, dev_certificate.key_path
    typer.echo(
        f"Landlord page at {settings.public_url}/ (listening on "
        f"{'https' if ssl_certfile else 'http'}://{host}:{port}); its DID: {settings.did}"
    )
    for did, types in settings.trusted_issuers.items():
        typer.echo(f"  trusts {did} for {', '.join(types)}")
    if dev_certificate is not None:
        typer.echo(
            f"TLS: development certificate {dev_certificate.cert_path} for {dev_certificate.host} "
            f"({dev_certificate.status}); wallets must trust it (SSL_CERT_FILE, or a phone's CA "
            "certificates). The page reaches issuers with this process's trust store: start it "
            "with SSL_CERT_FILE naming a development issuer's certificate."
        )
    run(
        settings,
        host=host,
        port=port,
        ssl_certfile=ssl_certfile,
        ssl_keyfile=ssl_keyfile,
        max_connections=max_connections,
    )


@app.command()
def fetch(
    ctx: typer.Context,
    grant: Annotated[str, typer.Argument(help="The citizen's consent grant (JSON file, or -).")],
    key: Annotated[
        Path,
        typer.Option(help="Your Multikey key-pair JSON (with secret), registered at the sources."),
    ],
    client_id: Annotated[
        str | None, typer.Option(help="Your DID (default: the key's controller or its did:key).")
    ] = None,
    kid: Annotated[
        str | None, typer.Option(help="The key's DID URL (default: the key's id).")
    ] = None,
    trusted: Annotated[
        Path | None, typer.Option(help="Trusted-issuer file: {issuer DID: [types]}.")
    ] = None,
    household_size: Annotated[
        int | None, typer.Option(min=1, help="Decide the income rule for this household size.")
    ] = None,
    limits: Annotated[
        Path | None, typer.Option(help="Income-limit table (default: the shipped one).")
    ] = None,
    year: Annotated[int | None, typer.Option(help="Rule year of the shipped tables.")] = None,
    out: Annotated[Path | None, typer.Option(help="Save the verified credentials here.")] = None,
) -> None:
    """Blauwe Knop Plus: fetch a grant's data from each source, verify it, decide the rule.

    Exit 0 when every credential verified, 1 when a source refused or a check
    failed (one line per problem), 2 on a usage error.
    """
    from vc_verifier.errors import PlusFetchError
    from vc_verifier.plus import PlusClient, parse_grant

    signing_key = _signing_key(key)
    kid = kid or signing_key.id
    did = client_id or (kid.partition("#")[0] if kid else f"did:key:{signing_key.public.multibase}")
    try:
        registry = TrustedIssuers.load(trusted) if trusted is not None else TrustedIssuers()
        rule = HousingIncomeRule.load(limits, year=year) if household_size is not None else None
        parsed = parse_grant(_read_json(grant))
    except (OSError, ValueError) as exc:
        _fail(str(exc))
    except ParsingError as exc:
        _fail(f"{grant} is not a consent grant: {exc.detail}")
    factory = ctx.obj if callable(ctx.obj) else lambda: HttpClient(timeout=10)
    http = factory()
    try:
        client = PlusClient(client_id=did, signing_key=signing_key, http=http, signing_kid=kid)
        verifier = Verifier(
            client_id=f"decentralized_identifier:{client.client_id}",
            signing_key=signing_key,
            signing_kid=client.signing_kid,
            trusted_issuers=registry,
            http=http,
        )
        report = verifier.check_plus_credentials(client.fetch(parsed))
    except ValueError as exc:
        _fail(str(exc))
    except (PlusFetchError, VerificationError) as exc:
        typer.echo(f"{exc.code} {exc.detail}")
        raise typer.Exit(NOT_VERIFIED) from exc
    if report.presentation is None:
        for problem in report.problems:
            typer.echo(f"{problem.code} {problem.path}: {problem.detail}")
        raise typer.Exit(NOT_VERIFIED)
    summary = _summary(report.presentation)
    if rule is not None and household_size is not None:
        summary["decision"] = rule.evaluate(
            report.presentation, household_size=household_size
        ).to_json()
    if out is not None:
        documents = [vc.document for vc in report.presentation.credentials]
        out.write_text(json.dumps(documents, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    typer.echo(json.dumps(summary, indent=2, ensure_ascii=False))
