"""``blauwe-knop vc``: sign, derive, verify and canonicalize Data Integrity documents.

``blauwe-knop vc keygen|sign|derive|verify|canonicalize`` works on JSON files
(or ``-`` for stdin) and writes JSON or N-Quads to stdout (or ``--output``).
Keys are Multikey JSON files in the format of the W3C vector key pairs.
``verify`` exits 0 when verified, 1 when not (one line per problem, starting
with its code), and 2 on a usage error. The ``blauwe-knop`` command itself
(``blauwe_knop.cli``) puts this group next to the role packages' groups. The
JSON-LD engine is imported by the commands that need it, so ``keygen`` starts
without it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from vc_core.errors import VcError, VerificationError
from vc_core.keys import Curve, KeyPair
from vc_core.loader import OfflineDocumentLoader, document_loader
from vc_core.types import CryptosuiteName, JsonObject

__all__ = ["app"]

app = typer.Typer(
    name="vc",
    help="Sign, derive, verify and canonicalize Data Integrity documents.",
    no_args_is_help=True,
    add_completion=False,
)

USAGE_ERROR = 2
NOT_VERIFIED = 1

InputArg = Annotated[str, typer.Argument(help="JSON file to read, or - for stdin.")]
OutputOpt = Annotated[
    Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")
]
ContextOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--context",
        help="Extra JSON-LD context as URL=FILE (repeatable); nothing is ever fetched.",
    ),
]


def _fail(message: str, code: int = USAGE_ERROR) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def _read_text(source: str) -> str:
    if source == "-":
        return sys.stdin.read()
    try:
        return Path(source).read_text(encoding="utf-8")
    except OSError as exc:
        _fail(f"cannot read {source}: {exc.strerror or exc}")


def _read_json(source: str) -> Any:
    try:
        return json.loads(_read_text(source))
    except json.JSONDecodeError as exc:
        _fail(f"{source} is not JSON: {exc}")


def _read_object(source: str) -> JsonObject:
    value = _read_json(source)
    if not isinstance(value, dict):
        _fail(f"{source} must hold a JSON object")
    return value


def _write(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")


def _write_json(value: Any, output: Path | None) -> None:
    _write(json.dumps(value, indent=2, ensure_ascii=False) + "\n", output)


def _loader(contexts: list[str] | None) -> OfflineDocumentLoader:
    extra: dict[str, JsonObject] = {}
    for item in contexts or ():
        url, sep, file = item.partition("=")
        if not sep or not url or not file:
            _fail(f"--context takes URL=FILE, got {item!r}")
        extra[url] = _read_object(file)
    try:
        return document_loader(extra_contexts=extra)
    except (TypeError, ValueError) as exc:
        _fail(str(exc))


def _load_key(path: str) -> KeyPair:
    try:
        return KeyPair.from_multikey(_read_object(path))
    except ValueError as exc:
        _fail(f"{path} is not a Multikey key pair: {exc}")


@app.command()
def keygen(
    curve: Annotated[str, typer.Option(help="P-256, P-384 or Ed25519.")] = "P-256",
    output: OutputOpt = None,
) -> None:
    """Generate a key pair; print it as Multikey JSON with its did:key id (SECRET inside)."""
    if curve not in ("P-256", "P-384", "Ed25519"):
        _fail(f"unknown curve {curve!r}; use P-256, P-384 or Ed25519")
    chosen: Curve = curve  # type: ignore[assignment]
    fresh = KeyPair.generate(chosen)
    did = "did:key:" + fresh.public.multibase
    key = KeyPair(fresh.public, fresh.private_key, f"{did}#{fresh.public.multibase}", did)
    _write_json(key.to_multikey(include_secret=True), output)


@app.command("sign")
def sign_command(
    source: InputArg,
    key: Annotated[str, typer.Option(help="Multikey key-pair JSON file.")],
    cryptosuite: Annotated[
        str | None,
        typer.Option(help="ecdsa-sd-2023, ecdsa-rdfc-2019 or eddsa-rdfc-2022."),
    ] = None,
    mandatory: Annotated[
        list[str] | None,
        typer.Option(help="ecdsa-sd-2023 mandatory JSON Pointer (repeatable)."),
    ] = None,
    purpose: Annotated[str, typer.Option(help="Proof purpose.")] = "assertionMethod",
    verification_method: Annotated[
        str | None, typer.Option(help="Verification method id (default: the key's id).")
    ] = None,
    challenge: Annotated[str | None, typer.Option()] = None,
    domain: Annotated[str | None, typer.Option()] = None,
    context: ContextOpt = None,
    output: OutputOpt = None,
) -> None:
    """Add a Data Integrity proof to a JSON-LD document."""
    from vc_core.proofs import sign

    if cryptosuite not in (None, "ecdsa-sd-2023", "ecdsa-rdfc-2019", "eddsa-rdfc-2022"):
        _fail(f"unknown cryptosuite {cryptosuite!r}")
    suite: CryptosuiteName | None = cryptosuite  # type: ignore[assignment]
    document = _read_object(source)
    key_pair = _load_key(key)
    try:
        signed = sign(
            document,
            key_pair,
            cryptosuite=suite,
            mandatory_pointers=mandatory or (),
            verification_method=verification_method,
            proof_purpose=purpose,
            challenge=challenge,
            domain=domain,
            document_loader=_loader(context),
        )
    except (VcError, ValueError) as exc:
        _fail(str(exc), NOT_VERIFIED)
    _write_json(signed, output)


@app.command("derive")
def derive_command(
    source: InputArg,
    selective: Annotated[
        list[str] | None,
        typer.Option(help="JSON Pointer of a claim to disclose (repeatable)."),
    ] = None,
    context: ContextOpt = None,
    output: OutputOpt = None,
) -> None:
    """Derive an ecdsa-sd-2023 disclosure that reveals only the selected claims."""
    from vc_core.proofs import derive

    document = _read_object(source)
    try:
        derived = derive(
            document, selective_pointers=selective or (), document_loader=_loader(context)
        )
    except VcError as exc:
        _fail(str(exc), NOT_VERIFIED)
    _write_json(derived, output)


@app.command("verify")
def verify_command(
    source: InputArg,
    challenge: Annotated[str | None, typer.Option(help="Required proof challenge.")] = None,
    domain: Annotated[str | None, typer.Option(help="Required proof domain.")] = None,
    purpose: Annotated[str | None, typer.Option(help="Expected proof purpose.")] = None,
    context: ContextOpt = None,
) -> None:
    """Verify every proof; exit 0 when verified, 1 when not."""
    from vc_core.proofs import verify

    try:
        document = json.loads(_read_text(source))
    except json.JSONDecodeError as exc:
        # Implementation note: unparsable input is an unverified document, not a usage error.
        typer.echo(f"PARSING_ERROR: {source} is not JSON: {exc}")
        raise typer.Exit(NOT_VERIFIED) from None
    try:
        result = verify(
            document,
            challenge=challenge,
            domain=domain,
            expected_proof_purpose=purpose,
            document_loader=_loader(context),
        )
    except VerificationError as exc:
        for problem in exc.problems:
            where = f" at {problem.path}" if problem.path else ""
            typer.echo(f"{problem.code}{where}: {problem.detail}")
        raise typer.Exit(NOT_VERIFIED) from None
    methods = ", ".join(str(p.get("verificationMethod")) for p in result.proofs)
    typer.echo(f"verified ({len(result.proofs)} proof(s); {methods})")


@app.command("canonicalize")
def canonicalize_command(
    source: InputArg,
    hash_name: Annotated[
        str, typer.Option("--hash", help="RDFC-1.0 hash: sha256, or sha384 for P-384.")
    ] = "sha256",
    context: ContextOpt = None,
    output: OutputOpt = None,
) -> None:
    """Print the RDFC-1.0 canonical N-Quads of a JSON-LD document."""
    from vc_core.proofs import canonicalize

    if hash_name not in ("sha256", "sha384"):
        _fail("--hash must be sha256 or sha384")
    document = _read_json(source)
    try:
        nquads = canonicalize(
            document,
            document_loader=_loader(context),
            hash_name="sha384" if hash_name == "sha384" else "sha256",
        )
    except VcError as exc:
        _fail(str(exc), NOT_VERIFIED)
    _write(nquads, output)
