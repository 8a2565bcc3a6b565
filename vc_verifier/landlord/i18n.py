"""The landlord page's words in Dutch (default) and English."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

__all__ = ["LANGUAGES", "Language", "explain", "money", "pick_language", "translate"]

Language = Literal["nl", "en"]
LANGUAGES: tuple[Language, ...] = ("nl", "en")

_TEXTS: dict[str, tuple[str, str]] = {
    "site_name": ("Inkomenstoets voor verhuur", "Income check for letting"),
    "skip_to_content": ("Direct naar de inhoud", "Skip to content"),
    "switch_language": ("English", "Nederlands"),
    "demo_banner": (
        "Voorbeeldverhuurder. De inkomensgrenzen zijn voorbeeldcijfers, geen officiële cijfers.",
        "Example landlord. The income limits are example figures, not the official ones.",
    ),
    "start_title": ("Nieuwe inkomenstoets", "New income check"),
    "start_intro": (
        "Laat de woningzoekende met de wallet-app aantonen dat het inkomen binnen de grens voor "
        "sociale huur valt. U ziet alleen de uitkomst; het inkomen zelf wordt niet getoond en "
        "niet bewaard.",
        "Let the home seeker show with their wallet app that their income is within the limit "
        "for social rent. You only see the outcome; the income itself is neither shown nor kept.",
    ),
    "household_label": ("Aantal personen in het huishouden", "Number of people in the household"),
    "household_hint": (
        "Tel iedereen die in de woning gaat wonen (1 tot en met 12).",
        "Count everyone who will live in the home (1 to 12).",
    ),
    "ask_legend": ("Wat vraagt u op?", "What do you ask for?"),
    "ask_facts": (
        "Alleen de uitkomst van de inkomenstoets van de Belastingdienst (aanbevolen)",
        "Only the outcome of the tax office's income test (recommended)",
    ),
    "ask_amount": ("Het verzamelinkomen", "The aggregate income"),
    "start_button": ("Start de controle", "Start the check"),
    "limits_caption": (
        "Inkomensgrenzen {rule} {year} (per huishouden)",
        "Income limits {rule} {year} (per household)",
    ),
    "household_size": ("Huishouden", "Household"),
    "persons": ("{count} of meer personen", "{count} or more people"),
    "limit": ("Inkomensgrens", "Income limit"),
    "bad_household": (
        "Vul een aantal personen in van 1 tot en met 12.",
        "Enter a number of people from 1 to 12.",
    ),
    "error_heading": ("Er ging iets mis", "Something went wrong"),
    "check_title": (
        "Inkomenstoets voor een huishouden van {size}",
        "Income check for a household of {size}",
    ),
    "scan": (
        "Vraag de woningzoekende deze QR-code te scannen met de wallet-app.",
        "Ask the home seeker to scan this QR code with their wallet app.",
    ),
    "qr_label": (
        "QR-code met het verzoek om de inkomenstoets",
        "QR code with the request for the income check",
    ),
    "same_device": (
        "Staat de wallet op dit apparaat? Open het verzoek:",
        "Is the wallet on this device? Open the request:",
    ),
    "open_request": ("Open in de wallet", "Open in the wallet"),
    "waiting": (
        "Wachten op het antwoord uit de wallet.",
        "Waiting for the answer from the wallet.",
    ),
    "answered": ("Het antwoord is binnen.", "The answer has arrived."),
    "show_answer": ("Toon de uitkomst", "Show the outcome"),
    "processing": (
        "Het antwoord is binnen en wordt gecontroleerd.",
        "The answer has arrived and is being checked.",
    ),
    "refresh": ("Opnieuw kijken", "Check again"),
    "valid_until": ("Het verzoek is geldig tot {time}.", "The request is valid until {time}."),
    "decision_heading": ("Uitkomst", "Outcome"),
    "meets_yes": (
        "Het inkomen valt binnen de grens voor sociale huur.",
        "The income is within the limit for social rent.",
    ),
    "meets_no": (
        "Het inkomen valt boven de grens voor sociale huur.",
        "The income is above the limit for social rent.",
    ),
    "meets_none": (
        "De uitkomst kan niet worden vastgesteld.",
        "The outcome cannot be determined.",
    ),
    "reason": ("Toelichting", "Explanation"),
    "basis": ("Vastgesteld met", "Decided from"),
    "basis_facts": (
        "de uitkomst van de Belastingdienst; er zijn geen bedragen gedeeld",
        "the tax office's outcome; no amounts were shared",
    ),
    "basis_amount": (
        "het gedeelde verzamelinkomen (het bedrag wordt niet getoond en niet bewaard)",
        "the shared aggregate income (the amount is neither shown nor kept)",
    ),
    "basis_mixed": (
        "uitkomsten en bedragen samen (bedragen worden niet getoond en niet bewaard)",
        "outcomes and amounts together (amounts are neither shown nor kept)",
    ),
    "rule": ("Regel", "Rule"),
    "claims_seen": ("Gedeelde gegevens", "Data shared"),
    "vouched_by": ("Afgegeven door", "Issued by"),
    "record_download": (
        "Download het ondertekende verificatieverslag",
        "Download the signed verification record",
    ),
    "record_explain": (
        "Bewaar dit verslag in het dossier, in plaats van kopieën van inkomensgegevens.",
        "Keep this record in the file, instead of copies of income documents.",
    ),
    "ask_amount_instead": (
        "Vraag in plaats daarvan het verzamelinkomen op",
        "Ask for the aggregate income instead",
    ),
    "rejected": (
        "Het antwoord uit de wallet is geweigerd. Controles die faalden:",
        "The answer from the wallet was refused. Checks that failed:",
    ),
    "wallet_error": (
        "De woningzoekende heeft het verzoek niet beantwoord ({error}).",
        "The home seeker did not answer the request ({error}).",
    ),
    "expired": (
        "Dit verzoek is verlopen zonder antwoord.",
        "This request expired without an answer.",
    ),
    "new_check": ("Nieuwe controle", "New check"),
    "upload_heading": ("Of: controleer een gewaarmerkte PDF", "Or: check a sealed PDF"),
    "upload_intro": (
        "Heeft de woningzoekende een gewaarmerkt PDF-bestand van de overheid gestuurd (Blauwe "
        "Knop Basis of Basis 2.0)? Dan controleert deze pagina de zegels en de digitale "
        "gegevens erin, en beslist op de inkomensverklaring van de Belastingdienst.",
        "Did the home seeker send a sealed PDF file from the government (Blauwe Knop Basis or "
        "Basis 2.0)? This page checks its seals and the digital data inside, and decides on "
        "the tax office's income statement.",
    ),
    "upload_label": ("Het PDF-bestand", "The PDF file"),
    "upload_hint": ("Ten hoogste {size} MB.", "At most {size} MB."),
    "upload_button": ("Controleer de PDF", "Check the PDF"),
    "no_pdf": ("Kies een PDF-bestand.", "Choose a PDF file."),
    "too_large_title": ("Bestand te groot", "File too large"),
    "too_large": (
        "Dit bestand is groter dan deze pagina aanneemt.",
        "This file is larger than this page accepts.",
    ),
    "pdf_check_title": (
        "Gewaarmerkte PDF voor een huishouden van {size}",
        "Sealed PDF for a household of {size}",
    ),
    "pdf_refused": (
        "De PDF is geweigerd. Controles die faalden:",
        "The PDF was refused. Checks that failed:",
    ),
    "pdf_sources_caption": ("Wat er in de PDF zit", "What the PDF holds"),
    "pdf_source": ("Organisatie", "Organisation"),
    "pdf_seal": ("Zegel in orde", "Seal intact"),
    "pdf_credential": ("Digitale gegevens geldig", "Digital data valid"),
    "pdf_printed": ("Getoonde gegevens kloppen", "Shown data matches"),
    "pdf_not_trusted": ("niet nodig voor deze toets", "not needed for this check"),
    "pdf_sha256": ("SHA-256 van het bestand:", "SHA-256 of the file:"),
    "yes": ("ja", "yes"),
    "no": ("nee", "no"),
    "status_valid": ("niet ingetrokken", "not revoked"),
    "status_revoked": ("ingetrokken", "revoked"),
    "status_suspended": ("geschorst", "suspended"),
    "status_unknown": ("status onbekend", "status unknown"),
    "status_not checked": ("niet gecontroleerd", "not checked"),
    "why_SEAL_BROKEN": (
        "een zegel is verbroken: het document is na het waarmerken gewijzigd.",
        "a seal is broken: the document was changed after it was sealed.",
    ),
    "why_SEAL_MISSING": ("een zegel ontbreekt.", "a seal is missing."),
    "why_DOCUMENT_MODIFIED": (
        "het document is na een zegel nog gewijzigd.",
        "the document was changed after a seal.",
    ),
    "why_SIGNER_UNTRUSTED": (
        "het zegel is niet van een organisatie die deze pagina vertrouwt.",
        "the seal is not from an organisation this page trusts.",
    ),
    "why_CREDENTIAL_REVOKED": (
        "de organisatie heeft deze verklaring ingetrokken.",
        "the organisation has revoked this statement.",
    ),
    "why_CREDENTIAL_SUSPENDED": (
        "de organisatie heeft deze verklaring geschorst.",
        "the organisation has suspended this statement.",
    ),
    "why_PRINTED_DATA_MISMATCH": (
        "de getoonde gegevens zijn niet gelijk aan de digitale gegevens.",
        "the shown data differs from the digital data.",
    ),
    "why_PDF_UNREADABLE": ("het bestand is geen leesbare PDF.", "the file is not a readable PDF."),
    "why_MANIFEST_MISSING": (
        "het bestand is geen gewaarmerkt afschrift van de overheid.",
        "the file is not a sealed copy from the government.",
    ),
    "why_NO_TRUSTED_CREDENTIAL": (
        "er zit geen verklaring in van een organisatie die deze pagina vertrouwt.",
        "it holds no statement of an organisation this page trusts.",
    ),
    "not_found_title": ("Niet gevonden", "Not found"),
    "not_found": (
        "Deze controle bestaat niet of is op een andere computer gestart.",
        "This check does not exist or was started on another computer.",
    ),
    "forbidden_title": ("Niet toegestaan", "Not allowed"),
    "csrf_refused": (
        "Dit formulier is verlopen of niet door deze website gemaakt. Laad de pagina opnieuw.",
        "This form has expired or was not made by this website. Reload the page.",
    ),
    "too_many_title": ("Even geduld", "Please wait"),
    "too_many_checks": (
        "Er zijn in korte tijd veel controles gestart. Probeer het over {minutes} minuten opnieuw.",
        "Many checks were started in a short time. Try again in {minutes} minutes.",
    ),
    "wallet_error_open": (
        "Een wallet heeft het verzoek niet beantwoord ({error}); het verzoek blijft open tot "
        "het verloopt.",
        "A wallet did not answer the request ({error}); the request stays open until it expires.",
    ),
    "failed_attempts": (
        "{count} antwoord(en) konden niet worden geverifieerd; het verzoek blijft open.",
        "{count} answer(s) could not be verified; the request stays open.",
    ),
}


def translate(language: Language, key: str, **values: object) -> str:
    """The text ``key`` in ``language``, with ``{name}`` fields filled from ``values``."""
    text = _TEXTS[key][LANGUAGES.index(language)]
    return text.format(**values) if values else text


def explain(language: Language, code: str) -> str:
    """A plain sentence for a refusal code, or ``""`` when there is none."""
    key = f"why_{code}"
    return translate(language, key) if key in _TEXTS else ""


def pick_language(query: str | None, cookie: str | None, accept_language: str | None) -> Language:
    """The ``lang`` query, else the cookie, else an English browser, else Dutch."""
    for choice in (query, cookie):
        if choice in LANGUAGES:
            return "en" if choice == "en" else "nl"
    first = (accept_language or "").split(",")[0].strip().lower()
    return "en" if first.startswith("en") else "nl"


def money(language: Language, amount: Decimal) -> str:
    """A euro amount: ``€ 49.500,00`` (nl) or ``€49,500.00`` (en)."""
    text = f"{amount:,.2f}"
    if language == "nl":
        return "€ " + text.replace(",", " ").replace(".", ",").replace(" ", ".")
    return "€" + text
