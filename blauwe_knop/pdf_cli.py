"""``blauwe-knop pdf make|verify``: certified PDFs (Basis and Basis 2.0) from the command line.

- ``make --bsn BSN --source all|a,b -o FILE [--bundle FILE]``: the sealed
  PDF from the local issuer database: one source gives the Basis PDF, ``all``
  (every source holding data) or a list of sources the aggregated Basis 2.0
  PDF; ``--bundle`` also writes the machine-readable bundle of the same
  credentials. Needs the ``issuer`` extra.
- ``verify FILE [--json] [--trust [DID=]CERT.pem] [--online] [--route ORIGIN=URL]``:
  checks every seal and what it covers, every embedded credential and the
  printed data, per source (:mod:`vc_verifier.certified_pdf`); exit 0 only
  when everything checks, 1 when not, 2 on a usage error. Needs the
  ``verifier-pdf`` extra.

The module lives in the composition root because ``make`` is the issuer's
and ``verify`` the verifier's; each imports its role only when it runs, so a
landlord's install without the issuer extra still has ``pdf verify``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

if TYPE_CHECKING:
    from cryptography import x509

    from vc_issuer.settings import IssuerSettings
    from vc_verifier.certified_pdf import CertifiedPdfReport

__all__ = ["app"]

app = typer.Typer(
    help="Certified PDF copies: make one (Basis or Basis 2.0), or verify its seals and data.",
    no_args_is_help=True,
    add_completion=False,
)

USAGE_ERROR = 2
NOT_VALID = 1
_CHECK_CLIENT = "redirect_uri:http://localhost/pdf-verify"

DataDirOpt = Annotated[
    Path | None, typer.Option("--data-dir", help="The issuer's data folder (SQLite database).")
]


def _fail(message: str, code: int = USAGE_ERROR) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def _issuer_settings(data_dir: Path | None) -> IssuerSettings:
    """The issuer's settings (environment, ``.env``), with ``--data-dir`` if given."""
    from vc_issuer.settings import IssuerSettings

    try:
        return IssuerSettings() if data_dir is None else IssuerSettings(data_dir=data_dir)
    except ValueError as exc:
        _fail(f"settings refused: {exc}")


@app.command("make")
def make(
    bsn: Annotated[str, typer.Option(help="The citizen's BSN.")],
    source: Annotated[
        str, typer.Option(help="One source (Basis), or all / a,b,… (Basis 2.0, with a cover).")
    ],
    output: Annotated[Path, typer.Option("--output", "-o", help="Where to write the PDF.")],
    bundle: Annotated[
        Path | None, typer.Option(help="Also write the bundle of the same credentials (JSON).")
    ] = None,
    data_dir: DataDirOpt = None,
) -> None:
    """Make a sealed PDF of a citizen's data from the local issuer database."""
    try:
        from vc_issuer import Issuer
        from vc_issuer.errors import IssuerError
    except ImportError:
        _fail('pdf make needs the issuer: pip install "blauwe-knop[issuer]"')
    try:
        issuer = Issuer.from_settings(_issuer_settings(data_dir))
    except IssuerError as exc:
        _fail(f"cannot open the issuer: {exc}")
    aggregated = source == "all" or "," in source
    chosen = None if source == "all" else [s.strip() for s in source.split(",") if s.strip()]
    try:
        credentials = issuer.basis_set(bsn, chosen)
        if aggregated:
            pdf = issuer.aggregated_pdf(bsn, credentials)
        else:
            pdf = issuer.certified_pdf(source, bsn, credential=credentials[source])
        output.write_bytes(pdf)
        if bundle is not None:
            document = issuer.aggregated_bundle(credentials)
            bundle.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", "utf-8")
    except IssuerError as exc:
        _fail(str(exc), NOT_VALID)
    except OSError as exc:
        _fail(f"cannot write: {exc}")
    typer.echo(str(output))


def _trusted_seals(trust: list[str], data_dir: Path | None) -> dict[str, list[x509.Certificate]]:
    """``[DID=]CERT.pem`` options, or the local issuer database's certificates."""
    from cryptography import x509

    from vc_verifier.certified_pdf import read_seal_certificate

    seals: dict[str, list[x509.Certificate]] = {}
    for item in trust:
        try:
            dids, certificate = read_seal_certificate(item)
        except ValueError as exc:
            _fail(str(exc))
        for did in dids:
            seals.setdefault(did, []).append(certificate)
    if trust:
        return seals
    try:
        from vc_issuer.db import Database
    except ImportError:
        _fail("give the trusted sealing certificates with --trust [DID=]CERT.pem")
    settings = _issuer_settings(data_dir)
    if settings.database_url is None and not (settings.data_dir / "issuer.db").exists():
        _fail("no local issuer database to take certificates from; give --trust CERT.pem")
    stored = Database.open(settings.resolved_database_url).sealing_certificates()
    return {
        settings.issuer_did(name): [x509.load_pem_x509_certificate(pem.encode())]
        for name, pem in stored.items()
    }


def _print(report: CertifiedPdfReport) -> None:
    manifest = report.manifest
    if manifest is not None:
        whom = f" for {manifest.cover.made_for}" if manifest.cover is not None else ""
        typer.echo(f"certified copy{whom}, made {manifest.made_at:%Y-%m-%d %H:%M} UTC")
    typer.echo(f"checked {'offline' if report.offline else 'online'}; sha256 {report.sha256}")
    for source in report.sources:
        seal, credential, printed = source.seal, source.credential, source.printed
        typer.echo(f"\n{source.source}: {source.name} ({source.issuer})")
        if seal.present:
            state = "intact" if seal.intact else "BROKEN"
            trust = "trusted" if seal.trusted else "NOT TRUSTED"
            typer.echo(f"  seal {seal.field}: {state}, {trust}; {seal.covers}")
            typer.echo(f"    sealed by {seal.signer}")
        else:
            typer.echo(f"  seal {seal.field}: MISSING")
        kinds = ", ".join(t for t in credential.unverified_types if t != "VerifiableCredential")
        verdict = "verified" if credential.verified else "NOT VERIFIED"
        status = f"status {credential.status}" + (" (offline)" if report.offline else "")
        typer.echo(f"  credential {credential.unverified_id or '-'} {kinds}: {verdict}; {status}")
        pages = f"pages {printed.pages[0]}-{printed.pages[1]}"
        typer.echo(f"  printed data ({pages}): {'matches' if printed.matches else 'DIFFERS'}")
        for problem in source.problems:
            typer.echo(f"    {problem.path}: {problem.code}: {problem.detail}")
    for problem in report.problems:
        where = f"{problem.path}: " if problem.path else ""
        typer.echo(f"{where}{problem.code}: {problem.detail}")
    typer.echo(report.summary())
    typer.echo("VALID" if report.valid else "NOT VALID")


@app.command("verify")
def verify(
    file: Annotated[Path, typer.Argument(help="The PDF to check.")],
    trust: Annotated[
        list[str] | None,
        typer.Option(
            help="A trusted sealing certificate, [DID=]CERT.pem (repeatable; without DID= the "
            "certificate's DID alternative names). Default: the local issuer database's."
        ),
    ] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    online: Annotated[
        bool,
        typer.Option(help="Fetch the issuers' DID documents and status lists over HTTPS."),
    ] = False,
    route: Annotated[
        list[str] | None,
        typer.Option(
            help="Development, with --online: fetch ORIGIN from URL (ORIGIN=URL, repeatable)."
        ),
    ] = None,
    data_dir: DataDirOpt = None,
) -> None:
    """Check a certified PDF: each source's seal, embedded credential and printed data."""
    try:
        from vc_core.keys import KeyPair
        from vc_verifier.http import DEFAULT_TIMEOUT, HttpClient, routed_fetch
        from vc_verifier.trust import ANY_TYPE
        from vc_verifier.verifier import Verifier
    except ImportError:
        _fail('pdf verify needs: pip install "blauwe-knop[verifier-pdf]"')
    try:
        data = file.read_bytes()
    except OSError as exc:
        _fail(f"cannot read {file}: {exc.strerror or exc}")
    seals = _trusted_seals(trust or [], data_dir)
    overrides: dict[str, str] = {}
    for item in route or ():
        origin, equals, target = item.partition("=")
        if not equals or not online:
            _fail("--route takes ORIGIN=URL and needs --online")
        overrides[origin] = target
    with HttpClient(timeout=DEFAULT_TIMEOUT, follow_redirects=False) as client:
        verifier = Verifier(
            client_id=_CHECK_CLIENT,
            signing_key=KeyPair.generate("P-256"),
            # Implementation note: pdf verify checks provenance: an organisation whose
            # seal the caller trusts is trusted for whatever credential it sealed.
            trusted_issuers={did: [ANY_TYPE] for did in seals},
            trusted_seals=seals,
            fetch=routed_fetch(client, overrides) if online else None,
        )
        try:
            report = verifier.check_certified_pdf(data)
        except ImportError:
            _fail('pdf verify needs: pip install "blauwe-knop[verifier-pdf]"')
    if json_output:
        typer.echo(json.dumps(report.to_json(), indent=2, ensure_ascii=False))
    else:
        _print(report)
    if not report.valid:
        raise typer.Exit(NOT_VALID)
