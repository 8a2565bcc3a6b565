"""The portal's words in Dutch and English, and how claims and values are shown in each.

Dutch is the default; ``?lang=en`` (remembered in a cookie) or an English
``Accept-Language`` switches. Claim labels and credential names come from
:mod:`vc_issuer.display`, as in the issuer metadata and the sealed PDF.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

from vc_core.vocabulary import format_date
from vc_issuer.display import LANGUAGES, Language, claim_label

__all__ = [
    "LANGUAGES",
    "Language",
    "claim_label",
    "claim_rows",
    "format_moment",
    "pick_language",
    "translate",
]

_TIME_ZONE = ZoneInfo("Europe/Amsterdam")

_TEXTS: dict[str, tuple[str, str]] = {
    # key: (Dutch, English)
    "site_name": ("Mijn gegevens bij de overheid", "My government data"),
    "skip_to_content": ("Direct naar de inhoud", "Skip to content"),
    "switch_language": ("English", "Nederlands"),
    "demo_banner": (
        "Dit is geen echte overheidsdienst. De inlog controleert niet wie u bent en alle "
        "gegevens zijn verzonnen.",
        "This is not a real government service. The login does not check who you are and "
        "all data is made up.",
    ),
    "footer": (
        "Blauwe Knop: uw gegevens bij de bron, op uw manier. Een demonstratie.",
        "Blauwe Knop: your data at the source, your way. A demonstration.",
    ),
    "login_title": ("Inloggen", "Log in"),
    "login_intro": (
        "Log in om te zien welke gegevens de overheid over u heeft, en om ze te downloaden of in "
        "uw wallet te zetten.",
        "Log in to see what data the government holds about you, and to download it or add it "
        "to your wallet.",
    ),
    "demo_login_heading": ("Demo-inlog", "Demo login"),
    "demo_login_explain": (
        "Kies een test-BSN. Iedereen kan hier elk test-BSN kiezen: dit is alleen voor "
        "demonstratie.",
        "Choose a test BSN. Anyone can choose any test BSN here: this is for demonstration only.",
    ),
    "bsn_label": ("Test-BSN (9 cijfers)", "Test BSN (9 digits)"),
    "bsn_hint": ("Bijvoorbeeld 999993653.", "For example 999993653."),
    "login_button": ("Inloggen (demo)", "Log in (demo)"),
    "login_with_provider": ("Inloggen", "Log in"),
    "login_provider_explain": (
        "U logt in via de inlogdienst van de overheid.",
        "You log in through the government's login service.",
    ),
    "login_unavailable": (
        "Inloggen is op deze server niet ingesteld.",
        "Logging in is not set up on this server.",
    ),
    "login_bad_bsn": (
        "Vul een test-BSN in: 9 cijfers, beginnend met 999, dat de elfproef doorstaat.",
        "Enter a test BSN: 9 digits, starting with 999, that passes the eleven test.",
    ),
    "login_refused": (
        "De inlogdienst heeft u niet herkend. Probeer het opnieuw.",
        "The login service did not recognise you. Please try again.",
    ),
    "error_heading": ("Er ging iets mis", "Something went wrong"),
    "logout_button": ("Uitloggen", "Log out"),
    "logged_out_title": ("U bent uitgelogd", "You are logged out"),
    "logged_out_text": (
        "U bent uitgelogd. Sluit de browser als u een gedeelde computer gebruikt.",
        "You are logged out. Close the browser if you use a shared computer.",
    ),
    "login_again": ("Opnieuw inloggen", "Log in again"),
    "nav_overview": ("Mijn gegevens", "My data"),
    "nav_consents": ("Toestemmingen", "Consents"),
    "overview_title": ("Mijn gegevens", "My data"),
    "overview_intro": (
        "Dit zijn de gegevens die deze organisaties over u hebben. U kunt ze downloaden als "
        "gewaarmerkt PDF-bestand of als bestand voor computers (JSON), of ze in uw wallet zetten.",
        "This is the data these organisations hold about you. You can download it as a sealed "
        "PDF file or as a file for computers (JSON), or add it to your wallet.",
    ),
    "no_data": ("{source} heeft geen gegevens van u.", "{source} holds no data about you."),
    "claim_heading": ("Gegeven", "Item"),
    "value_heading": ("Waarde", "Value"),
    "all_link": ("Alles in één keer downloaden", "Download everything at once"),
    "all_link_hint": (
        "Eén gewaarmerkt PDF-bestand met de gegevens van alle organisaties, en hetzelfde als "
        "bestand voor computers.",
        "One sealed PDF file with the data of every organisation, and the same as a file for "
        "computers.",
    ),
    "all_title": ("Alle gegevens downloaden", "Download all my data"),
    "all_intro": (
        "Kies de organisaties. U krijgt één gewaarmerkt overzicht: een voorblad, dan per "
        "organisatie haar gegevens, elk deel met het eigen zegel van die organisatie.",
        "Choose the organisations. You get one sealed overview: a cover page, then each "
        "organisation's data, each part with that organisation's own seal.",
    ),
    "all_nothing": (
        "Geen enkele organisatie heeft gegevens van u.",
        "No organisation holds data about you.",
    ),
    "all_sources_legend": ("Van welke organisaties?", "From which organisations?"),
    "all_format_legend": ("Welk bestand?", "Which file?"),
    "all_format_both": ("Allebei (ZIP-bestand)", "Both (ZIP file)"),
    "all_format_both_hint": (
        "Het PDF-bestand en het bestand voor computers, met dezelfde gegevens.",
        "The PDF file and the file for computers, with the same data.",
    ),
    "all_format_pdf": ("PDF-bestand (gewaarmerkt)", "PDF file (sealed)"),
    "all_format_pdf_hint": (
        "Om te lezen, te printen of te mailen; de gegevens zitten er ook digitaal in.",
        "To read, print or email; the data is inside in digital form too.",
    ),
    "all_format_bundle": ("Bestand voor computers (JSON)", "File for computers (JSON)"),
    "all_format_bundle_hint": (
        "De verifieerbare gegevens van alle organisaties samen, door elk van hen getekend.",
        "The verifiable data of every organisation together, signed by each of them.",
    ),
    "all_button": ("Downloaden", "Download"),
    "all_no_source": (
        "Kies ten minste één organisatie.",
        "Choose at least one organisation.",
    ),
    "all_check_heading": ("Zo controleert u het", "How to check it"),
    "all_check_text": (
        "Een PDF-lezer die handtekeningen toont, laat het zegel van elke organisatie zien. "
        "Wie het bestand krijgt, kan met 'blauwe-knop pdf verify' per organisatie het zegel, "
        "de digitale gegevens en de getoonde gegevens controleren.",
        "A PDF reader that shows signatures lists each organisation's seal. Whoever receives "
        "the file can check each organisation's seal, digital data and shown data with "
        "'blauwe-knop pdf verify'.",
    ),
    "download_pdf": ("Download als PDF (gewaarmerkt)", "Download as PDF (sealed)"),
    "download_json": ("Download als JSON (credential)", "Download as JSON (credential)"),
    "add_to_wallet": ("Zet in mijn wallet", "Add to my wallet"),
    "under_review": (
        "Deze gegevens worden eerst door een medewerker bekeken voordat ze in uw wallet kunnen.",
        "A member of staff checks this data before it can go into your wallet.",
    ),
    "wallet_title": ("In uw wallet zetten: {name}", "Add to your wallet: {name}"),
    "wallet_step_scan": (
        "Open uw wallet-app en scan deze QR-code.",
        "Open your wallet app and scan this QR code.",
    ),
    "wallet_qr_label": (
        "QR-code om {name} van {source} in uw wallet te zetten",
        "QR code to add {name} from {source} to your wallet",
    ),
    "wallet_step_code": (
        "Uw wallet vraagt om een code. Typ deze code over:",
        "Your wallet asks for a code. Type in this code:",
    ),
    "wallet_code_label": ("Uw code", "Your code"),
    "wallet_code_secret": (
        "Deel deze code met niemand. Medewerkers van de overheid vragen nooit om deze code.",
        "Do not share this code with anyone. Government staff never ask for this code.",
    ),
    "wallet_expires": (
        "De QR-code en de code zijn geldig tot {time} en werken één keer.",
        "The QR code and the code are valid until {time} and work once.",
    ),
    "wallet_same_device": (
        "Staat de wallet op dit apparaat? Open dan deze link:",
        "Is the wallet on this device? Then open this link:",
    ),
    "wallet_same_device_link": ("Open in mijn wallet", "Open in my wallet"),
    "wallet_png": (
        "QR-code downloaden als afbeelding (PNG)",
        "Download the QR code as an image (PNG)",
    ),
    "wallet_new": (
        "Verlopen of mislukt? Vraag op de overzichtspagina een nieuwe QR-code aan.",
        "Expired or failed? Ask for a new QR code on the overview page.",
    ),
    "back_to_overview": ("Terug naar mijn gegevens", "Back to my data"),
    "consents_title": ("Toestemmingen", "Consents"),
    "consents_intro": (
        "Hier geeft u een organisatie toestemming om gegevens rechtstreeks bij de bron op te "
        "halen, ziet u wie dat deed, en trekt u toestemming in.",
        "Here you allow an organisation to fetch data directly from the source, see who did so, "
        "and withdraw your consent.",
    ),
    "consents_none": ("U heeft nog niemand toestemming gegeven.", "You have not consented yet."),
    "consents_yours": ("Uw toestemmingen", "Your consents"),
    "consent_new": ("Nieuwe toestemming geven", "Give a new consent"),
    "consent_choose": (
        "Kies de organisatie en waarvoor zij uw gegevens wil gebruiken.",
        "Choose the organisation and what it wants to use your data for.",
    ),
    "consent_choice_legend": ("Organisatie en doel", "Organisation and purpose"),
    "consent_next": ("Volgende stap", "Next step"),
    "consent_no_recipients": (
        "Er zijn nog geen organisaties aangemeld die gegevens mogen ontvangen.",
        "No organisations are registered to receive data yet.",
    ),
    "consent_scope_title": ("Toestemming voor {name}", "Consent for {name}"),
    "consent_scope_intro": (
        "{name} wil gegevens ophalen voor: {purpose}. Kies welke gegevens, hoe lang en hoe vaak.",
        "{name} wants to fetch data for: {purpose}. Choose which data, for how long and how often.",
    ),
    "consent_scope_legend": ("Welke gegevens mag {name} ophalen?", "Which data may {name} fetch?"),
    "consent_until_label": ("Geldig tot en met", "Valid until and including"),
    "consent_until_hint": (
        "Uiterlijk een jaar vanaf vandaag. U kunt altijd eerder intrekken.",
        "At most a year from today. You can always withdraw earlier.",
    ),
    "consent_once_label": (
        "Eenmalig: elke bron geeft de gegevens maar één keer",
        "Once only: each source gives the data only once",
    ),
    "consent_give": ("Geef toestemming", "Give consent"),
    "consent_cancel": ("Annuleren", "Cancel"),
    "consent_refused": (
        "Deze toestemming kan niet worden gegeven. Controleer uw keuzes.",
        "This consent cannot be given. Please check your choices.",
    ),
    "consent_pick_claims": (
        "Kies ten minste één gegeven.",
        "Choose at least one item.",
    ),
    "consent_bad_date": (
        "Vul een datum in tussen morgen en een jaar vanaf vandaag.",
        "Enter a date between tomorrow and a year from today.",
    ),
    "consent_title": ("Toestemming voor {name}", "Consent for {name}"),
    "consent_recipient": ("Organisatie", "Organisation"),
    "consent_purpose": ("Doel", "Purpose"),
    "consent_data": ("Gegevens", "Data"),
    "consent_status": ("Status", "Status"),
    "consent_valid": ("Geldig", "Valid"),
    "consent_valid_range": ("van {start} tot {end}", "from {start} until {end}"),
    "consent_uses": ("Gebruikt", "Used"),
    "consent_uses_value": ("{count} keer door {source}", "{count} times by {source}"),
    "consent_once": ("eenmalig", "once only"),
    "consent_status_active": ("actief", "active"),
    "consent_status_revoked": ("ingetrokken", "withdrawn"),
    "consent_status_expired": ("verlopen", "expired"),
    "consent_status_used": ("gebruikt", "used up"),
    "consent_details": ("Bekijk toegang", "View access"),
    "consent_revoke": ("Trek toestemming in", "Withdraw consent"),
    "consent_revoked_note": (
        "Deze toestemming is ingetrokken. Niemand kan hiermee nog gegevens ophalen.",
        "This consent has been withdrawn. Nobody can fetch data with it any more.",
    ),
    "consent_hand_over": (
        "Geef dit toestemmingsbestand aan {name}; daarmee haalt de organisatie de gegevens op "
        "bij de bron.",
        "Give this consent file to {name}; with it the organisation fetches the data from the "
        "source.",
    ),
    "consent_download": ("Download het toestemmingsbestand", "Download the consent file"),
    "log_title": ("Wie heeft wat opgehaald?", "Who fetched what?"),
    "log_when": ("Wanneer", "When"),
    "log_what": ("Wat", "What"),
    "log_who": ("Wie", "Who"),
    "log_source": ("Bron", "Source"),
    "log_event_granted": ("Toestemming gegeven", "Consent given"),
    "log_event_served": ("Gegevens verstrekt", "Data provided"),
    "log_event_refused": ("Verzoek geweigerd", "Request refused"),
    "log_event_revoked": ("Toestemming ingetrokken", "Consent withdrawn"),
    "log_you": ("u", "you"),
    "log_intact": (
        "Dit logboek is onbeschadigd: elke regel is verzegeld met die ervoor (hashketen).",
        "This log is intact: every line is sealed with the one before it (hash chain).",
    ),
    "log_broken": (
        "Let op: dit logboek is beschadigd. Neem contact op met de bron.",
        "Warning: this log is damaged. Please contact the source.",
    ),
    "log_download": ("Download het ondertekende logboek", "Download the signed log"),
    "consents_unavailable": (
        "Toestemmingen (Blauwe Knop Plus) zijn op deze server nog niet beschikbaar.",
        "Consents (Blauwe Knop Plus) are not available on this server yet.",
    ),
    "forbidden_title": ("Niet toegestaan", "Not allowed"),
    "csrf_refused": (
        "Dit formulier is verlopen of niet door deze website gemaakt. Ga terug, laad de pagina "
        "opnieuw en probeer het nog eens.",
        "This form has expired or was not made by this website. Go back, reload the page and "
        "try again.",
    ),
    "login_required_title": ("Log eerst in", "Please log in first"),
    "login_required": (
        "U bent niet (meer) ingelogd. Log opnieuw in om verder te gaan.",
        "You are not (or no longer) logged in. Log in again to continue.",
    ),
    "not_found_title": ("Niet gevonden", "Not found"),
    "not_found": (
        "Deze pagina of deze gegevens bestaan niet.",
        "This page or this data does not exist.",
    ),
    "too_many_title": ("Even geduld", "Please wait"),
    "too_many_offers": (
        "U hebt in korte tijd veel QR-codes voor uw wallet gemaakt. Probeer het over "
        "{minutes} minuten opnieuw.",
        "You made many wallet QR codes in a short time. Try again in {minutes} minutes.",
    ),
    "yes": ("ja", "yes"),
    "no": ("nee", "no"),
}

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _index(language: Language) -> int:
    return LANGUAGES.index(language)


def translate(language: Language, key: str, **values: object) -> str:
    """The text ``key`` in ``language``, with ``{name}`` fields filled from ``values``."""
    text = _TEXTS[key][_index(language)]
    return text.format(**values) if values else text


def pick_language(query: str | None, cookie: str | None, accept_language: str | None) -> Language:
    """The page language: the ``lang`` query, else the cookie, else an English browser, else nl."""
    for choice in (query, cookie):
        if choice == "en":
            return "en"
        if choice == "nl":
            return "nl"
    first = (accept_language or "").split(",")[0].strip().lower()
    return "en" if first.startswith("en") else "nl"


def format_moment(language: Language, moment: datetime) -> str:
    """A moment in Dutch time: ``28 november 2026, 14:05``."""
    local = moment.astimezone(_TIME_ZONE)
    return f"{format_date(language, local.date())}, {local:%H:%M}"


def _money(language: Language, node: Mapping[str, Any]) -> str:
    try:
        amount = Decimal(str(node.get("value")))
    except InvalidOperation:
        return str(node.get("value"))
    text = f"{amount:,.2f}"
    if language == "nl":
        text = text.replace(",", " ").replace(".", ",").replace(" ", ".")
    symbol = "€ " if language == "nl" else "€"
    return f"{symbol}{text}" if node.get("currency") == "EUR" else f"{text} {node.get('currency')}"


def _scalar(language: Language, value: Any) -> str:
    if isinstance(value, bool):
        return translate(language, "yes" if value else "no")
    if isinstance(value, str) and _DATE.fullmatch(value):
        try:
            return format_date(language, date.fromisoformat(value))
        except ValueError:
            return value
    return "–" if value is None else str(value)


def claim_rows(
    language: Language, node: Mapping[str, Any], prefix: tuple[str, ...] = ()
) -> list[tuple[str, str]]:
    """Flatten claims into (label, text) rows; nested nodes become ``Adres · Straat``."""
    rows: list[tuple[str, str]] = []
    for term, value in node.items():
        if term in ("type", "id", "@context"):
            continue
        label = (*prefix, claim_label(language, term))
        if isinstance(value, Mapping) and value.get("type") == "MonetaryAmount":
            rows.append((" · ".join(label), _money(language, value)))
        elif isinstance(value, Mapping):
            rows.extend(claim_rows(language, value, label))
        elif isinstance(value, list):
            rows.append((" · ".join(label), ", ".join(_scalar(language, v) for v in value)))
        else:
            rows.append((" · ".join(label), _scalar(language, value)))
    return rows
