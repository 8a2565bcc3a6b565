"""verify_presentation / check_presentation: the right presentation passes, wrong ones fail."""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import timedelta

import pytest

from vc_core import KeyPair, StatusListCache
from vc_core.errors import (
    CredentialPolicyError,
    InvalidChallengeError,
    InvalidDomainError,
    ParsingError,
    ProofVerificationError,
    StatusListError,
    VerificationError,
)
from vc_core.types import JsonObject
from vc_verifier import Verifier

from .conftest import MovableClock
from .helpers import (
    AMOUNT,
    CLIENT_ID,
    FACTS,
    INCOME_IRI,
    REVOCATION_LIST,
    SUSPENSION_LIST,
    WEB_ISSUER,
    FakeWeb,
    Holder,
    Issuer,
    disclose,
    income_subject,
    issue,
    present,
    publish_issuer,
)

NONCE = "n-0S6_WzA2Mj3fLq9vY2x1Qw"


@pytest.fixture(scope="module")
def disclosed(income_base: JsonObject) -> JsonObject:
    return disclose(income_base, FACTS)


@pytest.fixture(scope="module")
def good_vp(holder: Holder, disclosed: JsonObject) -> JsonObject:
    return present(holder, [disclosed], challenge=NONCE)


def _codes(error: VerificationError) -> set[str]:
    return {problem.code for problem in error.problems}


def test_accepts_the_right_presentation(
    verifier: Verifier, good_vp: JsonObject, holder: Holder, issuer: Issuer
) -> None:
    verified = verifier.verify_presentation(good_vp, challenge=NONCE, domain=CLIENT_ID)
    assert verified.holder == holder.did
    [credential] = verified.credentials
    assert credential.issuer == issuer.did
    assert INCOME_IRI in credential.type_iris
    assert credential.claim("inkomenstoets", "onderSocialeHuurgrens") is True
    assert credential.claim("verzamelinkomen") is None  # not disclosed
    assert [(s.purpose, s.valid) for s in credential.status] == [
        ("revocation", True),
        ("suspension", True),
    ]
    assert not credential.status_unverified
    assert credential.valid_until is not None


def test_claims_are_private_copies(verifier: Verifier, good_vp: JsonObject) -> None:
    verified = verifier.verify_presentation(good_vp, challenge=NONCE, domain=CLIENT_ID)
    verified.credentials[0].claims["belastingjaar"] = 1999
    again = verifier.verify_presentation(good_vp, challenge=NONCE, domain=CLIENT_ID)
    assert again.credentials[0].claim("belastingjaar") == 2024
    assert good_vp["verifiableCredential"][0]["credentialSubject"]["belastingjaar"] == 2024


def test_check_presentation_reports_instead_of_raising(
    verifier: Verifier, good_vp: JsonObject
) -> None:
    report = verifier.check_presentation(good_vp, challenge="other", domain=CLIENT_ID)
    assert not report.verified
    assert report.presentation is None
    assert report.codes == ("INVALID_CHALLENGE_ERROR",)
    assert report.problems[0].path == "proof"


def test_refuses_wrong_challenge(verifier: Verifier, good_vp: JsonObject) -> None:
    with pytest.raises(InvalidChallengeError) as caught:
        verifier.verify_presentation(good_vp, challenge="a-replayed-nonce", domain=CLIENT_ID)
    assert caught.value.code == "INVALID_CHALLENGE_ERROR"


def test_refuses_wrong_domain(verifier: Verifier, good_vp: JsonObject) -> None:
    with pytest.raises(InvalidDomainError) as caught:
        verifier.verify_presentation(
            good_vp, challenge=NONCE, domain="decentralized_identifier:did:web:other.example.nl"
        )
    assert caught.value.code == "INVALID_DOMAIN_ERROR"


def test_refuses_domain_without_client_id_prefix(
    verifier: Verifier, holder: Holder, disclosed: JsonObject
) -> None:
    vp = present(holder, [disclosed], challenge=NONCE, domain="did:web:verhuur.example.nl")
    with pytest.raises(InvalidDomainError) as caught:
        verifier.verify_presentation(vp, challenge=NONCE, domain=CLIENT_ID)
    assert caught.value.code == "INVALID_DOMAIN_ERROR"


def test_refuses_presentation_signed_by_someone_else(
    verifier: Verifier, disclosed: JsonObject
) -> None:
    thief = Holder.new()
    vp = present(thief, [disclosed], challenge=NONCE)
    with pytest.raises(CredentialPolicyError) as caught:
        verifier.verify_presentation(vp, challenge=NONCE, domain=CLIENT_ID)
    assert caught.value.code == "HOLDER_BINDING_ERROR"
    assert caught.value.problems[0].path == "verifiableCredential[0].credentialSubject.id"


def test_refuses_holder_field_naming_someone_else(
    verifier: Verifier, holder: Holder, disclosed: JsonObject
) -> None:
    thief = Holder.new()
    vp = present(thief, [disclosed], challenge=NONCE, holder_did=holder.did)
    with pytest.raises(VerificationError) as caught:
        verifier.verify_presentation(vp, challenge=NONCE, domain=CLIENT_ID)
    assert _codes(caught.value) == {"PROOF_VERIFICATION_ERROR", "HOLDER_BINDING_ERROR"}
    assert "holder" in [p.path for p in caught.value.problems]


def test_refuses_altered_disclosed_claims(
    verifier: Verifier, holder: Holder, disclosed: JsonObject
) -> None:
    altered = copy.deepcopy(disclosed)
    altered["credentialSubject"]["inkomenstoets"]["onderSocialeHuurgrens"] = False
    vp = present(holder, [altered], challenge=NONCE)  # the holder signs the altered copy
    with pytest.raises(ProofVerificationError) as caught:
        verifier.verify_presentation(vp, challenge=NONCE, domain=CLIENT_ID)
    assert caught.value.code == "PROOF_VERIFICATION_ERROR"
    assert caught.value.problems[0].path == "verifiableCredential[0].proof"


def test_refuses_presentation_altered_after_signing(
    verifier: Verifier, good_vp: JsonObject
) -> None:
    altered = copy.deepcopy(good_vp)
    altered["verifiableCredential"][0]["credentialSubject"]["belastingjaar"] = 2025
    with pytest.raises(ProofVerificationError) as caught:
        verifier.verify_presentation(altered, challenge=NONCE, domain=CLIENT_ID)
    assert [p.path for p in caught.value.problems] == ["proof", "verifiableCredential[0].proof"]


def test_refuses_a_base_proof(verifier: Verifier, holder: Holder, income_base: JsonObject) -> None:
    vp = present(holder, [income_base], challenge=NONCE)
    with pytest.raises(ProofVerificationError) as caught:
        verifier.verify_presentation(vp, challenge=NONCE, domain=CLIENT_ID)
    assert caught.value.code == "PROOF_VERIFICATION_ERROR"
    assert "base proof" in caught.value.problems[0].detail


def test_refuses_untrusted_did_key_issuer(verifier: Verifier, holder: Holder) -> None:
    stranger = Issuer.with_did_key()
    vc = disclose(issue(stranger, income_subject(holder.did)), FACTS)
    vp = present(holder, [vc], challenge=NONCE)
    with pytest.raises(CredentialPolicyError) as caught:
        verifier.verify_presentation(vp, challenge=NONCE, domain=CLIENT_ID)
    assert caught.value.code == "UNTRUSTED_ISSUER"


def test_untrusted_did_web_issuer_is_never_fetched(
    make_verifier: Callable[..., Verifier], web: FakeWeb, good_vp: JsonObject
) -> None:
    verifier = make_verifier(trusted_issuers={"did:web:someone.example.nl": ["X"]})
    with pytest.raises(VerificationError) as caught:
        verifier.verify_presentation(good_vp, challenge=NONCE, domain=CLIENT_ID)
    assert _codes(caught.value) == {"PROOF_VERIFICATION_ERROR", "UNTRUSTED_ISSUER"}
    assert web.calls == []


def test_refuses_issuer_not_allowed_for_type(
    make_verifier: Callable[..., Verifier], issuer: Issuer, good_vp: JsonObject
) -> None:
    verifier = make_verifier(trusted_issuers={issuer.did: ["DiplomaCredential"]})
    with pytest.raises(CredentialPolicyError) as caught:
        verifier.verify_presentation(good_vp, challenge=NONCE, domain=CLIENT_ID)
    assert caught.value.code == "ISSUER_NOT_ALLOWED_FOR_TYPE"
    assert INCOME_IRI in caught.value.problems[0].detail


def test_refuses_revoked(
    verifier: Verifier, web: FakeWeb, issuer: Issuer, good_vp: JsonObject
) -> None:
    publish_issuer(web, issuer, revoked=[94567])
    with pytest.raises(CredentialPolicyError) as caught:
        verifier.verify_presentation(good_vp, challenge=NONCE, domain=CLIENT_ID)
    assert caught.value.code == "CREDENTIAL_REVOKED"
    assert caught.value.problems[0].path == "verifiableCredential[0].credentialStatus"


def test_refuses_suspended(
    verifier: Verifier, web: FakeWeb, issuer: Issuer, good_vp: JsonObject
) -> None:
    publish_issuer(web, issuer, suspended=[94567])
    with pytest.raises(CredentialPolicyError) as caught:
        verifier.verify_presentation(good_vp, challenge=NONCE, domain=CLIENT_ID)
    assert caught.value.code == "CREDENTIAL_SUSPENDED"


def test_another_index_set_does_not_matter(
    verifier: Verifier, web: FakeWeb, issuer: Issuer, good_vp: JsonObject
) -> None:
    publish_issuer(web, issuer, revoked=[94566, 94568], suspended=[0])
    assert verifier.verify_presentation(good_vp, challenge=NONCE, domain=CLIENT_ID)


def test_refuses_expired(
    verifier: Verifier, clock: MovableClock, good_vp: JsonObject, web: FakeWeb, issuer: Issuer
) -> None:
    clock.moment = clock.moment.replace(year=2026, month=6, day=1, hour=0, minute=0, second=1)
    for url, purpose in ((REVOCATION_LIST, "revocation"), (SUSPENSION_LIST, "suspension")):
        from vc_core import StatusList

        from .helpers import status_list_credential

        web.serve(
            url,
            status_list_credential(
                issuer, url, purpose, StatusList.new(), valid_until="2026-07-01T00:00:00Z"
            ),
        )
    with pytest.raises(CredentialPolicyError) as caught:
        verifier.verify_presentation(good_vp, challenge=NONCE, domain=CLIENT_ID)
    assert caught.value.code == "CREDENTIAL_EXPIRED"


def test_refuses_not_yet_valid(verifier: Verifier, holder: Holder, issuer: Issuer) -> None:
    vc = disclose(
        issue(issuer, income_subject(holder.did), valid_from="2026-02-01T00:00:00Z"), FACTS
    )
    with pytest.raises(CredentialPolicyError) as caught:
        verifier.verify_presentation(
            present(holder, [vc], challenge=NONCE), challenge=NONCE, domain=CLIENT_ID
        )
    assert caught.value.code == "CREDENTIAL_NOT_YET_VALID"


def test_reports_every_problem(
    make_verifier: Callable[..., Verifier], clock: MovableClock, holder: Holder
) -> None:
    stranger = Issuer.with_did_key()
    vc = disclose(issue(stranger, income_subject(holder.did)), FACTS)
    vp = present(Holder.new(), [vc], challenge=NONCE)
    clock.moment = clock.moment + timedelta(days=365)
    with pytest.raises(VerificationError) as caught:
        make_verifier().verify_presentation(vp, challenge="x", domain=CLIENT_ID)
    assert [p.code for p in caught.value.problems] == [
        "INVALID_CHALLENGE_ERROR",
        "CREDENTIAL_EXPIRED",
        "UNTRUSTED_ISSUER",
        "HOLDER_BINDING_ERROR",
    ]
    assert type(caught.value) is VerificationError
    assert caught.value.code == "INVALID_CHALLENGE_ERROR"


def test_status_unreachable_fails_closed_by_default(
    verifier: Verifier, web: FakeWeb, good_vp: JsonObject
) -> None:
    web.down.add(REVOCATION_LIST)
    with pytest.raises(StatusListError) as caught:
        verifier.verify_presentation(good_vp, challenge=NONCE, domain=CLIENT_ID)
    assert caught.value.code == "STATUS_RETRIEVAL_ERROR"
    assert caught.value.problems[0].path == "verifiableCredential[0].credentialStatus[0]"


def test_status_unreachable_fail_open_option(
    make_verifier: Callable[..., Verifier], web: FakeWeb, good_vp: JsonObject
) -> None:
    web.down.add(SUSPENSION_LIST)
    verifier = make_verifier(status_fail_closed=False)
    verified = verifier.verify_presentation(good_vp, challenge=NONCE, domain=CLIENT_ID)
    assert verified.credentials[0].status_unverified
    assert verified.credentials[0].status == ()


def test_fail_open_still_refuses_a_revoked_credential(
    make_verifier: Callable[..., Verifier], web: FakeWeb, issuer: Issuer, good_vp: JsonObject
) -> None:
    publish_issuer(web, issuer, revoked=[94567])
    with pytest.raises(CredentialPolicyError) as caught:
        make_verifier(status_fail_closed=False).verify_presentation(
            good_vp, challenge=NONCE, domain=CLIENT_ID
        )
    assert caught.value.code == "CREDENTIAL_REVOKED"


def test_without_http_client_status_cannot_be_retrieved(
    holder: Holder, make_verifier: Callable[..., Verifier]
) -> None:
    did_key_issuer = Issuer.with_did_key()
    vc = disclose(issue(did_key_issuer, income_subject(holder.did)), FACTS)
    verifier = make_verifier(
        fetch=None, trusted_issuers={did_key_issuer.did: ["InkomensverklaringCredential"]}
    )
    with pytest.raises(StatusListError) as caught:
        verifier.verify_presentation(
            present(holder, [vc], challenge=NONCE), challenge=NONCE, domain=CLIENT_ID
        )
    assert caught.value.code == "STATUS_RETRIEVAL_ERROR"
    assert "no HTTP client" in caught.value.problems[0].detail


def test_status_list_signed_by_another_issuer_is_refused(
    verifier: Verifier, web: FakeWeb, good_vp: JsonObject
) -> None:
    impostor = Issuer.with_did_key()
    from vc_core import StatusList

    from .helpers import status_list_credential

    web.serve(
        REVOCATION_LIST,
        status_list_credential(impostor, REVOCATION_LIST, "revocation", StatusList.new()),
    )
    with pytest.raises(StatusListError) as caught:
        verifier.verify_presentation(good_vp, challenge=NONCE, domain=CLIENT_ID)
    assert caught.value.code == "STATUS_VERIFICATION_ERROR"


def test_status_cache_honours_ttl(
    make_verifier: Callable[..., Verifier], web: FakeWeb, clock: MovableClock, good_vp: JsonObject
) -> None:
    verifier = make_verifier(status_cache=StatusListCache(clock=clock))
    verifier.verify_presentation(good_vp, challenge=NONCE, domain=CLIENT_ID)
    first = len(web.calls)
    verifier.verify_presentation(good_vp, challenge=NONCE, domain=CLIENT_ID)
    assert len(web.calls) == first  # lists and did.json cached
    clock.moment += timedelta(minutes=5, seconds=1)  # past the lists' ttl (300 000 ms)
    verifier.verify_presentation(good_vp, challenge=NONCE, domain=CLIENT_ID)
    assert web.calls[first:] == [
        "https://issuer.example.nl/belastingdienst/did.json",
        REVOCATION_LIST,
        SUSPENSION_LIST,
    ]


def test_a_key_taken_out_of_did_json_stops_verifying_once_the_cache_expires(
    verifier: Verifier, web: FakeWeb, clock: MovableClock, good_vp: JsonObject
) -> None:
    verifier.verify_presentation(good_vp, challenge=NONCE, domain=CLIENT_ID)
    rotated = Issuer(KeyPair.generate("P-256"), WEB_ISSUER, f"{WEB_ISSUER}#key-2")
    web.serve("https://issuer.example.nl/belastingdienst/did.json", rotated.did_document())
    clock.moment += timedelta(minutes=5, seconds=1)  # past the DID cache (and the lists' ttl)
    with pytest.raises(VerificationError) as caught:
        verifier.verify_presentation(good_vp, challenge=NONCE, domain=CLIENT_ID)
    assert "PROOF_VERIFICATION_ERROR" in {problem.code for problem in caught.value.problems}


def test_did_key_issuer_and_amount_disclosure(
    make_verifier: Callable[..., Verifier], holder: Holder, web: FakeWeb
) -> None:
    did_key_issuer = Issuer.with_did_key()
    publish_issuer(web, did_key_issuer)
    vc = disclose(issue(did_key_issuer, income_subject(holder.did)), AMOUNT)
    verifier = make_verifier(trusted_issuers={did_key_issuer.did: ["InkomensverklaringCredential"]})
    verified = verifier.verify_presentation(
        present(holder, [vc], challenge=NONCE), challenge=NONCE, domain=CLIENT_ID
    )
    assert verified.credentials[0].claim("verzamelinkomen", "value") == "41250.00"
    assert verified.credentials[0].claim("inkomenstoets") is None


def test_non_selective_suite_only_when_accepted(
    make_verifier: Callable[..., Verifier], holder: Holder, issuer: Issuer
) -> None:
    vc = issue(issuer, income_subject(holder.did), cryptosuite="ecdsa-rdfc-2019")
    vp = present(holder, [vc], challenge=NONCE)
    with pytest.raises(ProofVerificationError) as caught:
        make_verifier().verify_presentation(vp, challenge=NONCE, domain=CLIENT_ID)
    assert "not accepted" in caught.value.problems[0].detail
    accepting = make_verifier(accepted_cryptosuites=["ecdsa-sd-2023", "ecdsa-rdfc-2019"])
    verified = accepting.verify_presentation(vp, challenge=NONCE, domain=CLIENT_ID)
    assert verified.credentials[0].cryptosuite == "ecdsa-rdfc-2019"


def test_presentation_signed_with_selective_suite_is_refused(
    verifier: Verifier, holder: Holder, disclosed: JsonObject
) -> None:
    from vc_core import sign

    vp = sign(
        {
            "@context": ["https://www.w3.org/ns/credentials/v2"],
            "type": ["VerifiablePresentation"],
            "verifiableCredential": [disclosed],
        },
        holder.key,
        cryptosuite="eddsa-rdfc-2022" if holder.key.curve == "Ed25519" else "ecdsa-rdfc-2019",
        proof_purpose="assertionMethod",
        challenge=NONCE,
        domain=CLIENT_ID,
        created="2025-12-31T09:00:00Z",
    )
    with pytest.raises(ProofVerificationError) as caught:
        verifier.verify_presentation(vp, challenge=NONCE, domain=CLIENT_ID)
    assert "authentication" in caught.value.problems[0].detail


@pytest.mark.parametrize(
    "hostile",
    [
        None,
        "a string",
        [],
        {},
        {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": "VerifiablePresentation"},
        {
            "@context": ["https://www.w3.org/ns/credentials/v2"],
            "type": "VerifiablePresentation",
            "verifiableCredential": "not an object",
            "proof": {},
        },
    ],
    ids=["null", "string", "array", "empty", "no-proof", "credential-string"],
)
def test_hostile_shapes_are_parsing_errors(verifier: Verifier, hostile: object) -> None:
    with pytest.raises(ParsingError) as caught:
        verifier.verify_presentation(hostile, challenge=NONCE, domain=CLIENT_ID)
    assert caught.value.code == "PARSING_ERROR"


@pytest.mark.parametrize(
    "hostile",
    [{"type": ["VerifiableCredential"], "issuer": 5}, 42, {"@context": "x"}],
    ids=["bad-issuer", "number", "bad-context"],
)
def test_hostile_credential_inside_a_presentation(
    verifier: Verifier, good_vp: JsonObject, hostile: object
) -> None:
    vp = copy.deepcopy(good_vp)
    vp["verifiableCredential"] = [hostile]
    report = verifier.check_presentation(vp, challenge=NONCE, domain=CLIENT_ID)
    assert report.presentation is None
    assert report.problems[-1].code == "PARSING_ERROR"
    assert report.problems[-1].path.startswith("verifiableCredential")


def test_proof_set_on_a_credential_is_refused(
    verifier: Verifier, holder: Holder, disclosed: JsonObject
) -> None:
    doubled = copy.deepcopy(disclosed)
    doubled["proof"] = [doubled["proof"], doubled["proof"]]
    report = verifier.check_presentation(
        present(holder, [doubled], challenge=NONCE), challenge=NONCE, domain=CLIENT_ID
    )
    assert report.codes == ("PARSING_ERROR",)
    assert report.problems[0].path == "verifiableCredential[0].proof"


def test_constructor_refuses_misuse(landlord_key: object) -> None:
    from vc_core import KeyPair

    key = KeyPair.generate("P-256")
    with pytest.raises(ValueError, match="client_id"):
        Verifier(client_id="did:web:verhuur.example.nl", signing_key=key, trusted_issuers={})
    with pytest.raises(ValueError, match="signing_kid"):
        Verifier(client_id=CLIENT_ID, signing_key=key, trusted_issuers={})
    with pytest.raises(TypeError):
        Verifier(client_id=CLIENT_ID, signing_key="key", trusted_issuers={})  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="accepted_cryptosuites"):
        Verifier(
            client_id="redirect_uri:https://localhost/r",
            signing_key=key,
            trusted_issuers={},
            accepted_cryptosuites=["bbs-2023"],
        )


def test_did_web_base_url_override(
    make_verifier: Callable[..., Verifier], web: FakeWeb, issuer: Issuer, good_vp: JsonObject
) -> None:
    """A did:web DID can be pointed at another host (local development, in-process apps)."""
    original = "https://issuer.example.nl/belastingdienst/did.json"
    web.documents["http://127.0.0.1:8001/belastingdienst/did.json"] = web.documents.pop(original)
    verifier = make_verifier(did_web_base_urls={issuer.did: "http://127.0.0.1:8001"})
    assert verifier.verify_presentation(good_vp, challenge=NONCE, domain=CLIENT_ID)
    assert "http://127.0.0.1:8001/belastingdienst/did.json" in web.calls
