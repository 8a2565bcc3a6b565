"""``blauwe-knop wallet``: a wallet in a folder, from the command line.

``blauwe-knop wallet [--wallet DIR] init|trust|receive|poll|list|show|present|log|backup|
restore|export|delete`` and ``consent grant|list|show|revoke`` (Blauwe Knop Plus).
The folder (default ``~/.blauwe-knop/wallet``, or
``BLAUWE_KNOP_WALLET_DIR``) holds ``wallet.db`` (the encrypted store) and
``config.json`` (the trusted issuers and verifiers). The passphrase comes from
``BLAUWE_KNOP_WALLET_PASSPHRASE`` or a prompt; a backup's from
``BLAUWE_KNOP_BACKUP_PASSPHRASE`` or a prompt. Errors print their code and
exit 1; usage errors exit 2.

Programs and tests may pass a :class:`CliSettings` as Typer's ``obj`` to
inject the HTTP client, the name resolver, the Argon2id cost and the clock. ``list``,
``show`` and
``log`` read the store only; the protocol code (JSON-LD, HTTP) is imported by
the commands that talk to issuers and verifiers.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from vc_core.errors import VcError
from vc_core.files import private_directory
from vc_core.types import Clock, JsonObject
from wallet_sdk import _json
from wallet_sdk.activity import export_activity
from wallet_sdk.errors import IssuerResponseError, StoreError
from wallet_sdk.qr_image import decode_qr_image
from wallet_sdk.records import StoredCredential
from wallet_sdk.store import Argon2Params, EncryptedStore

if TYPE_CHECKING:
    from wallet_sdk.consent import ConsentGrant
    from wallet_sdk.http import HttpClient, Resolver
    from wallet_sdk.offers import CredentialOffer
    from wallet_sdk.wallet import Wallet

__all__ = ["BACKUP_PASSPHRASE_ENV", "PASSPHRASE_ENV", "WALLET_DIR_ENV", "CliSettings", "app"]

WALLET_DIR_ENV = "BLAUWE_KNOP_WALLET_DIR"
PASSPHRASE_ENV = "BLAUWE_KNOP_WALLET_PASSPHRASE"
BACKUP_PASSPHRASE_ENV = "BLAUWE_KNOP_BACKUP_PASSPHRASE"
DEFAULT_DIR = Path.home() / ".blauwe-knop" / "wallet"
_STORE = "wallet.db"
_CONFIG = "config.json"
FAILED = 1
USAGE_ERROR = 2


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _default_client() -> HttpClient:
    from wallet_sdk.http import default_client

    return default_client()


@dataclass(frozen=True, slots=True)
class CliSettings:
    """What a program embedding the CLI may inject (tests: a TestClient, cheap Argon2id)."""

    http_factory: Callable[[], HttpClient] = _default_client
    kdf: Argon2Params | None = None
    clock: Clock = field(default=_utc_now)
    resolve: Resolver | None = None
    """The name resolver (``None``: the system's)."""


@dataclass(frozen=True, slots=True)
class _State:
    directory: Path
    settings: CliSettings

    @property
    def store_path(self) -> Path:
        return self.directory / _STORE

    @property
    def config_path(self) -> Path:
        return self.directory / _CONFIG


app = typer.Typer(
    name="wallet",
    help="A citizen's credential wallet: receive, keep and present credentials.",
    no_args_is_help=True,
    add_completion=False,
)


def _fail(message: str, code: int = FAILED) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


@app.callback()
def _main(
    ctx: typer.Context,
    wallet: Annotated[
        Path,
        typer.Option("--wallet", envvar=WALLET_DIR_ENV, help="The wallet folder."),
    ] = DEFAULT_DIR,
) -> None:
    settings = ctx.obj if isinstance(ctx.obj, CliSettings) else CliSettings()
    ctx.obj = _State(wallet, settings)


def _state(ctx: typer.Context) -> _State:
    state = ctx.find_object(_State)
    if state is None:  # pragma: no cover - the callback always sets it
        raise RuntimeError("wallet CLI state missing")
    return state


def _passphrase(env: str, prompt: str, *, confirm: bool = False) -> str:
    value = os.environ.get(env)
    if value:
        return value
    entered: str = typer.prompt(prompt, hide_input=True, confirmation_prompt=confirm)
    return entered


def _read_config(state: _State) -> dict[str, Any]:
    try:
        config = json.loads(state.config_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        _fail(f"no wallet in {state.directory}; run 'blauwe-knop wallet init' first")
    except (OSError, ValueError) as exc:
        _fail(f"cannot read {state.config_path}: {exc}")
    if not isinstance(config, dict) or not isinstance(config.get("trusted_issuers"), list):
        _fail(f"{state.config_path} is not a wallet configuration")
    return config


def _write_config(state: _State, config: dict[str, Any]) -> None:
    state.config_path.write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")


@contextmanager
def _store(state: _State, *, create: bool = False) -> Iterator[EncryptedStore]:
    """Open the encrypted store with the wallet passphrase; errors become a clean exit."""
    passphrase = _passphrase(PASSPHRASE_ENV, "Wallet passphrase")
    try:
        store = EncryptedStore.open(
            state.store_path, passphrase=passphrase, kdf=state.settings.kdf, create=create
        )
    except FileNotFoundError:
        _fail(f"no wallet store in {state.directory}; run 'blauwe-knop wallet init' first")
    except VcError as exc:
        _fail(str(exc))
    try:
        yield store
    finally:
        store.close()


@contextmanager
def _wallet(state: _State, *, create: bool = False) -> Iterator[Wallet]:
    """Open the wallet (store, client, trust list); any VcError becomes a clean exit."""
    from wallet_sdk.wallet import Wallet

    config = _read_config(state)
    with _store(state, create=create) as store:
        try:
            yield Wallet(
                store=store,
                http=state.settings.http_factory(),
                trusted_issuers=config["trusted_issuers"],
                trusted_verifiers=config.get("trusted_verifiers", []),
                clock=state.settings.clock,
                resolve=state.settings.resolve,
            )
        except VcError as exc:
            _fail(str(exc))
        except ValueError as exc:
            _fail(str(exc), USAGE_ERROR)


def _check_trust(values: list[str]) -> list[str]:
    from wallet_sdk.trust import trusted_issuer_map

    try:
        trusted_issuer_map(values)
    except ValueError as exc:
        _fail(str(exc), USAGE_ERROR)
    return values


@app.command()
def init(
    ctx: typer.Context,
    trust: Annotated[
        list[str] | None,
        typer.Option(help="A trusted issuer: did:web DID or https URL (repeatable)."),
    ] = None,
) -> None:
    """Create a new, empty wallet protected by a passphrase."""
    state = _state(ctx)
    if state.store_path.exists():
        _fail(f"{state.store_path} already exists")
    private_directory(state.directory)
    _write_config(state, {"trusted_issuers": _check_trust(list(trust or []))})
    passphrase = _passphrase(PASSPHRASE_ENV, "New wallet passphrase", confirm=True)
    EncryptedStore.open(state.store_path, passphrase=passphrase, kdf=state.settings.kdf).close()
    typer.echo(f"wallet created in {state.directory}")


@app.command("trust")
def trust_command(
    ctx: typer.Context,
    party: Annotated[str, typer.Argument(help="A did:web DID or an https URL.")],
    verifier: Annotated[
        bool,
        typer.Option(
            "--verifier",
            help="Trust a verifier (reached even at a private address, e.g. a development "
            "landlord page on localhost) instead of an issuer.",
        ),
    ] = False,
) -> None:
    """Add an issuer (or, with --verifier, a verifier) to the wallet's trusted parties."""
    from wallet_sdk.trust import trusted_origins

    state = _state(ctx)
    config = _read_config(state)
    if verifier:
        try:
            trusted_origins([party])
        except ValueError as exc:
            _fail(str(exc), USAGE_ERROR)
        config["trusted_verifiers"] = [*config.get("trusted_verifiers", []), party]
    else:
        config["trusted_issuers"] = _check_trust([*config["trusted_issuers"], party])
    _write_config(state, config)
    typer.echo(f"trusted {'verifier' if verifier else 'issuer'}: {party}")


def _offer_text(source: str) -> str:
    """The scanned text: ``source`` itself, or the QR code in the image file it names."""
    path = Path(source)
    if "://" not in source and path.is_file():
        return decode_qr_image(path)
    return source


def _describe(stored: StoredCredential) -> str:
    name = stored.credential_name or stored.types[-1]
    return f"{stored.id}  {name}  from {stored.issuer_name or stored.credential_issuer}"


@app.command()
def receive(
    ctx: typer.Context,
    source: Annotated[str, typer.Argument(help="Offer URI, or a QR image file.")],
    tx_code: Annotated[
        str | None, typer.Option("--tx-code", help="The code the issuer sent separately.")
    ] = None,
    copies: Annotated[int, typer.Option(min=1, help="Copies to ask for (batch).")] = 1,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Accept without asking.")] = False,
) -> None:
    """Receive a credential from an offer (pre-authorized code flow)."""
    state = _state(ctx)
    with _wallet(state) as wallet:
        preview = wallet.preview_offer(wallet.parse_offer(_offer_text(source)))
        offer: CredentialOffer = preview.offer
        if not preview.trusted:
            _fail(f"{offer.credential_issuer} is not a trusted issuer (see 'wallet trust')")
        names = [c.name or c.id for c in preview.configurations]
        typer.echo(f"{preview.issuer_name or offer.credential_issuer} offers: {', '.join(names)}")
        if not yes and not typer.confirm("Accept?"):
            raise typer.Exit(FAILED)
        if offer.tx_code is not None and tx_code is None:
            tx_code = typer.prompt(offer.tx_code.description or "Transaction code")
        try:
            saved = wallet.accept_offer(preview, tx_code=tx_code, copies=copies)
        except IssuerResponseError as exc:
            if exc.code != "ISSUANCE_PENDING":
                raise
            typer.echo("the issuer will deliver later; run 'blauwe-knop wallet poll' to collect")
            return
        for stored in saved:
            typer.echo(f"saved {_describe(stored)}")


@app.command()
def poll(ctx: typer.Context) -> None:
    """Collect credentials whose issuance was deferred, if they are ready."""
    with _wallet(_state(ctx)) as wallet:
        saved = wallet.poll_deferred()
        waiting = len(wallet.pending())
    for stored in saved:
        typer.echo(f"saved {_describe(stored)}")
    typer.echo(f"{waiting} still pending")


@app.command("list")
def list_command(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List the credentials in the wallet."""
    with _store(_state(ctx)) as store:
        credentials = store.credentials()
    if as_json:
        summary = [
            {
                "id": c.id,
                "types": list(c.types),
                "issuer": c.issuer,
                "credential_issuer": c.credential_issuer,
                "issuer_name": c.issuer_name,
                "name": c.credential_name,
                "received_at": c.received_at,
                "use_count": c.use_count,
            }
            for c in credentials
        ]
        typer.echo(json.dumps(summary, indent=2, ensure_ascii=False))
        return
    for stored in credentials:
        typer.echo(_describe(stored))


@app.command()
def show(ctx: typer.Context, credential_id: str) -> None:
    """Print one credential's content (without its base proof, which stays in the wallet)."""
    with _store(_state(ctx)) as store:
        try:
            stored = store.get_credential(credential_id)
        except StoreError as exc:
            _fail(str(exc))
    content = {name: value for name, value in stored.credential.items() if name != "proof"}
    typer.echo(json.dumps(content, indent=2, ensure_ascii=False))


@app.command()
def present(
    ctx: typer.Context,
    uri: Annotated[str, typer.Argument(help="The openid4vp:// request, or a QR image file.")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Send without asking.")] = False,
) -> None:
    """Answer a verifier's request with only the claims it asks for."""
    with _wallet(_state(ctx)) as wallet:
        request = wallet.open_request(_offer_text(uri))
        match = wallet.match(request)
        typer.echo(f"{request.client_name or request.verifier} ({request.client_id}) asks")
        if request.purpose:
            typer.echo(f"  purpose: {request.purpose}")
        for candidate in match.chosen():
            stored = wallet.credential(candidate.credential_id)
            typer.echo(f"  from {_describe(stored)}:")
            for pointer, value in candidate.claims.items():
                typer.echo(f"    {pointer} = {_json.dumps(value)}")
        if not yes and not typer.confirm("Share these claims?"):
            wallet.decline(request)
            raise typer.Exit(FAILED)
        result = wallet.send(wallet.present(request, match))
        typer.echo("sent" + (f"; continue at {result.redirect_uri}" if result.redirect_uri else ""))


@app.command()
def log(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print the log as JSON.")] = False,
) -> None:
    """Show the activity and consent log: who got what, when, and why."""
    state = _state(ctx)
    with _store(state) as store:
        entries = store.activity()
    if as_json:
        typer.echo(export_activity(entries, exported_at=state.settings.clock()))
        return
    for entry in entries:
        purpose = f" ({entry.purpose})" if entry.purpose else ""
        typer.echo(f"{entry.at}  {entry.event:<9}  {entry.counterparty}{purpose}")
        for claim in entry.claims:
            typer.echo(f"    {claim}")


@app.command()
def backup(ctx: typer.Context, file: Path) -> None:
    """Write an encrypted backup of the whole wallet (keys included) to FILE."""
    state = _state(ctx)
    with _wallet(state) as wallet:
        passphrase = _passphrase(BACKUP_PASSPHRASE_ENV, "Backup passphrase", confirm=True)
        count = wallet.backup(file, passphrase=passphrase, kdf=state.settings.kdf)
    typer.echo(f"backed up {count} records to {file}")


@app.command()
def restore(ctx: typer.Context, file: Path) -> None:
    """Restore a backup into this wallet folder (created if it does not exist yet)."""
    state = _state(ctx)
    if not state.config_path.exists():
        private_directory(state.directory)
        _write_config(state, {"trusted_issuers": []})
    with _wallet(state, create=True) as wallet:
        passphrase = _passphrase(BACKUP_PASSPHRASE_ENV, "Backup passphrase")
        try:
            count = wallet.restore(file, passphrase=passphrase)
        except OSError as exc:
            _fail(f"cannot read {file}: {exc}")
    typer.echo(f"restored {count} records")


@app.command()
def export(ctx: typer.Context, file: Path, credential_ids: list[str]) -> None:
    """Write one holder-signed presentation bundling full copies of the given credentials."""
    with _wallet(_state(ctx)) as wallet:
        document = wallet.export(credential_ids)
    file.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    typer.echo(f"exported {len(credential_ids)} credentials to {file}")


@app.command()
def delete(ctx: typer.Context, credential_id: str) -> None:
    """Delete a credential from the wallet."""
    with _wallet(_state(ctx)) as wallet:
        wallet.delete(credential_id)
    typer.echo(f"deleted {credential_id}")


# Blauwe Knop Plus: consent for a source to share data straight with an organisation.

consent_app = typer.Typer(
    help="Let a source share your data with an organisation; list and revoke those consents.",
    no_args_is_help=True,
)
app.add_typer(consent_app, name="consent")


def _share(value: str, wallet: Wallet) -> JsonObject:
    """``URL[#CONFIGURATION]=claim,claim`` → one scope entry (configuration from the wallet)."""
    target, equals, claims = value.partition("=")
    location, _, configuration = target.partition("#")
    names = [name.strip() for name in claims.split(",") if name.strip()]
    if not equals or not names:
        _fail(f"--share takes ISSUER_URL[#CONFIGURATION]=claim,claim, got {value!r}", USAGE_ERROR)
    location = location.rstrip("/")
    if not configuration:
        known = {
            c.configuration_id for c in wallet.credentials() if c.credential_issuer == location
        }
        if len(known) != 1:
            _fail(f"name the configuration: {location}#CONFIGURATION=… (known: {sorted(known)})")
        configuration = known.pop()
    from wallet_sdk.consent import claim_scope

    return claim_scope(location, configuration, names)


def _consent_line(grant: ConsentGrant) -> str:
    until = f"until {grant.valid_until}" + (f", {grant.max_uses} use(s)" if grant.max_uses else "")
    name = grant.recipient_name or grant.recipient
    return f"{grant.id}  {grant.status:<7}  {name} ({grant.purpose}), {until}"


@consent_app.command("grant")
def consent_grant(
    ctx: typer.Context,
    source: Annotated[str, typer.Option(help="The source (issuer URL) that records the consent.")],
    recipient: Annotated[str, typer.Option(help="The organisation's DID.")],
    purpose: Annotated[str, typer.Option(help="The purpose it is registered for.")],
    share: Annotated[
        list[str],
        typer.Option(help="ISSUER_URL[#CONFIGURATION]=claim,claim (repeatable; / goes deeper)."),
    ],
    until: Annotated[
        str | None, typer.Option(help="End of the consent (ISO 8601; default 30 days).")
    ] = None,
    once: Annotated[bool, typer.Option("--once", help="One fetch per source only.")] = False,
    out: Annotated[
        Path | None, typer.Option(help="Write the signed grant here (to give the organisation).")
    ] = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Consent without asking.")] = False,
) -> None:
    """Consent to the sources sharing the given claims with an organisation."""
    valid_until = None
    if until is not None:
        try:
            valid_until = datetime.fromisoformat(until)
        except ValueError:
            _fail(f"--until takes an ISO 8601 date-time, got {until!r}", USAGE_ERROR)
        if valid_until.tzinfo is None:
            _fail("--until needs a time zone (e.g. 2026-06-01T00:00:00Z)", USAGE_ERROR)
    with _wallet(_state(ctx)) as wallet:
        scope = [_share(value, wallet) for value in share]
        typer.echo(f"{recipient} may fetch, for {purpose!r}:")
        for entry in scope:
            for claim in entry["claims"]:
                typer.echo(f"  {entry['locations'][0]}  {'/'.join(claim['path'][1:])}")
        if not yes and not typer.confirm("Give this consent?"):
            raise typer.Exit(FAILED)
        grant = wallet.grant_consent(
            source=source,
            recipient=recipient,
            purpose=purpose,
            scope=scope,
            valid_until=valid_until,
            max_uses=1 if once else None,
        )
    if out is not None:
        out.write_text(json.dumps(grant.document, indent=2) + "\n", encoding="utf-8")
    typer.echo(f"granted {_consent_line(grant)}")


@consent_app.command("list")
def consent_list(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List the consents given from this wallet."""
    with _wallet(_state(ctx)) as wallet:
        grants = wallet.consents()
    if as_json:
        typer.echo(json.dumps([g.to_json() for g in grants], indent=2, ensure_ascii=False))
        return
    for grant in grants:
        typer.echo(_consent_line(grant))


@consent_app.command("show")
def consent_show(
    ctx: typer.Context,
    grant_id: str,
    document: Annotated[
        bool, typer.Option("--document", help="Print the signed grant instead.")
    ] = False,
) -> None:
    """Show a consent as its source sees it now: status, uses and every access."""
    with _wallet(_state(ctx)) as wallet:
        if document:
            typer.echo(json.dumps(wallet.consent(grant_id).document, indent=2))
            return
        status = wallet.consent_status(grant_id)
    uses = ", ".join(f"{source}: {count}" for source, count in status.uses.items())
    typer.echo(f"{grant_id}: {status.status}; uses {uses}")
    typer.echo(f"access log ({'intact' if status.chain_valid else 'BROKEN'}):")
    for entry in status.entries:
        what = entry.get("error") or ", ".join(entry.get("detail", {}).get("claims", []))
        typer.echo(
            f"  {entry.get('seq'):>3} {entry.get('at')}  {entry.get('event'):<8} "
            f"{entry.get('source') or '-'}  {entry.get('actor') or '-'}  {what}"
        )


@consent_app.command("revoke")
def consent_revoke(ctx: typer.Context, grant_id: str) -> None:
    """Revoke a consent at once: the organisation can fetch nothing more under it."""
    with _wallet(_state(ctx)) as wallet:
        grant = wallet.revoke_consent(grant_id)
    typer.echo(f"revoked {_consent_line(grant)}")
