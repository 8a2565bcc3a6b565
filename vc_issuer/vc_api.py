"""VC API handlers (issue, verify, derive, verify presentation) for interoperability suites.

Thin, framework-free handlers over ``vc_core`` (docs/protocols.md, "VC API"). The interop
issuer signs with its own did:key (the W3C ECDSA suites require one); the
verifiers resolve this deployment's did:web DIDs and status lists in-process
and everything else offline only (did:key), so nothing is ever fetched.
Malformed input answers 400 with an RFC 9457 problem, never 500.
"""

from __future__ import annotations

import json
import logging
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from vc_core.did import VerificationMethod, dereference_verification_method
from vc_core.errors import (
    FetchError,
    ParsingError,
    Problem,
    VcError,
    VerificationError,
)
from vc_core.keys import KeyPair
from vc_core.proofs import derive, sign, verify
from vc_core.status import check_status
from vc_core.types import Clock, CryptosuiteName, JsonObject
from vc_core.vcdm import (
    check_credential_shape,
    check_issuer_is_controller,
    check_presentation_shape,
    check_validity_period,
    credential_issuer,
)
from vc_issuer.errors import NotFound, StartupRefused
from vc_issuer.issuer import DEFAULT_MANDATORY_POINTERS, Issuer, existing_pointers
from vc_issuer.status_lists import PURPOSES

__all__ = ["INTEROP_KEY_NAME", "ApiResponse", "VcApi", "problem_json"]

INTEROP_KEY_NAME = "vc-api"
"""The key series of the interop issuer (controlled by its own did:key)."""
_CRYPTOSUITES: frozenset[str] = frozenset({"ecdsa-sd-2023", "ecdsa-rdfc-2019"})
_CHECKS = ["proof", "validity", "status"]
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


def _options(body: JsonObject) -> JsonObject:
    options = body.get("options", {})
    if not isinstance(options, dict):
        raise ParsingError("options must be a JSON object")
    return options


def _string_list(value: object, name: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ParsingError(f"{name} must be an array of JSON Pointers")
    return list(value)


class VcApi:
    """The VC API of one :class:`Issuer`."""

    def __init__(self, issuer: Issuer) -> None:
        self.issuer = issuer
        issuer.keys.ensure(INTEROP_KEY_NAME)
        if issuer.settings.mode == "production" and issuer.keys.uses_demo_keys(INTEROP_KEY_NAME):
            raise StartupRefused("the VC API interop key is a public demo key; rotate it")
        self._own_dids = {issuer.settings.issuer_did(name): name for name in issuer.sources}

    @property
    def interop_key(self) -> KeyPair:
        """The interop issuer's key; its controller is its did:key."""
        return self.issuer.keys.signing_key(INTEROP_KEY_NAME)

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
            if len(parts) == 4 and parts[1] == "status" and parts[3].isdigit():
                return self.issuer.status_list(parts[0], parts[2], int(parts[3])).encode()
            if len(parts) == 2 and parts[1] == "did.json":
                return json.dumps(self.issuer.did_document(parts[0])).encode()
        except NotFound as exc:
            raise FetchError(f"{url}: {exc.detail}") from exc
        raise FetchError(f"{url} is not served by this issuer and nothing is fetched")

    # Handlers ----------------------------------------------------------------------------------

    def issue(self, body: object, *, clock: Clock = _utc_now) -> ApiResponse:
        """``POST /credentials/issue``: sign a credential with the interop did:key (201)."""
        if not isinstance(body, dict) or not isinstance(body.get("credential"), dict):
            return _parsing("the body must be an object with a credential object")
        credential: JsonObject = dict(body["credential"])
        key = self.interop_key
        try:
            options = _options(body)
            suite = options.get("cryptosuite", "ecdsa-sd-2023")
            if suite not in _CRYPTOSUITES:
                raise ParsingError(f"cryptosuite must be one of {sorted(_CRYPTOSUITES)}")
            if "credentialId" in options:
                credential["id"] = options["credentialId"]
            if "issuer" not in credential:
                credential["issuer"] = key.controller
            if credential_issuer(credential) != key.controller:
                raise ParsingError(f"this endpoint issues as {key.controller}", path="issuer")
            check_credential_shape(credential)
            signed = self._sign(credential, key, suite, options, clock=clock)
        except VcError as exc:
            return _bad_request(Problem(exc.code or "PROOF_GENERATION_ERROR", exc.detail))
        return ApiResponse(201, {"verifiableCredential": signed})

    def _sign(
        self, credential: JsonObject, key: KeyPair, suite: str, options: JsonObject, *, clock: Clock
    ) -> JsonObject:
        if suite == "ecdsa-rdfc-2019":
            return sign(credential, key, cryptosuite="ecdsa-rdfc-2019", created=clock())
        pointers = (
            _string_list(options["mandatoryPointers"], "mandatoryPointers")
            if "mandatoryPointers" in options
            else existing_pointers(credential, DEFAULT_MANDATORY_POINTERS)
        )
        sd_suite: CryptosuiteName = "ecdsa-sd-2023"
        return sign(
            credential, key, cryptosuite=sd_suite, mandatory_pointers=pointers, created=clock()
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
            derived = derive(credential, selective_pointers=pointers)
        except VcError as exc:
            return _bad_request(Problem(exc.code or "PROOF_TRANSFORMATION_ERROR", exc.detail))
        return ApiResponse(201, derived)

    def _credential_problems(self, credential: object, *, clock: Clock, path: str) -> list[Problem]:
        """Every problem with one credential: shape, proofs, controller, validity, status."""
        try:
            check_credential_shape(credential)
            if not isinstance(credential, dict):
                raise ParsingError("a credential must be a JSON object")
            result = verify(
                credential,
                expected_proof_purpose="assertionMethod",
                resolve_verification_method=self.resolve_verification_method,
                clock=clock,
            )
            for proof in result.proofs:
                check_issuer_is_controller(credential, proof)
            check_validity_period(credential, clock=clock)
            statuses = check_status(
                credential,
                fetch=self.fetch,
                clock=clock,
                resolve_verification_method=self.resolve_verification_method,
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
        problems = self._credential_problems(body["verifiableCredential"], clock=clock, path="")
        return ApiResponse(200 if not problems else 400, _result(problems))

    def verify_presentation(self, body: object, *, clock: Clock = _utc_now) -> ApiResponse:
        """``POST /presentations/verify``: 200 whenever it could be processed."""
        if not isinstance(body, dict) or not isinstance(body.get("verifiablePresentation"), dict):
            return _parsing("the body must be an object with a verifiablePresentation object")
        presentation: JsonObject = body["verifiablePresentation"]
        try:
            options = _options(body)
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
                    credential, clock=clock, path=f"verifiableCredential[{index}]"
                )
            )
        return ApiResponse(200, _result(problems))

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


def _result(problems: Sequence[Problem]) -> JsonObject:
    details = [problem_json(problem) for problem in problems]
    return {
        "verified": not problems,
        "problemDetails": details,
        "checks": list(_CHECKS),
        "results": {"proof": {"verified": not problems}},
        "warnings": [],
        "errors": details,
    }
