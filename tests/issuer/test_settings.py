"""Settings: environment, demo set-up, DIDs, and the refusals of production mode."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import SecretStr, ValidationError

from vc_issuer.settings import (
    DEVELOPMENT_ADMIN_TOKEN,
    DEVELOPMENT_PASSPHRASE,
    IssuerSettings,
    did_web_for,
)

STRONG = {
    "mode": "production",
    "key_passphrase": SecretStr("a long operator passphrase"),
    "admin_token": SecretStr("x" * 40),
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
        ({"admin_token": SecretStr(DEVELOPMENT_ADMIN_TOKEN)}, "admin_token"),
        ({"demo_keys": True}, "development only"),
        ({"demo_data": True}, "development only"),
        ({"demo_login": True}, "development only"),
    ],
    ids=["dev_passphrase", "short_passphrase", "dev_token", "demo_keys", "demo_data", "demo_login"],
)
def test_production_refuses_development_secrets(change: dict[str, object], reason: str) -> None:
    with pytest.raises(ValidationError, match=reason):
        IssuerSettings.model_validate({**STRONG, **change})
    production = IssuerSettings.model_validate(STRONG)
    assert not production.demo_login_enabled
