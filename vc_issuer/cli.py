"""``blauwe-knop issuer …``: run and operate the issuer service.

Settings come from ``BLAUWE_KNOP_ISSUER_*`` environment variables or ``.env``
(see :class:`~vc_issuer.settings.IssuerSettings`); ``--data-dir`` overrides
the data folder. ``serve --dev-tls`` serves https under the public URL's host
with a development certificate (:mod:`vc_core.devtls`) and prints what a
wallet needs: identifiers, DIDs, the portal and how to trust the certificate.
Operator commands work on the local database, or on a running service with
``--server URL`` (using the admin token from the settings).
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn
from urllib.parse import quote, urlsplit

import typer

from vc_core.files import private_directory, private_file
from vc_issuer.errors import IssuerError
from vc_issuer.settings import DEVELOPMENT_ADMIN_TOKEN, IssuerSettings, settings_problem

if TYPE_CHECKING:
    from vc_core.devtls import DevelopmentCertificate
    from vc_issuer.issuer import Issuer

__all__ = ["app"]

app = typer.Typer(
    help="Run and operate the issuer service of the sources.",
    no_args_is_help=True,
    add_completion=False,
)

DataDirOpt = Annotated[
    Path | None, typer.Option("--data-dir", help="Data folder (SQLite database, QR files).")
]
ServerOpt = Annotated[
    str | None,
    typer.Option("--server", help="Base URL of a running issuer (else the local database)."),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]
_TIMEOUT = 30
_BASE_URL_ENV = "BLAUWE_KNOP_ISSUER_BASE_URL"


def _fail(message: str, code: int = 2) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def _settings(data_dir: Path | None, **overrides: Any) -> IssuerSettings:
    if data_dir is not None:
        overrides["data_dir"] = data_dir
    try:
        return IssuerSettings(**overrides)
    except ValueError as exc:
        _fail(f"settings refused: {settings_problem(exc)}")


def _issuer(settings: IssuerSettings) -> Issuer:
    from vc_issuer.issuer import Issuer

    try:
        return Issuer.from_settings(settings)
    except IssuerError as exc:
        _fail(str(exc))


def _admin_call(server: str, settings: IssuerSettings, method: str, path: str, body: Any) -> Any:
    """Call an admin endpoint of a running service with the admin token."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(
        server.rstrip("/") + path,
        data=data,
        method=method,
        headers={
            "Authorization": f"Bearer {settings.admin_token.get_secret_value()}",
            "Content-Type": "application/json",
            "Accept": "application/json",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=_TIMEOUT) as response:
            return json.loads(response.read() or b"null")
    except urllib.error.HTTPError as exc:
        detail = exc.read().decode("utf-8", "replace")
        _fail(f"{server} answered {exc.code}: {detail}", 1)
    except (urllib.error.URLError, OSError) as exc:
        _fail(f"cannot reach {server}: {exc}", 1)


def _announce(
    settings: IssuerSettings, listening: str, certificate: DevelopmentCertificate | None
) -> None:
    """Print where the service is: its identifiers, DIDs and portal, and how to trust its TLS."""
    base = settings.base_url
    typer.echo(f"Issuer service at {base} (listening on {listening})")
    rows = [(s, settings.issuer_identifier(s), settings.issuer_did(s)) for s in settings.sources]
    widths = [max(len(row[column]) for row in rows) for column in (0, 1)]
    for source, identifier, did in rows:
        typer.echo(f"  {source:<{widths[0]}}  {identifier:<{widths[1]}}  {did}")
    typer.echo(f"Citizen portal: {base}/portaal/")
    if certificate is not None:
        cert = certificate.cert_path
        state = {"created": "made now", "reused": "reused", "replaced": "made anew"}
        typer.echo(
            f"TLS: development certificate {cert} for {certificate.host} "
            f"({state[certificate.status]}; valid until {certificate.not_after:%Y-%m-%d}).\n"
            "  Trust it in each client:\n"
            f"    Python, httpx, blauwe-knop  SSL_CERT_FILE={cert}\n"
            f"    curl                        curl --cacert {cert} {base}/brp/did.json\n"
            f"    Node.js                     NODE_EXTRA_CA_CERTS={cert}\n"
            "    a phone                     install it as a CA certificate, open the portal "
            "and scan its QR code (README: a phone on the same network)"
        )
    elif not listening.startswith("https"):
        typer.echo(
            f"note: offers name {base}, which is not this server; a wallet cannot follow them. "
            "For an issuer a wallet can reach, add --dev-tls (and --public-url)."
        )


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8080,
    data_dir: DataDirOpt = None,
    public_url: Annotated[
        str | None,
        typer.Option(
            help="The https origin wallets reach (a host name, not an IP address). Default: "
            "BLAUWE_KNOP_ISSUER_BASE_URL, else with --dev-tls https://localhost:<port>."
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
    demo: Annotated[bool, typer.Option(help="Load the demo registers and demo keys.")] = False,
    workers: Annotated[int, typer.Option(help="Worker processes.")] = 1,
    ssl_certfile: Annotated[Path | None, typer.Option(help="TLS certificate (PEM).")] = None,
    ssl_keyfile: Annotated[Path | None, typer.Option(help="TLS key (PEM).")] = None,
    max_connections: Annotated[
        int, typer.Option(help="Open connections per worker before new requests get 503.", min=1)
    ] = 256,
) -> None:
    """Run the issuer service (uvicorn). Plain http only on a loopback address.

    Slow clients are cut off (10 s for the request headers, 15 s between and 60 s
    for all body chunks, 5 s idle keep-alive); put a reverse proxy in front in
    production (README, "Running it in production").
    """
    from vc_core.devtls import development_certificate, is_loopback, serving_problem
    from vc_issuer import serving

    problem = serving_problem(
        host=host, dev_tls=dev_tls, certfile=ssl_certfile, keyfile=ssl_keyfile
    )
    if problem is not None:
        _fail(problem)
    overrides: dict[str, str] = {}
    if demo:
        overrides |= {"demo_data": "true", "demo_keys": "true"}
    if public_url is None and dev_tls and not os.environ.get(_BASE_URL_ENV):
        public_url = f"https://localhost:{port}"
    if public_url is not None:
        overrides["base_url"] = public_url
    settings = _settings(data_dir, **overrides)
    if settings.mode == "development" and not is_loopback(host):
        _check_development_off_loopback(settings)
    certificate = None
    if dev_tls:
        if settings.mode == "production":
            _fail("--dev-tls is for development; give production its own certificate")
        try:
            certificate = development_certificate(
                settings.data_dir / "tls", urlsplit(settings.base_url).hostname or ""
            )
        except (OSError, ValueError) as exc:
            _fail(f"cannot make the development certificate: {exc}")
        ssl_certfile, ssl_keyfile = certificate.cert_path, certificate.key_path
    # Create tables, keys and demo data once, before the workers start.
    _issuer(settings).db.dispose()
    tls = ssl_certfile is not None and ssl_keyfile is not None
    _announce(settings, f"{'https' if tls else 'http'}://{host}:{port}", certificate)
    # The workers build their settings from the environment (uvicorn's app factory).
    if data_dir is not None:
        overrides["data_dir"] = str(data_dir)
    os.environ.update({f"BLAUWE_KNOP_ISSUER_{name.upper()}": v for name, v in overrides.items()})
    serving.run(
        host=host,
        port=port,
        workers=workers,
        ssl_certfile=ssl_certfile,
        ssl_keyfile=ssl_keyfile,
        max_connections=max_connections,
    )


def _check_development_off_loopback(settings: IssuerSettings) -> None:
    """Development off loopback (a phone on the network): no public admin token, demo data only."""
    if settings.admin_token.get_secret_value() == DEVELOPMENT_ADMIN_TOKEN:
        _fail(
            "off loopback, development mode needs an admin token of your own "
            "(BLAUWE_KNOP_ISSUER_ADMIN_TOKEN); the development token is public"
        )
    if settings.demo_login_enabled and not settings.demo_data:
        _fail(
            "off loopback, the demo login (anyone may pick any BSN) is served with the demo "
            "registers only: add --demo, or turn the demo login off"
        )


@app.command("vc-api")
def vc_api_identities(json_output: JsonOpt = False, data_dir: DataDirOpt = None) -> None:
    """Show the VC API's issuer identities: one did:key per cryptosuite and curve."""
    from vc_issuer.vc_api import VcApi

    try:
        identities = VcApi(_issuer(_settings(data_dir))).identities()
    except IssuerError as exc:
        _fail(str(exc), 1)
    if json_output:
        typer.echo(json.dumps(identities, indent=2))
        return
    for name, identity in identities.items():
        typer.echo(
            f"{name:22} {identity['curve']:8} {identity['endpoint']}\n{'':22} {identity['id']}"
        )


@app.command()
def seed(
    people: Annotated[int, typer.Option(help="Random citizens besides the demo ones.")] = 2000,
    data_dir: DataDirOpt = None,
) -> None:
    """Load the synthetic demo registers (replaces the registers' contents)."""
    from vc_issuer.sources import seed_registers

    settings = _settings(data_dir)
    if settings.mode == "production":
        _fail("demo data is for development only")
    issuer = _issuer(settings)
    with issuer.db.write() as unit:
        summary = seed_registers(unit.session, people=people)
    typer.echo(
        f"seeded {summary.people} people, {summary.incomes} incomes, "
        f"{summary.diplomas} diplomas, {summary.vehicles} vehicles"
    )


@app.command()
def offer(
    source: Annotated[str, typer.Option(help="brp, belastingdienst, duo or rdw.")],
    bsn: Annotated[str, typer.Option(help="The citizen's BSN.")],
    configuration: Annotated[
        str | None, typer.Option(help="Credential configuration id (default: the first).")
    ] = None,
    server: ServerOpt = None,
    json_output: JsonOpt = False,
    data_dir: DataDirOpt = None,
) -> None:
    """Create a credential offer; print the offer URI, the tx_code and the QR PNG path."""
    from vc_issuer.qr import qr_png

    settings = _settings(data_dir)
    if server is not None:
        body: dict[str, Any] = {"bsn": bsn, "credential_configuration_id": configuration}
        made = _admin_call(server, settings, "POST", f"/admin/{source}/offers", body)
        offer_uri, tx_code = str(made["offer_uri"]), made["tx_code"]
    else:
        try:
            created = _issuer(settings).create_offer(source, bsn, configuration)
        except IssuerError as exc:
            _fail(str(exc), 1)
        offer_uri, tx_code = created.offer_uri, created.tx_code
    # Implementation note: the QR holds the offer's reference, enough to redeem it with
    # the tx_code, so it is kept for the owner only.
    folder = private_directory(private_directory(settings.data_dir) / "qr")
    qr_path = (folder / f"offer-{offer_uri.rsplit('%2F', 1)[-1][:16]}.png").resolve()
    private_file(qr_path).write_bytes(qr_png(offer_uri))
    if json_output:
        typer.echo(json.dumps({"offer_uri": offer_uri, "tx_code": tx_code, "qr_png": str(qr_path)}))
    else:
        typer.echo(f"offer_uri: {offer_uri}\ntx_code:   {tx_code}\nqr_png:    {qr_path}")


def _set_status(action: str, credential_id: str, server: str | None, data_dir: Path | None) -> None:
    settings = _settings(data_dir)
    if server is not None:
        path = f"/admin/credentials/{quote(credential_id, safe='')}/{action}"
        status = _admin_call(server, settings, "POST", path, None)["status"]
    else:
        issuer = _issuer(settings)
        try:
            getattr(issuer, action)(credential_id)
        except IssuerError as exc:
            _fail(str(exc), 1)
        status = issuer.status_of(credential_id)
    typer.echo(f"{credential_id}: {json.dumps(status)}")


@app.command()
def revoke(credential_id: str, server: ServerOpt = None, data_dir: DataDirOpt = None) -> None:
    """Revoke a credential for good."""
    _set_status("revoke", credential_id, server, data_dir)


@app.command()
def suspend(credential_id: str, server: ServerOpt = None, data_dir: DataDirOpt = None) -> None:
    """Suspend a credential."""
    _set_status("suspend", credential_id, server, data_dir)


@app.command()
def reinstate(credential_id: str, server: ServerOpt = None, data_dir: DataDirOpt = None) -> None:
    """Lift a suspension."""
    _set_status("reinstate", credential_id, server, data_dir)


@app.command()
def purge(data_dir: DataDirOpt = None) -> None:
    """Delete expired offers, tokens, used nonces and deferred requests (the service also
    does this every ten minutes)."""
    typer.echo(f"removed {_issuer(_settings(data_dir)).purge_expired()} expired rows")


@app.command("rotate-key")
def rotate_key(
    source: Annotated[str, typer.Option(help="The source whose key to rotate.")],
    data_dir: DataDirOpt = None,
) -> None:
    """Add a newest issuer key; credentials signed before keep verifying."""
    issuer = _issuer(_settings(data_dir))
    try:
        typer.echo(issuer.rotate_key(source))
    except IssuerError as exc:
        _fail(str(exc), 1)


# Blauwe Knop Plus: recipients, grants and their access logs ------------------------------------

plus_app = typer.Typer(
    help="Blauwe Knop Plus: register recipients; inspect and revoke consent grants.",
    no_args_is_help=True,
)
app.add_typer(plus_app, name="plus")


def _recipient_keys(path: Path | None) -> list[dict[str, str]] | None:
    """The public keys in a DID document or a Multikey JSON file (``None`` without a file)."""
    if path is None:
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        _fail(f"cannot read {path}: {exc}")
    methods = data.get("verificationMethod", [data]) if isinstance(data, dict) else []
    keys = [
        {"id": str(m["id"]), "publicKeyMultibase": str(m["publicKeyMultibase"])}
        for m in methods
        if isinstance(m, dict) and "id" in m and "publicKeyMultibase" in m
    ]
    if not keys:
        _fail(f"{path} holds no key with an id and a publicKeyMultibase")
    return keys


@plus_app.command("register")
def plus_register(
    source: Annotated[str, typer.Option(help="The source the recipient may fetch from.")],
    did: Annotated[str, typer.Option(help="The recipient's DID (did:web or did:key).")],
    name: Annotated[str, typer.Option(help="The recipient's name, as citizens see it.")],
    purpose: Annotated[list[str], typer.Option(help="A purpose it may ask for (repeatable).")],
    scope: Annotated[
        list[str],
        typer.Option(help="CONFIGURATION=claim,claim it may receive (repeatable; / goes deeper)."),
    ],
    key: Annotated[
        Path | None,
        typer.Option(help="Its DID document or Multikey JSON (public keys; not for did:key)."),
    ] = None,
    server: ServerOpt = None,
    data_dir: DataDirOpt = None,
) -> None:
    """Register (or update) an organisation that may receive data with citizens' consent."""
    scopes = []
    for item in scope:
        configuration, equals, claims = item.partition("=")
        names = [n.strip() for n in claims.split(",") if n.strip()]
        if not equals or not names:
            _fail(f"--scope takes CONFIGURATION=claim,claim, got {item!r}")
        paths = [{"path": ["credentialSubject", *n.split("/")]} for n in names]
        scopes.append({"credential_configuration_id": configuration, "claims": paths})
    body = {
        "did": did,
        "name": name,
        "purposes": purpose,
        "scopes": scopes,
        "keys": _recipient_keys(key),
    }
    settings = _settings(data_dir)
    if server is not None:
        shown = _admin_call(server, settings, "POST", f"/admin/{source}/plus/recipients", body)
    else:
        from vc_issuer.plus import PlusService
        from vc_issuer.plus.service import recipient_json

        plus = PlusService(_issuer(settings))
        try:
            record = plus.register_recipient(
                source,
                did=did,
                name=name,
                purposes=purpose,
                scopes=scopes,
                keys=body["keys"],
            )
        except IssuerError as exc:
            _fail(str(exc), 1)
        shown = recipient_json(record)
    typer.echo(json.dumps(shown, indent=2, ensure_ascii=False))


@plus_app.command("grant")
def plus_grant(
    grant_id: str,
    revoke: Annotated[bool, typer.Option("--revoke", help="Revoke the grant first.")] = False,
    server: ServerOpt = None,
    data_dir: DataDirOpt = None,
) -> None:
    """Show a grant with its access log and chain check (and revoke it with --revoke)."""
    settings = _settings(data_dir)
    path = f"/admin/plus/grants/{quote(grant_id, safe=':')}"
    if server is not None:
        if revoke:
            _admin_call(server, settings, "POST", path + "/revoke", None)
        shown = _admin_call(server, settings, "GET", path, None)
    else:
        from vc_issuer.plus import PlusService

        plus = PlusService(_issuer(settings))
        try:
            view = plus.revoke(grant_id) if revoke else plus.grant(grant_id)
            shown = {**view.to_json(), "access_log": plus.access_log(grant_id).to_json()}
        except IssuerError as exc:
            _fail(str(exc), 1)
    typer.echo(json.dumps(shown, indent=2, ensure_ascii=False))
    if not shown["access_log"]["chain_valid"]:
        typer.echo("the access log's hash chain is BROKEN", err=True)
        raise typer.Exit(1)
