"""The ``blauwe-knop`` command line: every package's commands under one name, loaded when named.

``blauwe-knop vc|issuer|pdf|wallet|verifier|demo …``. Each group lives in its
own module (``vc_core.cli``, ``vc_issuer.cli``, ``wallet_sdk.cli``,
``vc_verifier.cli``, ``blauwe_knop.pdf_cli``, ``blauwe_knop.demo``) and is
imported only when its name is on the command line, so ``blauwe-knop vc
keygen`` never loads the issuer's web framework, database or PDF libraries.
``blauwe-knop --help`` lists the groups from :data:`COMMANDS` without importing
any of them.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from types import MappingProxyType

import typer

__all__ = ["COMMANDS", "Command", "app", "load", "main"]


@dataclass(frozen=True, slots=True)
class Command:
    """A command group: where its Typer app is, its one-line help, and the extra it needs."""

    target: str
    help: str
    extra: str | None = None


COMMANDS = MappingProxyType(
    {
        "vc": Command(
            "vc_core.cli:app", "Sign, derive, verify and canonicalize Data Integrity documents."
        ),
        "issuer": Command(
            "vc_issuer.cli:app", "Run and operate the issuer service of the sources.", "issuer"
        ),
        "pdf": Command(
            "blauwe_knop.pdf_cli:app",
            "Certified PDF copies: make one (Basis or Basis 2.0), or verify its seals and data.",
        ),
        "wallet": Command(
            "wallet_sdk.cli:app",
            "A citizen's credential wallet: receive, keep and present credentials.",
        ),
        "verifier": Command(
            "vc_verifier.cli:app", "Relying party: request, check and record income presentations."
        ),
        "demo": Command(
            "blauwe_knop.demo:app",
            "Run the whole journey against a real issuer server on loopback.",
            "issuer",
        ),
    }
)
"""The command groups by name; each ``help`` is also the first line of its app's own help."""

_USAGE_ERROR = 2
_OWN_PACKAGES = frozenset({"vc_core", "vc_issuer", "wallet_sdk", "vc_verifier", "blauwe_knop"})

app = typer.Typer(
    name="blauwe-knop",
    help="Citizens' government data as W3C Verifiable Credentials.",
    no_args_is_help=True,
    add_completion=False,
)


def load(name: str) -> typer.Typer:
    """Import the command group ``name`` (a usage error naming the extra when one is missing)."""
    command = COMMANDS[name]
    module_name, _, attribute = command.target.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if command.extra is None or (exc.name or "").split(".")[0] in _OWN_PACKAGES:
            raise
        typer.echo(
            f"error: 'blauwe-knop {name}' needs the {command.extra} extra "
            f"(missing module {exc.name}): pip install 'blauwe-knop[{command.extra}]'",
            err=True,
        )
        raise typer.Exit(_USAGE_ERROR) from None
    group: typer.Typer = getattr(module, attribute)
    return group


def _delegate(name: str) -> Callable[[typer.Context], None]:
    def run(ctx: typer.Context) -> None:
        # Implementation note: the group is imported here, when it runs; its own parser
        # reads the rest of the command line (its --help included).
        typer.main.get_command(load(name)).main(
            args=ctx.args, prog_name=f"{ctx.find_root().info_name} {name}", obj=ctx.obj
        )

    return run


for _name, _command in COMMANDS.items():
    app.command(
        _name,
        help=_command.help,
        add_help_option=False,
        context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
    )(_delegate(_name))


def main() -> None:
    """Entry point of the ``blauwe-knop`` console script."""
    app()
