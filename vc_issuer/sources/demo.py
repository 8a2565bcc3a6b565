"""The synthetic demo registers: reproducible citizens across the four sources.

Every BSN passes the 11-test and lies in the ``999xxxxxx`` range, which is
not issued to real people. Random citizens get numbers below ``999990000``;
the fixed demo citizens live above it:

- ``999993653`` (:data:`DEMO_BSN`) is known to all four sources: an income
  statement, a diploma and a car;
- ``999990019`` (:data:`REVIEW_BSN`) has a diploma under manual review
  (deferred issuance).

All data is invented; names, streets and plates are drawn from small lists
with a seeded random generator, so the same ``people`` and ``seed`` always
give the same registers.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import delete, insert
from sqlalchemy.orm import Session

from vc_issuer.sources.belastingdienst import InkomenRow, load_published_limits
from vc_issuer.sources.brp import PersoonRow
from vc_issuer.sources.duo import DiplomaRow
from vc_issuer.sources.rdw import VoertuigRow

__all__ = [
    "DEMO_BSN",
    "DEMO_SEED",
    "REVIEW_BSN",
    "SeedSummary",
    "is_valid_bsn",
    "registers_seeded",
    "seed_registers",
]

DEMO_BSN = "999993653"
REVIEW_BSN = "999990019"
DEMO_SEED = 20250601
_FIRST_RANDOM, _END_RANDOM = 999_000_000, 999_990_000
_TAX_YEARS = (2023, 2024)

_FIRST_NAMES = (
    "Anna",
    "Daan",
    "Emma",
    "Sem",
    "Julia",
    "Lucas",
    "Sophie",
    "Milan",
    "Tess",
    "Levi",
    "Fenna",
    "Noah",
    "Sara",
    "Finn",
    "Lotte",
    "Bram",
    "Noor",
    "Thijs",
    "Eva",
    "Jesse",
    "Fatima",
    "Mohamed",
    "Yara",
    "Ayoub",
    "Lina",
    "Rayan",
    "Mila",
    "Jan",
    "Maria",
    "Pieter",
    "Johanna",
    "Cornelis",
    "Hendrika",
    "Willem",
    "Grietje",
    "Kees",
    "Ingrid",
    "Sven",
    "Priya",
)
_PREFIXES = (None, None, None, None, "de", "van", "van der", "van den", "van de", "ter", "in 't")
_SURNAMES = (
    "Jansen",
    "Vries",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "Mulder",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "Dekker",
    "Brouwer",
    "Dijk",
    "Berg",
    "Leeuwen",
    "Veen",
    "Wal",
    "Kok",
    "Yilmaz",
    "El Amrani",
    "Boer",
    "Graaf",
    "Hoekstra",
    "Koster",
    "Prins",
    "Huisman",
    "Kramer",
    "Maas",
)
_TOWNS = (
    ("Utrecht", "Utrecht", (3511, 3585), ("Oudegracht", "Biltstraat", "Amsterdamsestraatweg")),
    ("Amsterdam", "Amsterdam", (1011, 1109), ("Prinsengracht", "Javastraat", "Bos en Lommerweg")),
    (
        "Rotterdam",
        "Rotterdam",
        (3011, 3089),
        ("Coolsingel", "Nieuwe Binnenweg", "Beijerlandselaan"),
    ),
    ("Den Haag", "'s-Gravenhage", (2511, 2598), ("Laan van Meerdervoort", "Weimarstraat")),
    ("Zwolle", "Zwolle", (8011, 8043), ("Diezerstraat", "Assendorperstraat")),
    ("Groningen", "Groningen", (9711, 9747), ("Herestraat", "Oosterstraat", "Paterswoldseweg")),
    ("Maastricht", "Maastricht", (6211, 6229), ("Wycker Brugstraat", "Tongerseweg")),
    ("Houten", "Houten", (3991, 3995), ("Plein", "Loerikseweg")),
)
_BIRTH_PLACES = (
    "Utrecht",
    "Amsterdam",
    "Rotterdam",
    "Den Haag",
    "Eindhoven",
    "Groningen",
    "Paramaribo",
    "Rabat",
    "Istanbul",
    "Zwolle",
    "Arnhem",
    "Leeuwarden",
)
_NATIONALITIES = ("Nederlandse",) * 9 + ("Belgische", "Duitse", "Marokkaanse", "Turkse")
_PROGRAMMES = (
    ("HBO-ICT", "HBO bachelor", "Hogeschool Utrecht", "34479"),
    ("Verpleegkunde", "HBO bachelor", "Hogeschool van Amsterdam", "34560"),
    ("Rechtsgeleerdheid", "WO master", "Universiteit Leiden", "60093"),
    ("Bedrijfskunde", "WO bachelor", "Rijksuniversiteit Groningen", "50645"),
    ("Natuurkunde", "WO master", "Universiteit Utrecht", "60203"),
    ("Werktuigbouwkunde", "HBO bachelor", "Hogeschool Windesheim", "34795"),
    ("Pedagogisch medewerker", "MBO 4", "ROC Midden Nederland", None),
    ("Allround timmerman", "MBO 3", "Albeda", None),
    ("Administratief medewerker", "MBO 2", "ROC van Amsterdam", None),
)
_CARS = (
    ("Volkswagen", "Golf", "Benzine"),
    ("Toyota", "Yaris", "Benzine"),
    ("Kia", "Niro", "Elektriciteit"),
    ("Tesla", "Model 3", "Elektriciteit"),
    ("Peugeot", "208", "Benzine"),
    ("Skoda", "Octavia", "Diesel"),
    ("Renault", "Clio", "Benzine"),
    ("Volvo", "XC40", "Elektriciteit"),
)
_PLATE_LETTERS = "BDFGHJKLNPRSTVXZ"


@dataclass(frozen=True, slots=True)
class SeedSummary:
    """How many register rows the seed wrote."""

    people: int
    incomes: int
    diplomas: int
    vehicles: int


def registers_seeded(session: Session) -> bool:
    """Whether the person register holds the demo citizen (the demo set was loaded)."""
    return session.get(PersoonRow, DEMO_BSN) is not None


def is_valid_bsn(bsn: str) -> bool:
    """Whether ``bsn`` is nine digits that pass the BSN 11-test (last digit weighs -1)."""
    if len(bsn) != 9 or not bsn.isascii() or not bsn.isdigit():
        return False
    digits = [int(c) for c in bsn]
    total = sum(d * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True)) - digits[8]
    return total % 11 == 0


def _fixed_citizens() -> tuple[list[dict[str, object]], ...]:
    """The demo citizens the docs, notebooks and tests rely on."""
    people: list[dict[str, object]] = [
        {
            "bsn": DEMO_BSN,
            "voornamen": "Anna Maria",
            "voorvoegsel": "de",
            "geslachtsnaam": "Vries",
            "geboortedatum": date(1990, 4, 12),
            "geboorteplaats": "Utrecht",
            "nationaliteit": "Nederlandse",
            "straat": "Oudegracht",
            "huisnummer": 231,
            "huisnummertoevoeging": "bis",
            "postcode": "3511 NK",
            "woonplaats": "Utrecht",
            "gemeente": "Utrecht",
            "land": "Nederland",
        },
        {
            "bsn": REVIEW_BSN,
            "voornamen": "Rafael",
            "voorvoegsel": None,
            "geslachtsnaam": "Oliveira",
            "geboortedatum": date(1987, 11, 3),
            "geboorteplaats": "Porto",
            "nationaliteit": "Portugese",
            "straat": "Biltstraat",
            "huisnummer": 12,
            "huisnummertoevoeging": None,
            "postcode": "3572 AC",
            "woonplaats": "Utrecht",
            "gemeente": "Utrecht",
            "land": "Nederland",
        },
    ]
    incomes: list[dict[str, object]] = [
        {
            "bsn": DEMO_BSN,
            "belastingjaar": 2023,
            "verzamelinkomen": Decimal("39800.00"),
            "huishoudgrootte": 1,
        },
        {
            "bsn": DEMO_BSN,
            "belastingjaar": 2024,
            "verzamelinkomen": Decimal("41250.00"),
            "huishoudgrootte": 1,
        },
    ]
    diplomas: list[dict[str, object]] = [
        {
            "bsn": DEMO_BSN,
            "opleiding": "HBO-ICT",
            "niveau": "HBO bachelor",
            "onderwijsinstelling": "Hogeschool Utrecht",
            "datum_behaald": date(2013, 7, 5),
            "croho_code": "34479",
            "handmatige_controle": False,
        },
        {
            "bsn": REVIEW_BSN,
            "opleiding": "Engenharia Informática",
            "niveau": "WO master",
            "onderwijsinstelling": "Universidade do Porto",
            "datum_behaald": date(2012, 7, 20),
            "croho_code": None,
            "handmatige_controle": True,
        },
    ]
    vehicles: list[dict[str, object]] = [
        {
            "kenteken": "GZ-123-B",
            "bsn": DEMO_BSN,
            "merk": "Volkswagen",
            "handelsbenaming": "Golf",
            "datum_eerste_toelating": date(2019, 3, 15),
            "brandstof": "Benzine",
            "tenaamstellingsdatum": date(2021, 6, 1),
        },
    ]
    return people, incomes, diplomas, vehicles


def _random_bsns(rng: random.Random, count: int) -> list[str]:
    found: set[str] = set()
    ordered: list[str] = []
    while len(ordered) < count:
        bsn = str(rng.randrange(_FIRST_RANDOM, _END_RANDOM))
        if bsn not in found and is_valid_bsn(bsn):
            found.add(bsn)
            ordered.append(bsn)
    return ordered


def _plate(rng: random.Random, taken: set[str]) -> str:
    while True:
        plate = (
            "".join(rng.choices(_PLATE_LETTERS, k=2))
            + f"-{rng.randrange(100, 1000)}-"
            + rng.choice(_PLATE_LETTERS)
        )
        if plate not in taken:
            taken.add(plate)
            return plate


def seed_registers(session: Session, *, people: int, seed: int = DEMO_SEED) -> SeedSummary:
    """Replace the four registers' contents with the demo data set (plus the published limits)."""
    if people < 0:
        raise ValueError("people must not be negative")
    rng = random.Random(seed)
    persons, incomes, diplomas, vehicles = _fixed_citizens()
    plates = {str(v["kenteken"]) for v in vehicles}
    for bsn in _random_bsns(rng, people):
        town, municipality, (low, high), streets = rng.choice(_TOWNS)
        born = date(1945, 1, 1) + timedelta(days=rng.randrange(60 * 365))
        persons.append(
            {
                "bsn": bsn,
                "voornamen": " ".join(rng.sample(_FIRST_NAMES, rng.choice((1, 1, 2)))),
                "voorvoegsel": rng.choice(_PREFIXES),
                "geslachtsnaam": rng.choice(_SURNAMES),
                # About 1 in 200 birth dates is only partly known and so left out.
                "geboortedatum": None if rng.random() < 0.005 else born,
                "geboorteplaats": rng.choice(_BIRTH_PLACES),
                "nationaliteit": rng.choice(_NATIONALITIES),
                "straat": rng.choice(streets),
                "huisnummer": rng.randrange(1, 300),
                "huisnummertoevoeging": rng.choice((None, None, None, None, "A", "bis", "2 hoog")),
                "postcode": f"{rng.randrange(low, high + 1)} "
                + "".join(rng.choices("ABCEGHJKLMNPRSTVWXZ", k=2)),
                "woonplaats": town,
                "gemeente": municipality,
                "land": "Nederland",
            }
        )
        household = rng.choice((1, 1, 2, 2, 3, 4))
        base = math.exp(rng.gauss(10.45, 0.55))
        for year in _TAX_YEARS:
            amount = Decimal(f"{base * (1 + rng.uniform(-0.05, 0.08)):.2f}")
            incomes.append(
                {
                    "bsn": bsn,
                    "belastingjaar": year,
                    "verzamelinkomen": amount,
                    "huishoudgrootte": household,
                }
            )
        if rng.random() < 0.6:
            name, level, school, croho = rng.choice(_PROGRAMMES)
            awarded = born + timedelta(days=rng.randrange(18 * 365, 30 * 365))
            diplomas.append(
                {
                    "bsn": bsn,
                    "opleiding": name,
                    "niveau": level,
                    "onderwijsinstelling": school,
                    "datum_behaald": awarded,
                    "croho_code": croho,
                    "handmatige_controle": rng.random() < 0.02,
                }
            )
        for _ in range(rng.choice((0, 0, 1, 1, 1, 2))):
            make, model, fuel = rng.choice(_CARS)
            first = date(2008, 1, 1) + timedelta(days=rng.randrange(16 * 365))
            vehicles.append(
                {
                    "kenteken": _plate(rng, plates),
                    "bsn": bsn,
                    "merk": make,
                    "handelsbenaming": model,
                    "datum_eerste_toelating": first,
                    "brandstof": fuel,
                    "tenaamstellingsdatum": first + timedelta(days=rng.randrange(700)),
                }
            )
    for table in (InkomenRow, DiplomaRow, VoertuigRow, PersoonRow):
        session.execute(delete(table))
    load_published_limits(session)
    for table, rows in (
        (PersoonRow, persons),
        (InkomenRow, incomes),
        (DiplomaRow, diplomas),
        (VoertuigRow, vehicles),
    ):
        session.execute(insert(table), rows)
    session.flush()
    return SeedSummary(len(persons), len(incomes), len(diplomas), len(vehicles))
