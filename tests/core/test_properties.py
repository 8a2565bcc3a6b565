"""Property tests: random credentials of our vocabulary through sign -> derive -> verify.

The four credential kinds of ``contexts/README.md`` get random but valid values
(text without control characters, integers, dates, booleans, decimal strings).
A *claim* is a leaf of the credential other than ``@context``, ``type`` and
the credential's own ``id``; a disclosure must show exactly the mandatory plus
the selected claims, and any single changed, added or removed claim must fail.
"""

from __future__ import annotations

import copy
import re
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vc_core import KeyPair, VerificationError, derive, did_key, sign, verify

Json = dict[str, Any]

ISSUER = KeyPair.generate("P-256")
HOLDER = did_key(KeyPair.generate("P-256"))
CONTEXT = ["https://www.w3.org/ns/credentials/v2", "https://issuer.example.nl/contexts/nl-vc/v1"]
MANDATORY = ("/issuer", "/validFrom", "/credentialSubject/id")
# Text-valued terms of our vocabulary, used to add a claim the issuer never signed.
TEXT_TERMS = ("inkomensklasse", "voornamen", "geboorteplaats", "nationaliteit", "merk", "niveau")
SETTINGS = settings(max_examples=75, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# --- strategies -------------------------------------------------------------------------------

text = st.text(st.characters(exclude_categories=("Cc", "Cs")), min_size=1, max_size=20)
integers = st.integers(min_value=0, max_value=100_000)
dates = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)).map(date.isoformat)
decimals = st.decimals(
    min_value=0, max_value=10_000_000, places=2, allow_nan=False, allow_infinity=False
).map(lambda amount: f"{amount:.2f}")


def node(type_name: str, required: dict[str, Any], optional: dict[str, Any] | None = None) -> Any:
    """A JSON object strategy with a fixed ``type`` and the given member strategies."""
    return st.fixed_dictionaries({"type": st.just(type_name), **required}, optional=optional or {})


SUBJECTS = {
    "InkomensverklaringCredential": node(
        "Belastingplichtige",
        {
            "belastingjaar": st.integers(min_value=1990, max_value=2100),
            "verzamelinkomen": node("MonetaryAmount", {"value": decimals, "currency": text}),
            "inkomensklasse": st.sampled_from(["laag", "midden", "hoog"]),
        },
        {
            "inkomenstoets": node(
                "InkomenToets",
                {
                    "regel": text,
                    "regelJaar": integers,
                    "huishoudgrootte": st.integers(min_value=1, max_value=12),
                    "onderSocialeHuurgrens": st.booleans(),
                },
            )
        },
    ),
    "PersoonsgegevensCredential": node(
        "Ingezetene",
        {
            "voornamen": text,
            "geslachtsnaam": text,
            "geboortedatum": dates,
            "geboorteplaats": text,
            "nationaliteit": text,
            "adres": node(
                "Adres",
                {
                    "straat": text,
                    "huisnummer": integers,
                    "postcode": text,
                    "woonplaats": text,
                    "gemeente": text,
                    "land": text,
                },
                {"huisnummertoevoeging": text},
            ),
        },
        {"voorvoegsel": text},
    ),
    "DiplomaCredential": node(
        "Diplomahouder",
        {
            "diploma": node(
                "Diploma",
                {
                    "opleiding": text,
                    "niveau": text,
                    "onderwijsinstelling": text,
                    "datumBehaald": dates,
                    "crohoCode": text,
                },
            )
        },
    ),
    "VoertuigregistratieCredential": node(
        "Kentekenhouder",
        {
            "voertuig": node(
                "Voertuig",
                {
                    "kenteken": text,
                    "merk": text,
                    "handelsbenaming": text,
                    "datumEersteToelating": dates,
                    "brandstof": text,
                    "tenaamstellingsdatum": dates,
                },
            )
        },
    ),
}


@st.composite
def credentials(draw: st.DrawFn) -> Json:
    """One credential of a random kind, with random claims and validity start."""
    kind = draw(st.sampled_from(sorted(SUBJECTS)))
    valid_from = draw(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 1, 1)))
    return {
        "@context": CONTEXT,
        "type": ["VerifiableCredential", kind],
        "issuer": did_key(ISSUER),
        "validFrom": valid_from.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "credentialSubject": {"id": HOLDER, **draw(SUBJECTS[kind])},
    }


# --- claims -----------------------------------------------------------------------------------


def claims(value: Any, pointer: str = "") -> dict[str, Any]:
    """Every claim of a credential as JSON Pointer -> value."""
    if not isinstance(value, dict):
        return {pointer: value}
    found: dict[str, Any] = {}
    for name, item in value.items():
        if name in ("@context", "type") or (pointer, name) == ("", "id"):
            continue
        found.update(claims(item, f"{pointer}/{name}"))
    return found


def parent_and_name(document: Json, pointer: str) -> tuple[Json, str]:
    *parents, name = pointer.lstrip("/").split("/")
    target = document
    for parent in parents:
        target = target[parent]
    return target, name


_DECIMAL = re.compile(r"\d+\.\d\d")
_DATE = re.compile(r"\d{4}-\d\d-\d\d")


def changed(value: Any) -> Any:
    """A different value of the same kind (still valid for its term)."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1
    if _DECIMAL.fullmatch(value):
        return f"{Decimal(value) + 1:.2f}"
    if _DATE.fullmatch(value):
        return (date.fromisoformat(value) + timedelta(days=1)).isoformat()
    return value + "x"


def tampered(document: Json, hidden: dict[str, Any], data: st.DataObject) -> Json:
    """``document`` with one claim changed, removed or added (drawn from ``data``)."""
    result = copy.deepcopy(document)
    present = claims(result)
    subject = result["credentialSubject"]
    edits: list[tuple[str, str, Any]] = [("change", p, changed(v)) for p, v in present.items()]
    edits += [("remove", p, None) for p in present]
    # A hidden claim put back with its true value, where its parent object is shown.
    parents = {p.rpartition("/")[0] for p in present} | {"/credentialSubject"}
    edits += [("add", p, v) for p, v in hidden.items() if p.rpartition("/")[0] in parents]
    edits += [
        ("add", f"/credentialSubject/{term}", "toegevoegd")
        for term in TEXT_TERMS
        if term not in subject
    ]
    action, pointer, value = data.draw(st.sampled_from(edits), label="edit")
    target, name = parent_and_name(result, pointer)
    if action == "remove":
        del target[name]
    else:
        target[name] = value
    return result


# --- properties -------------------------------------------------------------------------------


def disclose(credential: Json, data: st.DataObject) -> tuple[Json, set[str]]:
    """Sign with ecdsa-sd-2023, derive a random selection; return it and the selected claims."""
    base = sign(credential, ISSUER, cryptosuite="ecdsa-sd-2023", mandatory_pointers=MANDATORY)
    optional = sorted(set(claims(credential)) - set(MANDATORY))
    selected = data.draw(st.sets(st.sampled_from(optional)), label="selected")
    return derive(base, selective_pointers=sorted(selected)), selected


@SETTINGS
@given(credential=credentials(), data=st.data())
def test_disclosure_verifies_and_shows_exactly_mandatory_and_selected(
    credential: Json, data: st.DataObject
) -> None:
    shown, selected = disclose(credential, data)
    document = verify(shown).document
    assert set(claims(document)) == set(MANDATORY) | selected
    everything = claims(credential)
    assert claims(document) == {p: everything[p] for p in claims(document)}


@SETTINGS
@given(credential=credentials(), data=st.data())
def test_any_single_claim_edit_of_a_disclosure_fails(credential: Json, data: st.DataObject) -> None:
    shown, _ = disclose(credential, data)
    everything = claims(credential)
    hidden = {p: v for p, v in everything.items() if p not in claims(shown)}
    with pytest.raises(VerificationError):
        verify(tampered(shown, hidden, data))


@SETTINGS
@given(credential=credentials(), data=st.data())
def test_any_single_claim_edit_of_an_rdfc_credential_fails(
    credential: Json, data: st.DataObject
) -> None:
    signed = sign(credential, ISSUER, cryptosuite="ecdsa-rdfc-2019")
    verify(signed)
    with pytest.raises(VerificationError):
        verify(tampered(signed, {}, data))
