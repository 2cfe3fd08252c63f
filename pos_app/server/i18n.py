"""The dashboard's words in English and Kiswahili: one dictionary per language.

The web side has a few dozen strings and no Qt, so a dict per language is the smallest thing
that works (gettext/Babel would add a build step for catalogues this size). The keys are the
English texts; a test checks that every key has its Kiswahili, and that every `t("…")` in the
templates is a key. The day report text itself comes from pos_app.reports.zreport, which is
rendered in English (its Kiswahili lives in the till's Qt catalogue).
"""

from __future__ import annotations

LANGUAGES = ("en", "sw")

SW: dict[str, str] = {
    "Malipo POS — shop dashboard": "Malipo POS — dashibodi ya duka",
    "Sign in": "Ingia",
    "E-mail": "Barua pepe",
    "Password": "Nenosiri",
    "Sign out": "Toka",
    "Wrong e-mail or password.": "Barua pepe au nenosiri si sahihi.",
    "Too many sign-in attempts. Wait 15 minutes and try again.":
        "Majaribio mengi mno ya kuingia. Subiri dakika 15 kisha ujaribu tena.",
    "The form expired. Please try again.": "Fomu imepitwa na wakati. Tafadhali jaribu tena.",
    "Day": "Siku",
    "Show": "Onyesha",
    "Today across the shop": "Leo katika duka zima",
    "Paid": "Imelipwa",
    "Paid by till": "Malipo kwa kila mashine",
    "Paid by channel": "Malipo kwa mtandao",
    "Till": "Mashine",
    "Channel": "Mtandao",
    "Count": "Idadi",
    "Total TZS": "Jumla TZS",
    "Whole shop": "Duka zima",
    "Latest payments": "Malipo ya karibuni",
    "Time": "Muda",
    "Phone": "Simu",
    "Amount TZS": "Kiasi TZS",
    "Reference": "Kumbukumbu",
    "Status": "Hali",
    "Unresolved and needs attention": "Hayajakamilika na yanahitaji uangalizi",
    "Nothing open: every attempt has a final answer.":
        "Hakuna lililo wazi: kila jaribio lina jibu la mwisho.",
    "No payments yet.": "Bado hakuna malipo.",
    "Unresolved": "Haijakamilika",
    "Needs attention": "Inahitaji uangalizi",
    "Failed": "Imeshindikana",
    "Out-of-order event stored, not applied":
        "Tukio lisilo la mpangilio limehifadhiwa, halijatumika",
    "Day report": "Ripoti ya siku",
    "Export the day as CSV": "Pakua siku kama CSV",
    "API budget": "Bajeti ya API",
    "ClickPesa calls today (all tills)": "Simu za ClickPesa leo (mashine zote)",
    "Daily cap before the account is verified (KYC)":
        "Kikomo cha siku kabla akaunti haijathibitishwa (KYC)",
    "Account verified: no daily cap": "Akaunti imethibitishwa: hakuna kikomo cha siku",
    "Tills": "Mashine",
    "Last seen": "Ilionekana mwisho",
    "never": "bado",
    "Other systems": "Mifumo mingine",
    "ClickPesa payments no till of this shop made (another system on the account).":
        "Malipo ya ClickPesa ambayo hakuna mashine ya duka hili iliyoyafanya (mfumo mwingine "
        "kwenye akaunti).",
    "None.": "Hakuna.",
    "joined": "imeunganishwa",
    "waiting to join": "inasubiri kuunganishwa",
    "revoked": "imefutwa",
    "Language": "Lugha",
    "updated": "imesasishwa",
    "Training attempts are not included.": "Majaribio ya mafunzo hayajajumuishwa.",
}

_CATALOGUES = {"sw": SW}


def translate(lang: str, text: str) -> str:
    return _CATALOGUES.get(lang, {}).get(text, text)


def pick_language(requested: str | None, accept_language: str = "") -> str:
    if requested in LANGUAGES:
        return requested
    for part in accept_language.split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LANGUAGES:
            return code
    return "en"
