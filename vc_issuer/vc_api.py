"""VC API handlers (issue, verify, derive, verify presentation) for interoperability suites.

Thin, framework-free handlers over ``vc_core`` (docs/protocols.md, "VC API"). The VC API
has one issuer identity per cryptosuite and curve
(``vc_issuer.api_issuers.API_ISSUERS``), each a did:key whose key series lives
in the issuer's sealed key ring (fixed demo keys in demo mode). Issuing
honours ``options.credentialStatus`` / ``options.statusPurpose`` with the
Bitstring Status Lists the sources use, published under
``/issuers/<name>/status/…``.

Verifying means what the VC API says: the proofs, the validity window and the
status. Relying-party policy (is the issuer the key's controller, is it
trusted) is ``vc_verifier``'s. The verifiers resolve this deployment's did:web
DIDs and status lists in-process and everything else offline only (did:key),
so nothing is ever fetched. Malformed or failing input answers 400 with an
RFC 9457 problem, never 500.
"""

from __future__ import annotations

import json
import logging
import secrets
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from vc_core.did import VerificationMethod, dereference_verification_method
from vc_core.errors import FetchError, ParsingError, Problem, VcError, VerificationError
from vc_core.keys import KeyPair
from vc_core.loader import (
    CREDENTIALS_V1_URL,
    DATA_INTEGRITY_V2_URL,
    OfflineDocumentLoader,
    document_loader,
    load_context_folder,
)
from vc_core.proofs import derive, sign, verify
from vc_core.status import check_status
from vc_core.types import Clock, JsonObject
from vc_core.vcdm import (
    check_credential_shape,
    check_presentation_shape,
    check_validity_period,
    credential_issuer,
)
from vc_issuer.api_issuers import API_ISSUERS, ApiIssuer
from vc_issuer.db import Unit
from vc_issuer.errors import NotFound
from vc_issuer.issuer import DEFAULT_MANDATORY_POINTERS, Issuer, existing_pointers
from vc_issuer.status_lists import PURPOSES, status_list_number

__all__ = ["ApiResponse", "VcApi", "problem_json"]


_DEFAULT_ISSUER = "ecdsa-sd-2023"
_CHECKS = ("proof", "validity", "credentialStatus")
_log = logging.getLogger("vc_issuer.vc_api")


@dataclass(frozen=True, slots=True)
class ApiResponse:
    """An HTTP status and JSON body; ``problem`` marks an RFC 9457 ``application/problem+json``."""

    status: int
    body: JsonObject
    problem: bool = False


def _utc_now() -> datetime:
    return datetime.now(UTC)


def problem_json(problem: Problem, *, status: int | None = None) -> JsonObject:
    """An RFC 9457 problem object for a ``vc_core`` problem."""
    body: JsonObject = {"type": problem.type_uri, "title": problem.code, "detail": problem.detail}
    if status is not None:
        body["status"] = status
    if problem.path:
        body["instance"] = problem.path
    return body


def _bad_request(problem: Problem) -> ApiResponse:
    return ApiResponse(400, problem_json(problem, status=400), problem=True)


def _parsing(detail: str) -> ApiResponse:
    return _bad_request(Problem("PARSING_ERROR", detail))


def _options(body: Mapping[str, object]) -> JsonObject:
    options = body.get("options", {})
    if options is None:
        return {}
    if not isinstance(options, dict):
        raise ParsingError("options must be a JSON object")
    return options


def _string_list(value: object, name: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ParsingError(f"{name} must be an array of JSON Pointers")
    return list(value)


def _checks(options: Mapping[str, object]) -> frozenset[str]:
    """The checks to run: ``options.checks`` (VC API), or all of them."""
    checks = options.get("checks")
    if checks is None:
        return frozenset(_CHECKS)
    if not isinstance(checks, list) or not all(isinstance(check, str) for check in checks):
        raise ParsingError("options.checks must be an array of strings")
    # Implementation note: the validity window is part of every verification.
    return frozenset({*checks, "validity"})


def _status_purposes(options: Mapping[str, object]) -> list[str]:
    """The status purposes ``options`` asks for (``credentialStatus`` and/or ``statusPurpose``)."""
    requested = options.get("credentialStatus")
    purpose = options.get("statusPurpose")
    if requested is None and purpose is None:
        return []
    if requested is not None:
        if not isinstance(requested, dict) or requested.get("type") != "BitstringStatusListEntry":
            raise ParsingError("options.credentialStatus.type must be BitstringStatusListEntry")
        purpose = requested.get("statusPurpose", purpose)
    purposes = purpose if isinstance(purpose, list) else [purpose or "revocation"]
    for item in purposes:
        if item not in PURPOSES:
            raise ParsingError(f"statusPurpose must be one of {list(PURPOSES)}, not {item!r}")
    return list(dict.fromkeys(purposes))


class VcApi:
    """The VC API of one :class:`Issuer`: its issuers, verifiers and holder."""

    def __init__(self, issuer: Issuer) -> None:
        self.issuer = issuer
        self.issuers = {api_issuer.name: api_issuer for api_issuer in API_ISSUERS}
        extra = issuer.settings.extra_contexts_dir
        self.document_loader: OfflineDocumentLoader = document_loader(
            extra_contexts=load_context_folder(extra) if extra is not None else None
        )
        self._own_dids = {issuer.settings.issuer_did(name): name for name in issuer.sources}

    def key_of(self, api_issuer: ApiIssuer) -> KeyPair:
        """The signing key of a VC API issuer; its controller is its did:key."""
        return self.issuer.keys.signing_key(api_issuer.key_name)

    def identities(self) -> dict[str, JsonObject]:
        """Each issuer by name: ``{"id": DID, "endpoint": path, "cryptosuite", "curve"}``."""
        return {
            api_issuer.name: {
                "id": self.key_of(api_issuer).controller,
                "endpoint": api_issuer.endpoint,
                "cryptosuite": api_issuer.cryptosuite,
                "curve": api_issuer.curve,
            }
            for api_issuer in API_ISSUERS
        }

    # Offline resolution of this deployment's documents ----------------------------------------

    def resolve_verification_method(self, vm_id: str) -> VerificationMethod:
        """Dereference a VM: this deployment's did:web in-process, did:key offline, else refuse."""
        source = self._own_dids.get(vm_id.partition("#")[0]) if isinstance(vm_id, str) else None
        if source is None:
            return dereference_verification_method(vm_id)
        return dereference_verification_method(
            vm_id, resolver=lambda _did: self.issuer.did_document(source)
        )

    def fetch(self, url: str, *, accept: str) -> bytes:
        """A ``Fetch`` that serves only this deployment's status lists and DID documents."""
        prefix = self.issuer.settings.base_url + "/"
        parts = url[len(prefix) :].split("/") if url.startswith(prefix) else []
        try:
            if len(parts) == 5 and parts[0] == "issuers" and parts[2] == "status":
                return self.status_list(parts[1], parts[3], parts[4]).encode()
            if len(parts) == 4 and parts[1] == "status":
                number = status_list_number(parts[3])
                return self.issuer.status_list(parts[0], parts[2], number).encode()
            if len(parts) == 2 and parts[1] == "did.json":
                return json.dumps(self.issuer.did_document(parts[0])).encode()
        except (NotFound, ParsingError) as exc:
            raise FetchError(f"{url}: {exc.detail}") from exc
        raise FetchError(f"{url} is not served by this issuer and nothing is fetched")

    def status_list(self, name: str, purpose: str, number: str) -> str:
        """A VC API issuer's signed status list credential; ``NotFound`` if there is none."""
        if name not in self.issuers or purpose not in PURPOSES:
            raise NotFound(f"no status list {name}/{purpose}")
        return self.issuer.status_lists.publish(name, purpose, status_list_number(number))

    # Handlers ----------------------------------------------------------------------------------

    def issue(
        self, body: object, *, issuer_name: str | None = None, clock: Clock = _utc_now
    ) -> ApiResponse:
        """``POST …/credentials/issue``: sign a credential as one of the VC API issuers (201).

        ``issuer_name`` picks the issuer (its endpoint); without it
        ``options.cryptosuite`` does (default ``ecdsa-sd-2023``).
        """
        if not isinstance(body, dict) or not isinstance(body.get("credential"), dict):
            return _parsing("the body must be an object with a credential object")
        try:
            options = _options(body)
            api_issuer = self._pick_issuer(issuer_name, options)
            key = self.key_of(api_issuer)
            credential = self._prepared(dict(body["credential"]), key, options)
            purposes = _status_purposes(options)
            pointers = (
                _string_list(options["mandatoryPointers"], "mandatoryPointers")
                if "mandatoryPointers" in options
                else None
            )
            # Implementation note: the status indexes are claimed in the same transaction
            # that signs, so a credential that cannot be signed leaves no claimed index.
            with self.issuer.db.write() as unit:
                if purposes:
                    credential = self._with_status(unit, api_issuer, credential, purposes)
                signed = self._sign(credential, key, api_issuer, pointers, clock=clock)
        except NotFound:
            raise
        except VcError as exc:
            return _bad_request(Problem(exc.code or "PROOF_GENERATION_ERROR", exc.detail))
        return ApiResponse(201, {"verifiableCredential": signed})

    def _pick_issuer(self, issuer_name: str | None, options: Mapping[str, object]) -> ApiIssuer:
        suite = options.get("cryptosuite")
        if options.get("type", "DataIntegrityProof") != "DataIntegrityProof":
            raise ParsingError("options.type must be DataIntegrityProof")
        if issuer_name is None:
            chosen = next(
                (i for i in API_ISSUERS if i.cryptosuite == suite and i.curve != "P-384"),
                self.issuers[_DEFAULT_ISSUER] if suite is None else None,
            )
            if chosen is None:
                raise ParsingError(f"no issuer for cryptosuite {suite!r}")
            return chosen
        api_issuer = self.issuers.get(issuer_name)
        if api_issuer is None:
            raise NotFound(f"no VC API issuer {issuer_name!r}")
        if suite is not None and suite != api_issuer.cryptosuite:
            raise ParsingError(f"this issuer signs with {api_issuer.cryptosuite}, not {suite!r}")
        return api_issuer

    def _prepared(self, credential: JsonObject, key: KeyPair, options: JsonObject) -> JsonObject:
        """The credential to sign: id and issuer set, DI context added to VC 1.1, checked."""
        if "credentialId" in options:
            credential["id"] = options["credentialId"]
        if "issuer" not in credential:
            credential["issuer"] = key.controller
        if credential_issuer(credential) != key.controller:
            raise ParsingError(f"this endpoint issues as {key.controller}", path="issuer")
        context = credential.get("@context")
        # Implementation note: the VC 1.1 context does not define DataIntegrityProof;
        # the Data Integrity context is appended, as the W3C suites' issuers do.
        if (
            isinstance(context, list)
            and context[:1] == [CREDENTIALS_V1_URL]
            and DATA_INTEGRITY_V2_URL not in context
        ):
            credential["@context"] = [*context, DATA_INTEGRITY_V2_URL]
        check_credential_shape(credential)
        return credential

    def _with_status(
        self, unit: Unit, api_issuer: ApiIssuer, credential: JsonObject, purposes: list[str]
    ) -> JsonObject:
        """Add a ``BitstringStatusListEntry`` per purpose (after any entries it already has)."""
        status_lists = self.issuer.status_lists
        record_id = credential.get("id")
        if not isinstance(record_id, str):
            record_id = f"urn:uuid:{uuid.uuid4()}"
        entries = [
            status_lists.entry(status_lists.allocate(unit, api_issuer.name, purpose, record_id))
            for purpose in purposes
        ]
        existing = credential.get("credentialStatus")
        if existing is not None:
            entries = [*(existing if isinstance(existing, list) else [existing]), *entries]
        return {**credential, "credentialStatus": entries[0] if len(entries) == 1 else entries}

    def _sign(
        self,
        credential: JsonObject,
        key: KeyPair,
        api_issuer: ApiIssuer,
        pointers: list[str] | None,
        *,
        clock: Clock,
    ) -> JsonObject:
        """Sign; ecdsa-sd-2023 with the given mandatory pointers or our defaults."""
        if api_issuer.cryptosuite != "ecdsa-sd-2023" and pointers is not None:
            raise ParsingError("mandatoryPointers are for ecdsa-sd-2023")
        if api_issuer.cryptosuite == "ecdsa-sd-2023" and pointers is None:
            pointers = existing_pointers(credential, DEFAULT_MANDATORY_POINTERS)
        return sign(
            credential,
            key,
            cryptosuite=api_issuer.cryptosuite,
            mandatory_pointers=pointers or (),
            created=clock(),
            document_loader=self.document_loader,
        )

    def derive(self, body: object) -> ApiResponse:
        """``POST /credentials/derive``: a selective disclosure of a base-proof credential (201)."""
        if not isinstance(body, dict):
            return _parsing("the body must be a JSON object")
        credential = body.get("verifiableCredential")
        if isinstance(credential, dict) and isinstance(
            credential.get("verifiableCredential"), dict
        ):
            credential = credential["verifiableCredential"]
        if not isinstance(credential, dict):
            return _parsing("verifiableCredential must be a JSON object")
        try:
            pointers = _string_list(
                _options(body).get("selectivePointers", []), "selectivePointers"
            )
            derived = derive(
                credential, selective_pointers=pointers, document_loader=self.document_loader
            )
        except VcError as exc:
            return _bad_request(Problem(exc.code or "PROOF_TRANSFORMATION_ERROR", exc.detail))
        return ApiResponse(201, derived)

    def _credential_problems(
        self, credential: object, checks: frozenset[str], *, clock: Clock, path: str
    ) -> list[Problem]:
        """Every problem with one credential: data model, proofs, validity window, status."""
        try:
            check_credential_shape(credential)
            if not isinstance(credential, dict):
                raise ParsingError("a credential must be a JSON object")
            verify(
                credential,
                expected_proof_purpose="assertionMethod",
                document_loader=self.document_loader,
                resolve_verification_method=self.resolve_verification_method,
                clock=clock,
            )
            check_validity_period(credential, clock=clock)
            statuses = (
                check_status(
                    credential,
                    fetch=self.fetch,
                    clock=clock,
                    document_loader=self.document_loader,
                    resolve_verification_method=self.resolve_verification_method,
                )
                if "credentialStatus" in checks or "status" in checks
                else ()
            )
        except VerificationError as exc:
            return [Problem(p.code, p.detail, _join(path, p.path)) for p in exc.problems]
        except VcError as exc:
            return [Problem(exc.code or "PROOF_VERIFICATION_ERROR", exc.detail, path)]
        return [
            Problem(
                "CREDENTIAL_REVOKED" if s.purpose == "revocation" else "CREDENTIAL_SUSPENDED",
                f"the credential's {s.purpose} status is set",
                _join(path, "credentialStatus"),
            )
            for s in statuses
            if not s.valid
        ]

    def verify_credential(self, body: object, *, clock: Clock = _utc_now) -> ApiResponse:
        """``POST /credentials/verify``: 200 when verified, 400 with the problems otherwise."""
        if not isinstance(body, dict) or "verifiableCredential" not in body:
            return _parsing("the body must be an object with verifiableCredential")
        try:
            checks = _checks(_options(body))
        except VcError as exc:
            return _bad_request(Problem(exc.code or "PARSING_ERROR", exc.detail))
        problems = self._credential_problems(
            body["verifiableCredential"], checks, clock=clock, path=""
        )
        return _result(problems, checks)

    def verify_presentation(self, body: object, *, clock: Clock = _utc_now) -> ApiResponse:
        """``POST /presentations/verify``: 200 when the presentation and its credentials verify."""
        if not isinstance(body, dict) or not isinstance(body.get("verifiablePresentation"), dict):
            return _parsing("the body must be an object with a verifiablePresentation object")
        presentation: JsonObject = body["verifiablePresentation"]
        try:
            options = _options(body)
            checks = _checks(options)
            challenge, domain = options.get("challenge"), options.get("domain")
            if not isinstance(challenge, str | None) or not isinstance(domain, str | None):
                raise ParsingError("challenge and domain must be strings")
            check_presentation_shape(presentation)
        except VcError as exc:
            return _bad_request(Problem(exc.code or "PARSING_ERROR", exc.detail))
        problems: list[Problem] = []
        try:
            verify(
                presentation,
                challenge=challenge,
                domain=domain,
                expected_proof_purpose="authentication",
                document_loader=self.document_loader,
                resolve_verification_method=self.resolve_verification_method,
                clock=clock,
            )
        except VerificationError as exc:
            problems.extend(exc.problems)
        credentials = presentation.get("verifiableCredential", [])
        for index, credential in enumerate(
            credentials if isinstance(credentials, list) else [credentials]
        ):
            problems.extend(
                self._credential_problems(
                    credential, checks, clock=clock, path=f"verifiableCredential[{index}]"
                )
            )
        return _result(problems, checks)

    def challenge(self) -> ApiResponse:
        """``POST /challenges``: a fresh random challenge."""
        return ApiResponse(200, {"challenge": secrets.token_urlsafe(24)})

    def set_status(self, body: object, *, clock: Clock = _utc_now) -> ApiResponse:
        """``POST /credentials/status`` (admin): set or clear a credential's status bit."""
        if not isinstance(body, dict):
            return _parsing("the body must be a JSON object")
        credential_id, status = body.get("credentialId"), body.get("status")
        entry = body.get("credentialStatus")
        purpose = entry.get("statusPurpose") if isinstance(entry, dict) else None
        if not isinstance(credential_id, str) or not isinstance(status, bool):
            return _parsing("credentialId (string) and status (boolean) are required")
        if purpose not in PURPOSES:
            return _parsing(f"credentialStatus.statusPurpose must be one of {list(PURPOSES)}")
        if purpose == "revocation" and not status:
            return _bad_request(Problem("PARSING_ERROR", "a revocation cannot be undone"))
        self.issuer.status_lists.set_status(credential_id, str(purpose), int(status), clock=clock)
        _log.info("status_changed", extra={"purpose": purpose, "status": status})
        return ApiResponse(200, {"credentialId": credential_id, "status": status})


def _join(prefix: str, path: str) -> str:
    return ".".join(part for part in (prefix, path) if part)


def _result(problems: Sequence[Problem], checks: frozenset[str]) -> ApiResponse:
    """200 with an empty ``errors`` list when verified; 400 with the problems otherwise."""
    details = [problem_json(problem) for problem in problems]
    body = {
        "verified": not problems,
        "checks": [check for check in _CHECKS if check in checks],
        "problemDetails": details,
        "warnings": [],
        "errors": details,
    }
    return ApiResponse(200 if not problems else 400, body)
