"""Settings: environment, demo set-up, DIDs, and the refusals of production mode."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import SecretStr, ValidationError

from vc_issuer.settings import (
    DEVELOPMENT_ADMIN_TOKEN,
    DEVELOPMENT_PASSPHRASE,
    MIN_SECRET_BITS,
    IssuerSettings,
    did_web_for,
    estimated_entropy_bits,
)

STRONG = {
    "mode": "production",
    "key_passphrase": SecretStr("a long operator passphrase"),
    "admin_token": SecretStr("Jk3v9-QpX2_mWz7Lr4tYb8NcHs6dAe1UgF0o"),
}


def test_environment_prefix_and_defaults(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BLAUWE_KNOP_ISSUER_BASE_URL", "https://bron.example.nl/")
    monkeypatch.setenv("BLAUWE_KNOP_ISSUER_BATCH_SIZE", "4")
    settings = IssuerSettings()
    assert settings.base_url == "https://bron.example.nl"
    assert settings.batch_size == 4
    assert settings.resolved_database_url == f"sqlite:///{tmp_path / 'issuer-data' / 'issuer.db'}"
    assert settings.demo_login_enabled


def test_dotenv_file_is_read(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text("BLAUWE_KNOP_ISSUER_DATABASE_URL=postgresql+psycopg://db/x\n")
    assert IssuerSettings().resolved_database_url == "postgresql+psycopg://db/x"


def test_demo_settings() -> None:
    settings = IssuerSettings.demo()
    assert settings.demo_keys
    assert settings.demo_data
    assert settings.mode == "development"
    assert "mode=memory" in settings.resolved_database_url
    assert settings.resolved_database_url != IssuerSettings.demo().resolved_database_url
    assert settings.issuer_dids() == {
        "brp": "did:web:issuer.example.nl:brp",
        "belastingdienst": "did:web:issuer.example.nl:belastingdienst",
        "duo": "did:web:issuer.example.nl:duo",
        "rdw": "did:web:issuer.example.nl:rdw",
    }


@pytest.mark.parametrize(
    ("base_url", "did"),
    [
        ("https://issuer.example.nl", "did:web:issuer.example.nl:rdw"),
        ("https://Issuer.Example.NL:8443", "did:web:issuer.example.nl%3A8443:rdw"),
        ("https://example.nl/bronnen/", "did:web:example.nl:bronnen:rdw"),
    ],
)
def test_did_web_path_form(base_url: str, did: str) -> None:
    assert did_web_for(base_url, "rdw") == did


@pytest.mark.parametrize(
    "base_url", ["http://issuer.example.nl", "https://issuer.example.nl/?x=1", "ftp://x"]
)
def test_base_url_must_be_https(base_url: str) -> None:
    with pytest.raises(ValidationError, match="base_url"):
        IssuerSettings(base_url=base_url)


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"key_passphrase": SecretStr(DEVELOPMENT_PASSPHRASE)}, "key_passphrase"),
        ({"key_passphrase": SecretStr("short")}, "key_passphrase"),
        ({"key_passphrase": SecretStr("a" * 20)}, "key_passphrase.*about 0 bits"),
        ({"key_passphrase": SecretStr("abcabcabcabcabcabcabc")}, "key_passphrase.*80 bits"),
        ({"key_passphrase": SecretStr("abcdefghijklmnopqrstuvwxyz")}, "runs such as 'abc'"),
        ({"admin_token": SecretStr(DEVELOPMENT_ADMIN_TOKEN)}, "admin_token"),
        ({"admin_token": SecretStr("x" * 40)}, "admin_token.*openssl rand"),
        ({"demo_keys": True}, "development only"),
        ({"demo_data": True}, "development only"),
        ({"demo_login": True}, "development only"),
    ],
    ids=[
        "dev_passphrase",
        "short_passphrase",
        "repeated_passphrase",
        "pattern_passphrase",
        "run_passphrase",
        "dev_token",
        "repeated_token",
        "demo_keys",
        "demo_data",
        "demo_login",
    ],
)
def test_production_refuses_development_secrets(change: dict[str, object], reason: str) -> None:
    with pytest.raises(ValidationError, match=reason):
        IssuerSettings.model_validate({**STRONG, **change})
    production = IssuerSettings.model_validate(STRONG)
    assert not production.demo_login_enabled


@pytest.mark.parametrize(
    ("secret", "strong"),
    [
        ("a" * 20, False),
        ("ab" * 16, False),
        ("0123456789" * 3, False),
        ("Password123!Password", False),
        ("a long operator passphrase", True),
        ("correct horse battery staple", True),
        ("k3P!x9Qz@7mW#2vL$8nR", True),
    ],
)
def test_entropy_estimate_refuses_the_obviously_weak(secret: str, strong: bool) -> None:
    assert (estimated_entropy_bits(secret) >= MIN_SECRET_BITS) is strong


@pytest.mark.parametrize(("docs", "served"), [(None, False), (True, True)])
def test_api_docs_are_off_in_production_unless_asked(docs: bool | None, served: bool) -> None:
    production = IssuerSettings.model_validate({**STRONG, "api_docs": docs})
    assert production.api_docs_enabled is served
    assert IssuerSettings.demo().api_docs_enabled
    assert not IssuerSettings.demo(api_docs=False).api_docs_enabled
