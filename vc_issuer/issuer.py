"""The Issuer: register record → credential → status entries → ecdsa-sd-2023 base proof.

Every credential configuration also comes as SD-JWT VC (``vc_issuer.sd_jwt_vc``):
register record → claims → a Token Status List entry → an SD-JWT VC with its
Disclosures, signed with the same source key. Framework-free: the web app,
the CLI and notebooks all drive this class.

>>> from vc_core import KeyPair, did_key
>>> from vc_issuer.settings import IssuerSettings
>>> issuer = Issuer.from_settings(IssuerSettings.demo(demo_people=10))
>>> holder = did_key(KeyPair.generate())
>>> vc = issuer.issue_credential("belastingdienst", bsn="999993653",
...                              configuration_id="InkomensverklaringCredential_ldp_vc",
...                              holder_did=holder)
>>> vc["issuer"], vc["credentialSubject"]["belastingjaar"], vc["proof"]["cryptosuite"]
('did:web:issuer.example.nl:belastingdienst', 2024, 'ecdsa-sd-2023')
>>> issuer.revoke(vc["id"])
>>> issuer.status_of(vc["id"])
{'revocation': 1, 'suspension': 0}
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import secrets
import threading
import uuid
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal

from vc_core.did import DID_CONTEXT, MULTIKEY_CONTEXT
from vc_core.errors import ProofGenerationError, VcError
from vc_core.files import private_directory
from vc_core.formats import FORMATS, SD_JWT_VC
from vc_core.keys import KeyPair, PublicKey
from vc_core.loader import CREDENTIALS_V2_URL, NL_VC_V1_URL
from vc_core.proofs import sign
from vc_core.sd_jwt import create_jwt_vc_issuer_metadata, issue_sd_jwt_vc
from vc_core.types import Clock, CryptosuiteName, JsonObject
from vc_issuer.api_issuers import API_ISSUERS
from vc_issuer.bundle import aggregated_bundle
from vc_issuer.db import CredentialRecord, Database, Unit
from vc_issuer.errors import NotFound, StartupRefused
from vc_issuer.keys import KeyRing
from vc_issuer.migrations import upgrade_database
from vc_issuer.offers import CreatedOffer, Offers
from vc_issuer.sd_jwt_vc import (
    disclosable_paths,
    integrity,
    sd_jwt_claims,
    sd_jwt_vc_twin,
    type_metadata_text,
    vct_for,
)
from vc_issuer.settings import IssuerSettings
from vc_issuer.sources import (
    DEMO_BSN,
    CredentialConfiguration,
    Source,
    SubjectClaims,
    default_sources,
    load_published_limits,
    registers_seeded,
    seed_registers,
)
from vc_issuer.status_lists import PURPOSES, TOKEN_STATUS_LIST, StatusLists, StatusSlot

if TYPE_CHECKING:
    from vc_issuer.pdf import SealingIdentity

__all__ = [
    "BASIS_2_BUNDLE",
    "BASIS_2_PDF",
    "BASIS_2_ZIP",
    "DEFAULT_MANDATORY_POINTERS",
    "DEMO_TX_CODE",
    "Basis2Format",
    "Download",
    "IssuedCredential",
    "IssuedHook",
    "Issuer",
    "existing_pointers",
]

DEFAULT_MANDATORY_POINTERS: tuple[str, ...] = (
    "/issuer",
    "/validFrom",
    "/validUntil",
    "/credentialStatus",
    "/credentialSubject/id",
    "/type",
    "/credentialSubject/type",
)
"""What a holder can never hide; sources add per-type claims.

See docs/protocols.md, "Credential shape" and P10.
"""
DEMO_TX_CODE = "000000"
"""The tx_code of :meth:`Issuer.demo_offer` (development only)."""
IssuedHook = Callable[[Unit, str, Sequence[CredentialRecord]], None]
"""Called in the issuing transaction with the unit, the citizen's BSN and the new records."""
IssuedCredential = JsonObject | str
"""A credential as issued: a JSON object (``ldp_vc``) or a compact SD-JWT VC (``dc+sd-jwt``)."""
_SD_JWT_DECOYS = 2
Basis2Format = Literal["pdf", "bundle", "both"]
BASIS_2_PDF = "gewaarmerkt-overzicht.pdf"
BASIS_2_BUNDLE = "gewaarmerkt-overzicht.json"
BASIS_2_ZIP = "gewaarmerkt-overzicht.zip"


@dataclass(frozen=True, slots=True)
class Download:
    """A file for the citizen: its name, media type and content."""

    filename: str
    media_type: str
    content: bytes


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _new_credential_id() -> str:
    return f"urn:uuid:{uuid.uuid4()}"


def _timestamp(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True, slots=True)
class _Draft:
    """A credential about to be made: its id, holder DID and claimed status slots."""

    credential_id: str
    holder_did: str | None
    slots: tuple[StatusSlot, ...]


def _did_key_public(did: str) -> PublicKey:
    """The public key of a holder's did:key (the issuer made it from a verified key proof)."""
    return PublicKey.from_multibase(did.removeprefix("did:key:"))


def _pointer_matches(document: Any, pointer: str) -> bool:
    """Whether a JSON Pointer names a value in ``document``."""
    node = document
    for token in pointer.split("/")[1:]:
        name = token.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and name in node:
            node = node[name]
        elif isinstance(node, list) and name.isascii() and name.isdigit() and int(name) < len(node):
            node = node[int(name)]
        else:
            return False
    return True


def existing_pointers(document: JsonObject, pointers: Sequence[str]) -> list[str]:
    """The pointers that name a value in ``document`` (ecdsa-sd-2023 refuses the others)."""
    return [pointer for pointer in pointers if _pointer_matches(document, pointer)]


class Issuer:
    """The sources of one deployment: registers, keys, status lists, offers.

    Build it with :meth:`from_settings`. Every method that takes ``source``
    raises ``NotFound`` for a source this deployment does not run.
    """

    def __init__(
        self,
        settings: IssuerSettings,
        db: Database,
        keys: KeyRing,
        sources: Mapping[str, Source],
    ) -> None:
        self.settings = settings
        self.db = db
        self.keys = keys
        self.sources = dict(sources)
        self._configurations = {
            name: {
                **adapter.configurations,
                **{twin.id: twin for twin in map(sd_jwt_vc_twin, adapter.configurations.values())},
            }
            for name, adapter in self.sources.items()
        }
        self.status_lists = StatusLists(
            db,
            keys,
            identifiers={name: settings.issuer_identifier(name) for name in self.sources},
            dids={name: settings.issuer_did(name) for name in self.sources},
            ttl=timedelta(seconds=settings.status_list_ttl_seconds),
            validity=timedelta(hours=settings.status_list_validity_hours),
        )
        for api_issuer in API_ISSUERS:
            self.status_lists.register(
                api_issuer.name,
                identifier=settings.base_url + api_issuer.base_path,
                key_name=api_issuer.key_name,
            )
        self.offers = Offers(db, keys=keys, ttl=timedelta(seconds=settings.offer_ttl_seconds))
        self._subject_secret = keys.derived_secret("subject")
        self._sealing: dict[str, SealingIdentity] = {}
        self._sealing_lock = threading.Lock()
        # Run inside every issuing transaction (Blauwe Knop Plus links holder keys here).
        self.issued_hooks: list[IssuedHook] = []

    @classmethod
    def from_settings(
        cls,
        settings: IssuerSettings,
        *,
        sources: Mapping[str, Source] | None = None,
        clock: Clock = _utc_now,
    ) -> Issuer:
        """Open the database (migrating its schema to the newest revision; limits, demo
        data), unlock and create keys (the sources' and the VC API issuers').

        Raises ``StartupRefused`` for a wrong passphrase, or in production for
        stored demo keys or a source without an adapter.
        """
        chosen = default_sources() if sources is None else dict(sources)
        missing = [name for name in settings.sources if name not in chosen]
        if missing:
            raise StartupRefused(f"no adapter for the configured sources {missing}")
        running = {name: chosen[name] for name in settings.sources}
        url = settings.resolved_database_url
        if settings.database_url is None:
            private_directory(settings.data_dir)
        db = Database.open(url)
        upgrade_database(db, settings=settings)
        with db.write() as unit:
            load_published_limits(unit.session)
        if settings.demo_data:
            with db.write() as unit:
                if not registers_seeded(unit.session):
                    seed_registers(unit.session, people=settings.demo_people)
        keys = KeyRing.unlock(
            db,
            settings.key_passphrase.get_secret_value(),
            settings.issuer_dids(),
            use_demo_keys=settings.demo_keys,
        )
        for name in running:
            keys.ensure(name, clock=clock)
            if settings.mode == "production" and keys.uses_demo_keys(name):
                raise StartupRefused(f"source {name} has a public demo key; rotate it first")
        for api_issuer in API_ISSUERS:
            keys.ensure(api_issuer.key_name, curve=api_issuer.curve, clock=clock)
            if settings.mode == "production" and keys.uses_demo_keys(api_issuer.key_name):
                raise StartupRefused(f"the VC API key {api_issuer.key_name} is a public demo key")
        return cls(settings, db, keys, running)

    # Sources and configurations ---------------------------------------------------------------

    def source(self, name: str) -> Source:
        """The source called ``name``; ``NotFound`` if this deployment does not run it."""
        try:
            return self.sources[name]
        except KeyError:
            raise NotFound(f"no source {name!r}") from None

    def configurations(self, source: str) -> Mapping[str, CredentialConfiguration]:
        """Every credential configuration of ``source``: its own, then each as SD-JWT VC."""
        self.source(source)
        return self._configurations[source]

    def configuration(self, source: str, configuration_id: str) -> CredentialConfiguration:
        """A credential configuration of ``source``; ``NotFound`` if unknown."""
        try:
            return self.configurations(source)[configuration_id]
        except KeyError:
            raise NotFound(
                f"{source} has no credential configuration {configuration_id!r}"
            ) from None

    def default_configuration(self, source: str) -> str:
        """The first credential configuration of ``source``."""
        return next(iter(self.source(source).configurations))

    def claims(self, source: str, bsn: str, configuration_id: str) -> SubjectClaims | None:
        """What the register of ``source`` holds for ``bsn`` in that configuration."""
        adapter = self.source(source)
        configuration = self.configuration(source, configuration_id)
        with self.db.read() as unit:
            return adapter.claims_for(unit.connection, bsn, configuration.register_id)

    def subject_ref(self, bsn: str) -> str:
        """A keyed hash of a BSN: finds a citizen's credentials without storing the BSN."""
        return hmac.new(self._subject_secret, bsn.encode(), hashlib.sha256).hexdigest()

    # The recipe -------------------------------------------------------------------------------

    def issue_credential(
        self,
        source: str,
        *,
        bsn: str,
        configuration_id: str,
        holder_did: str | None,
        cryptosuite: CryptosuiteName = "ecdsa-sd-2023",
        clock: Clock = _utc_now,
    ) -> IssuedCredential:
        """Issue one credential from the register of ``source`` to ``holder_did``.

        ``holder_did`` becomes ``credentialSubject.id`` (an SD-JWT VC's ``cnf``
        key); ``None`` issues an unbound copy (the Basis download). Raises
        ``NotFound`` when the register holds nothing for ``bsn``.
        """
        claims = self.claims(source, bsn, configuration_id)
        if claims is None:
            raise NotFound(f"{source} holds no {configuration_id} data for this citizen")
        (credential,) = self.issue_with_claims(
            source,
            configuration_id=configuration_id,
            claims=claims.claims,
            bsn=bsn,
            holder_dids=[holder_did],
            cryptosuite=cryptosuite,
            clock=clock,
        )
        return credential

    def issue_with_claims(
        self,
        source: str,
        *,
        configuration_id: str,
        claims: JsonObject,
        bsn: str,
        holder_dids: Sequence[str | None],
        cryptosuite: CryptosuiteName = "ecdsa-sd-2023",
        reserve: Callable[[Unit], None] | None = None,
        notification_id: str | None = None,
        token_hash: str | None = None,
        properties: Mapping[str, Any] | None = None,
        clock: Clock = _utc_now,
        randbelow: Callable[[int], int] = secrets.randbelow,
        new_id: Callable[[], str] = _new_credential_id,
    ) -> list[IssuedCredential]:
        """Issue one credential per holder DID, each with its own status entries and proof.

        In one transaction ``reserve`` runs first (it may refuse by raising), then
        every credential gets its status indexes and its record, then the
        :attr:`issued_hooks` run; the proofs are made after the commit.
        ``properties`` adds top-level credential properties (terms of our context;
        plain claims of an SD-JWT VC). The configuration's format decides what
        is made: a W3C credential with Bitstring Status List entries and a Data
        Integrity proof (``cryptosuite``), or an SD-JWT VC with a Token Status
        List entry and its ``cnf`` key from the holder's did:key.
        """
        configuration = self.configuration(source, configuration_id)
        sd_jwt = configuration.format == SD_JWT_VC
        now = clock().replace(microsecond=0)
        valid_until = now + configuration.validity
        purposes = (TOKEN_STATUS_LIST,) if sd_jwt else PURPOSES
        subject_ref = self.subject_ref(bsn)

        def record(unit: Unit) -> list[_Draft]:
            if reserve is not None:
                reserve(unit)
            credential_ids = [new_id() for _ in holder_dids]
            slots = self.status_lists.allocate_all(
                unit,
                source,
                [
                    (purpose, credential_id)
                    for credential_id in credential_ids
                    for purpose in purposes
                ],
                randbelow=randbelow,
            )
            drafts: list[_Draft] = []
            records: list[CredentialRecord] = []
            for number, (credential_id, holder_did) in enumerate(
                zip(credential_ids, holder_dids, strict=True)
            ):
                own = slots[number * len(purposes) : (number + 1) * len(purposes)]
                drafts.append(_Draft(credential_id, holder_did, tuple(own)))
                records.append(
                    CredentialRecord(
                        id=credential_id,
                        source=source,
                        configuration_id=configuration_id,
                        holder_did=holder_did or "",
                        subject_ref=subject_ref,
                        issued_at=now,
                        valid_until=valid_until,
                        notification_id=notification_id,
                        token_hash=token_hash,
                    )
                )
            unit.add_credentials(records)
            for hook in self.issued_hooks:
                hook(unit, bsn, records)
            return drafts

        # Implementation note: two issuers that drew each other's status indexes in
        # different rounds can wait for each other; PostgreSQL then rolls one back whole,
        # and that one runs again (run_write).
        drafts = self.db.run_write(record)
        key = self.keys.signing_key(source)
        if sd_jwt:
            issue_copy = self._sd_jwt_vc_issuer(
                source,
                configuration,
                sd_jwt_claims(claims),
                properties=properties or {},
                now=now,
                valid_until=valid_until,
                key=key,
            )
            return [issue_copy(draft) for draft in drafts]
        made: list[IssuedCredential] = []
        for draft in drafts:
            document = self._credential(
                source,
                configuration,
                claims,
                holder_did=draft.holder_did,
                credential_id=draft.credential_id,
                status=[self.status_lists.entry(slot) for slot in draft.slots],
                valid_from=now,
                valid_until=valid_until,
            ) | dict(properties or {})
            made.append(
                self._sign(
                    document, configuration=configuration, cryptosuite=cryptosuite, now=now, key=key
                )
            )
        return made

    def _credential(
        self,
        source: str,
        configuration: CredentialConfiguration,
        claims: JsonObject,
        *,
        holder_did: str | None,
        credential_id: str,
        status: list[JsonObject],
        valid_from: datetime,
        valid_until: datetime,
    ) -> JsonObject:
        """The unsigned credential (docs/protocols.md, "Credential shape")."""
        subject: JsonObject = {} if holder_did is None else {"id": holder_did}
        subject.update(claims)
        return {
            "@context": [CREDENTIALS_V2_URL, NL_VC_V1_URL],
            "id": credential_id,
            "type": ["VerifiableCredential", configuration.credential_type],
            "issuer": self.settings.issuer_did(source),
            "validFrom": _timestamp(valid_from),
            "validUntil": _timestamp(valid_until),
            "credentialStatus": status,
            "credentialSubject": subject,
        }

    def _sign(
        self,
        document: JsonObject,
        *,
        configuration: CredentialConfiguration,
        cryptosuite: CryptosuiteName,
        now: datetime,
        key: KeyPair,
    ) -> JsonObject:
        try:
            if cryptosuite != "ecdsa-sd-2023":
                return sign(document, key, cryptosuite=cryptosuite, created=now)
            pointers = existing_pointers(
                document, (*DEFAULT_MANDATORY_POINTERS, *configuration.always_disclosed)
            )
            return sign(
                document, key, cryptosuite="ecdsa-sd-2023", mandatory_pointers=pointers, created=now
            )
        except VcError as exc:
            # Implementation note: the document is the issuer's own (a source adapter's
            # claims); a term missing from the context is a bug here, not bad input.
            raise ProofGenerationError(
                f"cannot sign the {configuration.credential_type}: {exc}"
            ) from exc

    def _sd_jwt_vc_issuer(
        self,
        source: str,
        configuration: CredentialConfiguration,
        claims: JsonObject,
        *,
        properties: Mapping[str, Any],
        now: datetime,
        valid_until: datetime,
        key: KeyPair,
    ) -> Callable[[_Draft], str]:
        """Issues the SD-JWT VC of each draft (docs/protocols.md, "SD-JWT VC at the sources").

        What every copy shares (issuer, vct and its integrity, the disclosable
        paths) is worked out once. ``properties`` (about this copy, not the
        subject: Plus's recipient, grant and purpose) go in plain view.
        """
        identifier = self.settings.issuer_identifier(source)
        vct = vct_for(identifier, configuration)
        vct_integrity = integrity(type_metadata_text(configuration, vct, identifier))
        disclosable = disclosable_paths(claims, configuration)

        def issue_copy(draft: _Draft) -> str:
            holder = draft.holder_did
            (slot,) = draft.slots
            return issue_sd_jwt_vc(
                {**claims, **properties},
                key,
                issuer=identifier,
                vct=vct,
                vct_integrity=vct_integrity,
                disclosable=disclosable,
                holder_key=None if holder is None else _did_key_public(holder),
                status=self.status_lists.token_reference(slot),
                jti=draft.credential_id,
                issued_at=now,
                expires_at=valid_until,
                kid=key.id,
                decoys=_SD_JWT_DECOYS,
            )

        return issue_copy

    # SD-JWT VC documents ------------------------------------------------------------------------

    def type_metadata(self, source: str, credential_type: str) -> bytes:
        """The SD-JWT VC type metadata of a credential type of ``source``, as served.

        Raises ``NotFound`` for a type the source does not issue.
        """
        identifier = self.settings.issuer_identifier(source)
        for configuration in self.configurations(source).values():
            if configuration.format == SD_JWT_VC and configuration.credential_type == (
                credential_type
            ):
                vct = vct_for(identifier, configuration)
                return type_metadata_text(configuration, vct, identifier)
        raise NotFound(f"{source} issues no SD-JWT VC of type {credential_type!r}")

    def jwt_vc_issuer_metadata(self, source: str) -> JsonObject:
        """The JWT VC Issuer Metadata of ``source``: every key, ``kid`` its DID URL."""
        self.source(source)
        did = self.settings.issuer_did(source)
        keys = {
            f"{did}#key-{key.number}": PublicKey.from_multibase(key.public_multibase)
            for key in self.keys.published(source)
        }
        return create_jwt_vc_issuer_metadata(self.settings.issuer_identifier(source), keys)

    # Status -----------------------------------------------------------------------------------

    def revoke(self, credential_id: str, *, clock: Clock = _utc_now) -> None:
        """Revoke a credential for good; ``NotFound`` if the issuer never issued it."""
        self.status_lists.set_status(credential_id, "revocation", 1, clock=clock)

    def suspend(self, credential_id: str, *, clock: Clock = _utc_now) -> None:
        """Suspend a credential until :meth:`reinstate`."""
        self.status_lists.set_status(credential_id, "suspension", 1, clock=clock)

    def reinstate(self, credential_id: str, *, clock: Clock = _utc_now) -> None:
        """Lift a suspension (a revocation stays)."""
        self.status_lists.set_status(credential_id, "suspension", 0, clock=clock)

    def status_of(self, credential_id: str) -> dict[str, int]:
        """The current status value per purpose; ``NotFound`` for an unknown credential."""
        return self.status_lists.status_of(credential_id)

    def status_list(
        self, source: str, purpose: str, number: int, *, clock: Clock = _utc_now
    ) -> str:
        """The signed status list as text: a Bitstring Status List credential (JSON) for a
        purpose, a Status List Token (JWT) for ``token``; ``NotFound`` if there is none."""
        self.source(source)
        if purpose not in (*PURPOSES, TOKEN_STATUS_LIST):
            raise NotFound(f"no status purpose {purpose!r}")
        return self.status_lists.publish(source, purpose, number, clock=clock)

    # Keys and DIDs ----------------------------------------------------------------------------

    def did_document(self, source: str) -> JsonObject:
        """The did:web DID document of ``source``: every key, newest last, for assertions."""
        self.source(source)
        did = self.settings.issuer_did(source)
        methods = [
            {
                "id": f"{did}#key-{key.number}",
                "type": "Multikey",
                "controller": did,
                "publicKeyMultibase": key.public_multibase,
            }
            for key in self.keys.published(source)
        ]
        return {
            "@context": [DID_CONTEXT, MULTIKEY_CONTEXT],
            "id": did,
            "verificationMethod": methods,
            "assertionMethod": [method["id"] for method in methods],
        }

    def rotate_key(self, source: str, *, clock: Clock = _utc_now) -> str:
        """Add a newest key to ``source`` and return its id; older credentials keep verifying."""
        self.source(source)
        return self.keys.rotate(source, clock=clock)

    # Offers -----------------------------------------------------------------------------------

    def create_offer(
        self,
        source: str,
        subject: str,
        configuration_id: str | None = None,
        *,
        tx_code: str | None = None,
        clock: Clock = _utc_now,
    ) -> CreatedOffer:
        """Offer a citizen's credential: by-reference offer, pre-authorized code, tx_code.

        Raises ``NotFound`` when the register holds nothing for ``subject``.
        """
        chosen = configuration_id or self.default_configuration(source)
        if self.claims(source, subject, chosen) is None:
            raise NotFound(f"{source} holds no {chosen} data for this citizen")
        return self.offers.create(
            source=source,
            credential_issuer=self.settings.issuer_identifier(source),
            subject=subject,
            configuration_ids=[chosen],
            tx_code=tx_code,
            clock=clock,
        )

    def demo_offer(self, source: str, *, subject: str = DEMO_BSN) -> str:
        """An offer (by value) for the demo citizen with tx_code ``000000``; development only."""
        if self.settings.mode != "development":
            raise StartupRefused("demo offers exist in development mode only")
        return self.create_offer(source, subject, tx_code=DEMO_TX_CODE).offer_by_value_uri

    # Basis download ---------------------------------------------------------------------------

    def basis_credential(
        self,
        source: str,
        subject: str,
        configuration_id: str | None = None,
        *,
        clock: Clock = _utc_now,
    ) -> JsonObject:
        """A certified machine-readable copy: unbound, signed with ``ecdsa-rdfc-2019``.

        Anyone can verify it as it is (no selective disclosure, no holder key); it
        still carries status entries, so it can be revoked. For an SD-JWT VC
        configuration it is an unbound SD-JWT VC with all its Disclosures, as an
        ``EnvelopedVerifiableCredential`` (the form a certified PDF embeds).
        """
        credential = self.issue_credential(
            source,
            bsn=subject,
            configuration_id=configuration_id or self.default_configuration(source),
            holder_did=None,
            cryptosuite="ecdsa-rdfc-2019",
            clock=clock,
        )
        if isinstance(credential, dict):
            return credential
        return FORMATS[SD_JWT_VC].embed(credential)

    def sealing_identity(self, source: str, *, clock: Clock = _utc_now) -> SealingIdentity:
        """The source's PDF sealing identity, made (self-signed, demo) on first use."""
        from vc_issuer.pdf import SealingIdentity, create_sealing_identity

        display_name = self.source(source).display_name
        label = f"sealing-identity:{source}"
        with self._sealing_lock:
            if source in self._sealing:
                return self._sealing[source]
            with self.db.read() as unit:
                stored = unit.sealing_identity(source)
            if stored is None:
                made = create_sealing_identity(
                    organisation=display_name.removesuffix(" (demo)"),
                    common_name=f"{display_name} waarmerk",
                    did=self.settings.issuer_did(source),
                    clock=clock,
                )
                sealed = self.keys.seal(made.to_pem(None), label=label)
                with self.db.write() as unit:
                    unit.add_sealing_identity(
                        source, made.certificate_pem.decode("ascii"), sealed, clock()
                    )
                    stored = unit.sealing_identity(source)
            if stored is None:
                raise StartupRefused(f"the sealing identity of {source} could not be stored")
            identity = SealingIdentity.from_pem(
                self.keys.unseal(stored[1], label=label), passphrase=None
            )
            self._sealing[source] = identity
            return identity

    def certified_pdf(
        self,
        source: str,
        subject: str,
        configuration_id: str | None = None,
        *,
        credential: JsonObject | None = None,
        clock: Clock = _utc_now,
    ) -> bytes:
        """A sealed PDF showing the citizen's data, with the credential embedded and as QR.

        A fresh Basis credential is issued unless ``credential`` (one of
        :meth:`basis_set`) is given.
        """
        from vc_issuer.pdf import certified_pdf

        if credential is None:
            credential = self.basis_credential(source, subject, configuration_id, clock=clock)
        return certified_pdf(
            credential,
            source_name=source,
            source_display_name=self.source(source).display_name,
            identity=self.sealing_identity(source, clock=clock),
            did_document=self.did_document(source),
            clock=clock,
        )

    # Basis 2.0: one aggregated, certified set of several sources --------------------------------

    def sources_holding(self, subject: str) -> list[str]:
        """The sources whose register holds data for ``subject`` (default configuration)."""
        return [
            name
            for name in self.sources
            if self.claims(name, subject, self.default_configuration(name)) is not None
        ]

    def basis_set(
        self, subject: str, sources: Sequence[str] | None = None, *, clock: Clock = _utc_now
    ) -> dict[str, JsonObject]:
        """A fresh Basis credential (``ecdsa-rdfc-2019``) of each source, in the given order.

        ``None`` takes every source that holds data for the citizen. Raises
        ``NotFound`` for an unknown source, one that holds nothing for the
        citizen, or when no source holds anything.
        """
        chosen = self.sources_holding(subject) if sources is None else list(dict.fromkeys(sources))
        if not chosen:
            raise NotFound("no source holds data for this citizen")
        return {source: self.basis_credential(source, subject, clock=clock) for source in chosen}

    def citizen_name(self, subject: str) -> str:
        """How a cover names the citizen: the BRP name, else the last digits of the BSN."""
        if "brp" in self.sources:
            found = self.claims("brp", subject, self.default_configuration("brp"))
            if found is not None:
                parts = [found.claims.get(k) for k in ("voornamen", "voorvoegsel", "geslachtsnaam")]
                name = " ".join(part for part in parts if isinstance(part, str) and part)
                if name:
                    return name
        return f"de burger met BSN eindigend op {subject[-4:]}"

    def aggregated_pdf(
        self, subject: str, credentials: Mapping[str, JsonObject], *, clock: Clock = _utc_now
    ) -> bytes:
        """The Basis 2.0 PDF of :meth:`basis_set` credentials: a cover, a section and seal each."""
        from vc_issuer.pdf import SealedPart, aggregated_pdf

        parts = [
            SealedPart(
                source=source,
                name=self.source(source).display_name,
                credential=credential,
                did_document=self.did_document(source),
                identity=self.sealing_identity(source, clock=clock),
            )
            for source, credential in credentials.items()
        ]
        return aggregated_pdf(parts, made_for=self.citizen_name(subject), clock=clock)

    def aggregated_bundle(
        self, credentials: Mapping[str, JsonObject], *, clock: Clock = _utc_now
    ) -> JsonObject:
        """The Basis 2.0 bundle of :meth:`basis_set` credentials (see :mod:`vc_issuer.bundle`)."""
        return aggregated_bundle(
            list(credentials.values()),
            signers=[self.keys.signing_key(source) for source in credentials],
            created=clock(),
        )

    def aggregated_download(
        self,
        subject: str,
        sources: Sequence[str] | None = None,
        *,
        what: Basis2Format = "both",
        clock: Clock = _utc_now,
    ) -> Download:
        """Basis 2.0 as a file: the aggregated PDF, the bundle, or both in one ZIP.

        One :meth:`basis_set` serves both, so the PDF and the bundle carry
        the very same credentials. Raises ``NotFound`` like :meth:`basis_set`.
        """
        credentials = self.basis_set(subject, sources, clock=clock)
        now = clock()
        files: list[tuple[str, bytes]] = []
        if what in ("pdf", "both"):
            files.append((BASIS_2_PDF, self.aggregated_pdf(subject, credentials, clock=clock)))
        if what in ("bundle", "both"):
            bundle = self.aggregated_bundle(credentials, clock=clock)
            text = json.dumps(bundle, indent=2, ensure_ascii=False) + "\n"
            files.append((BASIS_2_BUNDLE, text.encode("utf-8")))
        if what == "pdf":
            return Download(BASIS_2_PDF, "application/pdf", files[0][1])
        if what == "bundle":
            return Download(BASIS_2_BUNDLE, "application/json", files[0][1])
        archive = io.BytesIO()
        stamp = now.astimezone(UTC).timetuple()[:6]
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as bundle_zip:
            for name, content in files:
                bundle_zip.writestr(zipfile.ZipInfo(name, date_time=stamp), content)
        return Download(BASIS_2_ZIP, "application/zip", archive.getvalue())

    # Housekeeping -----------------------------------------------------------------------------

    def purge_expired(self, *, clock: Clock = _utc_now) -> int:
        """Delete expired offers, tokens, used nonces and deferred requests."""
        with self.db.write() as unit:
            return unit.purge_expired(clock())
